package dev.tagpurge.purge.akamai;

import dev.tagpurge.domain.NormalizedUrl;
import dev.tagpurge.domain.PurgeMode;
import dev.tagpurge.domain.Selector;
import dev.tagpurge.domain.SelectorKind;
import dev.tagpurge.purge.PurgeRequest;
import dev.tagpurge.purge.TargetKeys;
import io.vertx.core.json.Json;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Builds Fast Purge (CCU v3) calls from purge requests, as Akamai documents them: {@code POST
 * /ccu/v3/{invalidate|delete}/{tag|url|cpcode}/{network}} with {@code {"objects":[…]}}, one object
 * type per call and at most {@value #MAX_BODY_BYTES} body bytes. The coalescing window sizes
 * batches by an estimate; here the real serialized size is measured and a batch that still does not
 * fit is split, so Akamai never answers 413. Pure functions, tested without a network.
 */
final class AkamaiRequests {

    /** Akamai's documented limit on one request body. */
    static final int MAX_BODY_BYTES = 50_000;

    /**
     * The byte budget the coalescing window fills, by its estimate of value length + 3 per
     * selector: the body limit less the {@code {"objects":[]}} envelope and a margin for JSON
     * escapes.
     */
    static final int MAX_ESTIMATED_BYTES = 49_900;

    /** Akamai's documented limit on one cache tag. */
    static final int MAX_TAG_CHARS = 128;

    /** CP codes per call: the burst of Akamai's CP-code bucket. */
    static final int MAX_CPCODES_PER_REQUEST = 300;

    static final String INVALIDATE = "invalidate";
    static final String DELETE = "delete";
    static final String PREFIX_REJECTED = "akamai has no prefix purge";

    private static final String OPEN = "{\"objects\":[";
    private static final String CLOSE = "]}";
    private static final int ENVELOPE_BYTES = OPEN.length() + CLOSE.length();

    /** One object: as given (for logs and records) and as its JSON value. */
    private record PurgeObject(String value, String json) {
        int bytes() {
            return json.getBytes(StandardCharsets.UTF_8).length;
        }
    }

    private AkamaiRequests() {}

    /** Why Akamai cannot purge this selector on this target, or empty when it can. */
    static Optional<String> rejectReason(Selector selector, AkamaiSettings settings) {
        return switch (selector.kind()) {
            case TAG -> tagRejectReason(selector.value());
            case URL -> urlRejectReason(selector.value(), settings.defaultHost());
            case PREFIX -> Optional.of(PREFIX_REJECTED);
            case EVERYTHING ->
                    settings.cpCodes().isEmpty()
                            ? Optional.of(
                                    "akamai purges everything by CP code: configure "
                                            + TargetKeys.key(settings.target(), "cp-codes"))
                            : Optional.empty();
        };
    }

    /**
     * The calls for one request: usually one, several when the serialized objects exceed the body
     * limit or the per-call count.
     *
     * @throws IllegalArgumentException when the request holds something Akamai cannot purge
     */
    static List<AkamaiCall> build(PurgeRequest request, AkamaiSettings settings) {
        String operation = request.mode() == PurgeMode.SOFT ? INVALIDATE : DELETE;
        List<PurgeObject> objects = new ArrayList<>();
        for (Selector selector : request.selectors()) {
            rejectReason(selector, settings)
                    .ifPresent(
                            reason -> {
                                throw new IllegalArgumentException(reason);
                            });
            objects.addAll(objects(selector, settings));
        }
        String type = objectType(request.kind());
        String path = "/ccu/v3/" + operation + "/" + type + "/" + settings.network();
        List<AkamaiCall> calls = new ArrayList<>();
        for (List<PurgeObject> chunk : split(objects, maxObjects(request.kind(), settings))) {
            calls.add(call(request.kind(), operation, type, path, chunk));
        }
        return calls;
    }

    /** The headers of a signed call; the only place the signature is used. */
    static Map<String, String> headers(String authorization) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Authorization", authorization);
        headers.put("Content-Type", "application/json");
        headers.put("Accept", "application/json");
        return headers;
    }

    /**
     * The object Akamai is sent for a URL: the normalised absolute URL, a path completed with the
     * default host as {@code https://host/path}. It travels in the JSON body only.
     *
     * @throws IllegalArgumentException when Akamai cannot purge the URL
     */
    static String urlObject(String url, Optional<String> defaultHost) {
        NormalizedUrl normalized;
        try {
            normalized = NormalizedUrl.url(url);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("akamai URL purge: " + e.getMessage(), e);
        }
        if (normalized.authority().isEmpty() && defaultHost.isEmpty()) {
            throw new IllegalArgumentException(
                    "akamai URL purge of a path needs a host: configure hosts for this target");
        }
        return normalized.authority().isPresent()
                ? normalized.absolute()
                : normalized.onHost(defaultHost.get()).absolute();
    }

    private static List<PurgeObject> objects(Selector selector, AkamaiSettings settings) {
        return switch (selector.kind()) {
            case TAG -> List.of(string(selector.value()));
            case URL -> List.of(string(urlObject(selector.value(), settings.defaultHost())));
            case EVERYTHING ->
                    settings.cpCodes().stream()
                            .map(code -> new PurgeObject(Long.toString(code), Json.encode(code)))
                            .toList();
            case PREFIX -> throw new IllegalArgumentException(PREFIX_REJECTED);
        };
    }

    private static PurgeObject string(String value) {
        return new PurgeObject(value, Json.encode(value));
    }

    private static String objectType(SelectorKind kind) {
        return switch (kind) {
            case TAG -> "tag";
            case URL -> "url";
            case EVERYTHING -> "cpcode";
            case PREFIX -> throw new IllegalArgumentException(PREFIX_REJECTED);
        };
    }

    private static int maxObjects(SelectorKind kind, AkamaiSettings settings) {
        return switch (kind) {
            case TAG -> settings.maxTags();
            case URL -> settings.maxUrls();
            default -> MAX_CPCODES_PER_REQUEST;
        };
    }

    // Greedy in request order: a chunk is closed when the next object would break the body limit.
    private static List<List<PurgeObject>> split(List<PurgeObject> objects, int maxObjects) {
        List<List<PurgeObject>> chunks = new ArrayList<>();
        List<PurgeObject> current = new ArrayList<>();
        int size = ENVELOPE_BYTES;
        for (PurgeObject object : objects) {
            if (ENVELOPE_BYTES + object.bytes() > MAX_BODY_BYTES) {
                throw new IllegalArgumentException(tooLong(object.bytes()));
            }
            int added = object.bytes() + (current.isEmpty() ? 0 : 1);
            if (!current.isEmpty()
                    && (current.size() >= maxObjects || size + added > MAX_BODY_BYTES)) {
                chunks.add(current);
                current = new ArrayList<>();
                size = ENVELOPE_BYTES;
                added = object.bytes();
            }
            current.add(object);
            size += added;
        }
        chunks.add(current);
        return chunks;
    }

    private static AkamaiCall call(
            SelectorKind kind,
            String operation,
            String type,
            String path,
            List<PurgeObject> chunk) {
        String body =
                OPEN + String.join(",", chunk.stream().map(PurgeObject::json).toList()) + CLOSE;
        int bytes = body.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > MAX_BODY_BYTES) {
            // Unreachable by construction of split(); a guard so a 413 can never be provoked.
            throw new IllegalStateException("akamai request body of " + bytes + " bytes");
        }
        List<String> values = chunk.stream().map(PurgeObject::value).toList();
        return new AkamaiCall(kind, operation, type, path, body, values);
    }

    private static Optional<String> tagRejectReason(String tag) {
        if (tag.isEmpty()) {
            return Optional.of("akamai cache tags must not be empty");
        }
        if (tag.codePointCount(0, tag.length()) > MAX_TAG_CHARS) {
            return Optional.of("akamai cache tags are at most " + MAX_TAG_CHARS + " characters");
        }
        return Optional.empty();
    }

    private static Optional<String> urlRejectReason(String url, Optional<String> defaultHost) {
        String object;
        try {
            object = urlObject(url, defaultHost);
        } catch (IllegalArgumentException e) {
            return Optional.of(e.getMessage());
        }
        int bytes = Json.encode(object).length();
        return ENVELOPE_BYTES + bytes > MAX_BODY_BYTES
                ? Optional.of(tooLong(bytes))
                : Optional.empty();
    }

    private static String tooLong(int bytes) {
        return "akamai object of "
                + bytes
                + " bytes does not fit in a "
                + MAX_BODY_BYTES
                + "-byte request";
    }
}
