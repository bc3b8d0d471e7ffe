package dev.tagpurge.purge.fastly;

import dev.tagpurge.purge.CacheObservation;
import dev.tagpurge.purge.CacheStatusReader;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * Fastly's {@code X-Cache}: {@code HIT} or {@code MISS} (a pass reports {@code MISS}), one entry
 * per cache server with shielding ({@code MISS, HIT}). Fastly documents that any entry other than
 * {@code MISS} means the response came from a cache, so one {@code HIT} anywhere is a hit; {@code
 * Age} is the served copy's age.
 */
@ApplicationScoped
public class FastlyCacheStatus implements CacheStatusReader {

    @Override
    public String provider() {
        return FastlyPurgerFactory.PROVIDER;
    }

    @Override
    public CacheObservation read(Function<String, List<String>> header) {
        List<String> entries =
                header.apply("X-Cache").stream()
                        .flatMap(v -> Arrays.stream(v.split(",")))
                        .map(v -> v.trim().toUpperCase(Locale.ROOT))
                        .filter(v -> !v.isEmpty())
                        .toList();
        String served = String.join(",", header.apply("X-Served-By"));
        String status = String.join(", ", entries) + (served.isEmpty() ? "" : " by " + served);
        if (entries.isEmpty()) {
            return CacheObservation.unknown("no X-Cache");
        }
        boolean hit = entries.stream().anyMatch(e -> !e.equals("MISS"));
        return new CacheObservation(
                hit ? CacheObservation.Cache.HIT : CacheObservation.Cache.MISS,
                CacheStatusReader.age(header),
                status);
    }
}
