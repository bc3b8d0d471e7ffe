package dev.tagpurge.purge;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Function;

/**
 * Reads one provider's cache headers on a response fetched through its CDN, for the verification
 * probe. Each provider adapter declares one as a bean, as it declares its {@link PurgerFactory}, so
 * the core lists no provider and none of their headers.
 */
public interface CacheStatusReader {

    /** The provider id, as {@link PurgerFactory#provider()}. */
    String provider();

    /**
     * Request headers that make the edge report its cache status (Akamai's {@code Pragma} debug
     * headers); none by default.
     */
    default Map<String, String> requestHeaders() {
        return Map.of();
    }

    /**
     * What the response headers say. {@code header} returns every value of a header, by
     * case-insensitive name (empty when absent).
     */
    CacheObservation read(Function<String, List<String>> header);

    /** The {@code Age} header in whole seconds, when present and a non-negative number. */
    static OptionalLong age(Function<String, List<String>> header) {
        return first(header, "Age")
                .map(String::trim)
                .filter(v -> v.matches("\\d{1,12}"))
                .map(v -> OptionalLong.of(Long.parseLong(v)))
                .orElse(OptionalLong.empty());
    }

    /** The first value of a header, if any. */
    static Optional<String> first(Function<String, List<String>> header, String name) {
        List<String> values = header.apply(name);
        return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
    }
}
