package dev.tagpurge.purge.akamai;

import dev.tagpurge.purge.CacheObservation;
import dev.tagpurge.purge.CacheObservation.Cache;
import dev.tagpurge.purge.CacheStatusReader;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * Akamai's debug headers, returned only when asked for with {@code Pragma}: {@code X-Cache} ({@code
 * TCP_HIT from a23-…}) and {@code X-Check-Cacheable} ({@code YES}/{@code NO}). {@code TCP_MISS},
 * {@code TCP_REFRESH_MISS} and {@code TCP_REFRESH_HIT} (the origin confirmed the copy) reflect the
 * origin; the other {@code *_HIT} codes came from the cache. Akamai sends no {@code Age} of its
 * own, so a hit is only judged when the property adds one.
 */
@ApplicationScoped
public class AkamaiCacheStatus implements CacheStatusReader {

    /** The debug headers that make the edge report its cache status. */
    static final String PRAGMA = "akamai-x-cache-on, akamai-x-check-cacheable";

    @Override
    public String provider() {
        return AkamaiPurgerFactory.PROVIDER;
    }

    @Override
    public Map<String, String> requestHeaders() {
        return Map.of("Pragma", PRAGMA);
    }

    @Override
    public CacheObservation read(Function<String, List<String>> header) {
        String value = CacheStatusReader.first(header, "X-Cache").map(String::trim).orElse("");
        String code = value.split(" ", 2)[0].toUpperCase(Locale.ROOT);
        boolean cacheable =
                !CacheStatusReader.first(header, "X-Check-Cacheable")
                        .map(v -> v.trim().equalsIgnoreCase("NO"))
                        .orElse(false);
        Cache cache;
        if (code.isEmpty()) {
            cache = Cache.UNKNOWN;
        } else if (!cacheable || code.equals("TCP_DENIED") || code.equals("TCP_COOKIE_DENY")) {
            cache = Cache.UNCACHED;
        } else if (code.equals("TCP_MISS")
                || code.equals("TCP_REFRESH_MISS")
                || code.equals("TCP_REFRESH_HIT")) {
            cache = Cache.MISS;
        } else if (code.startsWith("TCP_") && code.endsWith("_HIT") || code.equals("TCP_HIT")) {
            cache = Cache.HIT;
        } else {
            cache = Cache.UNKNOWN;
        }
        return new CacheObservation(
                cache,
                CacheStatusReader.age(header),
                value.isEmpty() ? "no X-Cache (Pragma debug headers off?)" : value);
    }
}
