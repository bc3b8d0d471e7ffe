/**
 * Token buckets per target, local or shared in Redis, with each provider's documented limits as
 * defaults. Depends only on {@code domain}; {@code purge} builds the limiters from the
 * configuration.
 */
package dev.tagpurge.ratelimit;
