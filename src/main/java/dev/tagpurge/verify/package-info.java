/**
 * The verification probe: after a purge succeeds on a CDN target, fetches a sample of the purged
 * URLs through the CDN and reads its cache headers, off the event path, rate-limited and only from
 * allowed hosts.
 */
package dev.tagpurge.verify;
