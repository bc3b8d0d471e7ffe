package dev.tagpurge.purge.cloudfront;

import dev.tagpurge.purge.CacheObservation;
import dev.tagpurge.purge.CacheObservation.Cache;
import dev.tagpurge.purge.CacheStatusReader;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * CloudFront's {@code X-Cache}: {@code Hit from cloudfront} came from the edge cache; {@code Miss
 * from cloudfront} from the origin, and {@code RefreshHit from cloudfront} is a cached copy the
 * origin confirmed current; {@code Error}, {@code Redirect}, {@code LimitExceeded}, {@code
 * CapacityExceeded} and {@code FunctionGeneratedResponse} say nothing about the cache.
 */
@ApplicationScoped
public class CloudFrontCacheStatus implements CacheStatusReader {

    @Override
    public String provider() {
        return CloudFrontPurgerFactory.PROVIDER;
    }

    @Override
    public CacheObservation read(Function<String, List<String>> header) {
        String value = CacheStatusReader.first(header, "X-Cache").map(String::trim).orElse("");
        String result = value.toLowerCase(Locale.ROOT).split(" ", 2)[0];
        Cache cache =
                switch (result) {
                    case "hit" -> Cache.HIT;
                    case "miss", "refreshhit" -> Cache.MISS;
                    case "error",
                            "redirect",
                            "limitexceeded",
                            "capacityexceeded",
                            "functiongeneratedresponse" ->
                            Cache.UNCACHED;
                    default -> Cache.UNKNOWN;
                };
        return new CacheObservation(
                cache, CacheStatusReader.age(header), value.isEmpty() ? "no X-Cache" : value);
    }
}
