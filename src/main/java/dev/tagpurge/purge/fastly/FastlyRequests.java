package dev.tagpurge.purge.fastly;

import dev.tagpurge.coalesce.PurgeMode;
import dev.tagpurge.coalesce.Selector;
import dev.tagpurge.coalesce.SelectorKind;
import dev.tagpurge.purge.PurgeRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Builds Fastly purge calls from purge requests, following PROVIDERS.md: bulk key purge, one URL
 * per call, purge_all. Pure functions, so request shapes are tested without a network.
 */
final class FastlyRequests {

    /** Fastly's documented limit on one surrogate key. */
    static final int MAX_KEY_BYTES = 1024;

    static final String PREFIX_REJECTED = "fastly has no prefix purge";

    private FastlyRequests() {}

    /** Why Fastly cannot purge this selector, or empty when it can. */
    static Optional<String> rejectReason(Selector selector, Optional<String> defaultHost) {
        return switch (selector.kind()) {
            case TAG -> tagRejectReason(selector.value());
            case URL -> urlRejectReason(selector.value(), defaultHost);
            case PREFIX -> Optional.of(PREFIX_REJECTED);
            // purge_all cannot be soft; a hard purge also satisfies a soft request.
            case EVERYTHING -> Optional.empty();
        };
    }

    /**
     * The call for one request.
     *
     * @throws IllegalArgumentException when the request holds something Fastly cannot purge
     */
    static FastlyCall build(PurgeRequest request, FastlySettings settings) {
        boolean soft = request.mode() == PurgeMode.SOFT;
        String service = "/service/" + settings.serviceId();
        return switch (request.kind()) {
            case TAG -> tagCall(request, settings, service, soft);
            case URL -> urlCall(request, settings, soft);
            case EVERYTHING ->
                    new FastlyCall(
                            SelectorKind.EVERYTHING,
                            service + "/purge_all",
                            Optional.empty(),
                            false,
                            List.of());
            case PREFIX -> throw new IllegalArgumentException(PREFIX_REJECTED);
        };
    }

    /** The headers of a call; the only place the token is used. */
    static Map<String, String> headers(FastlyCall call, String apiToken) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Fastly-Key", apiToken);
        headers.put("Accept", "application/json");
        call.jsonBody().ifPresent(body -> headers.put("Content-Type", "application/json"));
        if (call.soft()) {
            headers.put("Fastly-Soft-Purge", "1");
        }
        return headers;
    }

    /**
     * The {@code host/path?query} form Fastly's URL purge takes: the scheme stripped from an
     * absolute URL, or the default host put before a path.
     */
    static String hostPath(String url, Optional<String> defaultHost) {
        urlRejectReason(url, defaultHost)
                .ifPresent(
                        reason -> {
                            throw new IllegalArgumentException(reason);
                        });
        int scheme = url.indexOf("://");
        return scheme >= 0 ? url.substring(scheme + 3) : defaultHost.orElseThrow() + url;
    }

    private static FastlyCall tagCall(
            PurgeRequest request, FastlySettings settings, String service, boolean soft) {
        List<String> keys = request.values();
        if (keys.size() > settings.maxKeys()) {
            throw new IllegalArgumentException(
                    "fastly takes at most "
                            + settings.maxKeys()
                            + " keys per request, got "
                            + keys.size());
        }
        keys.forEach(
                key ->
                        tagRejectReason(key)
                                .ifPresent(
                                        reason -> {
                                            throw new IllegalArgumentException(reason);
                                        }));
        String body =
                new JsonObject().put("surrogate_keys", new JsonArray(List.copyOf(keys))).encode();
        return new FastlyCall(SelectorKind.TAG, service + "/purge", Optional.of(body), soft, keys);
    }

    private static FastlyCall urlCall(PurgeRequest request, FastlySettings settings, boolean soft) {
        if (request.selectors().size() != 1) {
            throw new IllegalArgumentException(
                    "fastly purges one URL per request, got " + request.selectors().size());
        }
        String url = request.values().getFirst();
        String target = hostPath(url, settings.defaultHost());
        return new FastlyCall(
                SelectorKind.URL, "/purge/" + target, Optional.empty(), soft, List.of(url));
    }

    private static Optional<String> tagRejectReason(String tag) {
        if (tag.isEmpty()) {
            return Optional.of("fastly surrogate keys must not be empty");
        }
        if (tag.getBytes(StandardCharsets.UTF_8).length > MAX_KEY_BYTES) {
            return Optional.of("fastly surrogate keys are at most " + MAX_KEY_BYTES + " bytes");
        }
        // Fastly separates surrogate keys with spaces, so a key cannot contain whitespace.
        if (tag.chars().anyMatch(Character::isWhitespace)) {
            return Optional.of("fastly surrogate keys cannot contain whitespace");
        }
        return Optional.empty();
    }

    private static Optional<String> urlRejectReason(String url, Optional<String> defaultHost) {
        // The URL travels verbatim in the API path, so it must already be percent-encoded.
        if (url.isEmpty() || url.chars().anyMatch(c -> c < 33 || c > 126)) {
            return Optional.of("fastly URL purge needs a percent-encoded URL without spaces");
        }
        int scheme = url.indexOf("://");
        if (scheme >= 0) {
            String name = url.substring(0, scheme);
            boolean http = name.equalsIgnoreCase("http") || name.equalsIgnoreCase("https");
            boolean hasHost = url.length() > scheme + 3 && url.charAt(scheme + 3) != '/';
            return http && hasHost
                    ? Optional.empty()
                    : Optional.of("fastly URL purge needs an http(s) URL with a host");
        }
        if (!url.startsWith("/")) {
            return Optional.of("fastly URL purge needs an absolute URL or a path starting with /");
        }
        return defaultHost.isPresent()
                ? Optional.empty()
                : Optional.of(
                        "fastly URL purge of a path needs a host: configure hosts for this target");
    }
}
