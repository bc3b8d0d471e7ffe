package dev.tagpurge.purge.cloudflare;

import dev.tagpurge.purge.CacheObservation;
import dev.tagpurge.purge.CacheObservation.Cache;
import dev.tagpurge.purge.CacheStatusReader;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * Cloudflare's {@code CF-Cache-Status}. {@code HIT}, and {@code STALE} or {@code UPDATING} (a stale
 * copy served), came from the cache; {@code MISS}, {@code EXPIRED} (fetched again) and {@code
 * REVALIDATED} (the origin confirmed the copy) reflect the origin; {@code BYPASS}, {@code DYNAMIC}
 * and {@code NONE/UNKNOWN} were not cached at all.
 */
@ApplicationScoped
public class CloudflareCacheStatus implements CacheStatusReader {

    @Override
    public String provider() {
        return CloudflarePurgerFactory.PROVIDER;
    }

    @Override
    public CacheObservation read(Function<String, List<String>> header) {
        String status =
                CacheStatusReader.first(header, "CF-Cache-Status")
                        .map(v -> v.trim().toUpperCase(Locale.ROOT))
                        .orElse("");
        Cache cache =
                switch (status) {
                    case "HIT", "STALE", "UPDATING" -> Cache.HIT;
                    case "MISS", "EXPIRED", "REVALIDATED" -> Cache.MISS;
                    case "BYPASS", "DYNAMIC", "NONE", "UNKNOWN", "NONE/UNKNOWN" -> Cache.UNCACHED;
                    default -> Cache.UNKNOWN;
                };
        return new CacheObservation(
                cache,
                CacheStatusReader.age(header),
                status.isEmpty() ? "no CF-Cache-Status" : status);
    }
}
