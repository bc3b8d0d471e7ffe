/**
 * Token buckets per target, local or shared in Redis. Depends only on {@code domain}; each provider
 * adapter states its documented limits as {@link dev.tagpurge.ratelimit.BucketRule}s and {@code
 * purge} builds the limiters from them and the configuration.
 */
package dev.tagpurge.ratelimit;
