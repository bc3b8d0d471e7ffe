package dev.tagpurge.purge.fastly;

import dev.tagpurge.domain.NormalizedUrl;
import dev.tagpurge.domain.PurgeMode;
import dev.tagpurge.domain.Selector;
import dev.tagpurge.domain.SelectorKind;
import dev.tagpurge.purge.PurgeRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Builds Fastly purge calls from purge requests, as Fastly documents them: bulk key purge, one URL
 * per call, purge_all. Pure functions, so request shapes are tested without a network.
 */
final class FastlyRequests {

    /** Fastly's documented limit on one surrogate key. */
    static final int MAX_KEY_BYTES = 1024;

    static final String PREFIX_REJECTED = "fastly has no prefix purge";

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

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
     * The {@code host/path?query} form Fastly's URL purge takes, normalised: the scheme stripped
     * from an absolute URL, or the default host put before a path.
     *
     * @throws IllegalArgumentException when Fastly cannot purge the URL
     */
    static String hostPath(String url, Optional<String> defaultHost) {
        return normalized(url, defaultHost).hostPath();
    }

    /**
     * The API path of a URL purge: {@code /purge/} and the URL as one path segment, every character
     * but the unreserved ones percent-encoded. So {@code /}, {@code ?}, {@code #}, {@code %} and
     * dots can never become API path structure, and the {@code Fastly-Key} goes to the purge
     * endpoint only.
     */
    static String urlPurgePath(String hostPath) {
        StringBuilder out = new StringBuilder("/purge/");
        for (byte b : hostPath.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xFF;
            boolean unreserved =
                    (c >= 'a' && c <= 'z')
                            || (c >= 'A' && c <= 'Z')
                            || (c >= '0' && c <= '9')
                            || c == '-'
                            || c == '_'
                            || c == '~'
                            || c == '.';
            if (unreserved) {
                out.append((char) c);
            } else {
                out.append('%').append(HEX[c >> 4]).append(HEX[c & 0xF]);
            }
        }
        return out.toString();
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
        String path = urlPurgePath(hostPath(url, settings.defaultHost()));
        return new FastlyCall(SelectorKind.URL, path, Optional.empty(), soft, List.of(url));
    }

    private static Optional<String> tagRejectReason(String tag) {
        if (tag.isEmpty()) {
            return Optional.of("fastly surrogate keys must not be empty");
        }
        // checked once per selector on the hot path: one pass over the chars, no copy, no stream
        int utf8Bytes = 0;
        for (int i = 0; i < tag.length(); i++) {
            char c = tag.charAt(i);
            // Fastly separates surrogate keys with spaces, so a key cannot contain whitespace.
            if (Character.isWhitespace(c)) {
                return Optional.of("fastly surrogate keys cannot contain whitespace");
            }
            utf8Bytes += utf8Length(c);
        }
        if (utf8Bytes > MAX_KEY_BYTES) {
            return Optional.of("fastly surrogate keys are at most " + MAX_KEY_BYTES + " bytes");
        }
        return Optional.empty();
    }

    /**
     * Bytes {@code c} takes in UTF-8: a surrogate is half of a four-byte pair (an unpaired one,
     * which is not valid UTF-8 anyway, counts two as well).
     */
    private static int utf8Length(char c) {
        if (c < 0x80) {
            return 1;
        }
        if (c < 0x800) {
            return 2;
        }
        return Character.isSurrogate(c) ? 2 : 3;
    }

    private static Optional<String> urlRejectReason(String url, Optional<String> defaultHost) {
        try {
            normalized(url, defaultHost);
            return Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.of(e.getMessage());
        }
    }

    private static NormalizedUrl normalized(String url, Optional<String> defaultHost) {
        NormalizedUrl normalized;
        try {
            normalized = NormalizedUrl.url(url);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("fastly URL purge: " + e.getMessage(), e);
        }
        if (normalized.authority().isPresent()) {
            return normalized;
        }
        return normalized.onHost(
                defaultHost.orElseThrow(
                        () ->
                                new IllegalArgumentException(
                                        "fastly URL purge of a path needs a host: configure hosts"
                                                + " for this target")));
    }
}
