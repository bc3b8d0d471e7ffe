package dev.tagpurge.purge;

import java.util.OptionalLong;

/**
 * What a CDN's response headers say about how it served one object: from its cache, from the
 * origin, or without caching at all, and how old the cached copy was ({@code Age}, in seconds).
 *
 * @param cache how the object was served
 * @param ageSeconds the {@code Age} header, when present and a number
 * @param status the provider's own words, e.g. {@code HIT, MISS} or {@code TCP_HIT}, for logs
 */
public record CacheObservation(Cache cache, OptionalLong ageSeconds, String status) {

    /** How the edge served the object. */
    public enum Cache {
        /** Served from the edge's cache without asking the origin. */
        HIT,
        /** Fetched from (or revalidated with) the origin: what the client got is current. */
        MISS,
        /** Not cacheable, bypassed or generated at the edge: says nothing about a purge. */
        UNCACHED,
        /** No cache header, or one this reader does not know. */
        UNKNOWN
    }

    /** An observation without any usable cache header. */
    public static CacheObservation unknown(String status) {
        return new CacheObservation(Cache.UNKNOWN, OptionalLong.empty(), status);
    }
}
