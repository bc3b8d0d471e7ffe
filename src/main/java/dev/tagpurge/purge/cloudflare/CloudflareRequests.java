package dev.tagpurge.purge.cloudflare;

import dev.tagpurge.domain.NormalizedUrl;
import dev.tagpurge.domain.PurgeMode;
import dev.tagpurge.domain.Selector;
import dev.tagpurge.domain.SelectorKind;
import dev.tagpurge.purge.PurgeRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Builds Cloudflare purge calls from purge requests, as Cloudflare documents them: {@code
 * purge_cache} (hard) or {@code invalidate_cache} (soft) with one selector type per body. URLs go
 * out absolute ({@code files}), prefixes as {@code host/path} without scheme, both normalised by
 * {@link NormalizedUrl} and carried in the JSON body only. Pure functions, so request shapes are
 * tested without a network.
 */
final class CloudflareRequests {

    /** Cloudflare's documented limit on one cache tag in a purge call. */
    static final int MAX_TAG_CHARS = 1024;

    private CloudflareRequests() {}

    /** Why Cloudflare cannot purge this selector, or empty when it can. */
    static Optional<String> rejectReason(Selector selector, Optional<String> defaultHost) {
        return switch (selector.kind()) {
            case TAG -> tagRejectReason(selector.value());
            case URL -> urlRejectReason(selector.value(), defaultHost);
            case PREFIX -> prefixRejectReason(selector.value(), defaultHost);
            case EVERYTHING -> Optional.empty();
        };
    }

    /**
     * The call for one request.
     *
     * @throws IllegalArgumentException when the request holds something Cloudflare cannot purge, or
     *     more items than the target's limit
     */
    static CloudflareCall build(PurgeRequest request, CloudflareSettings settings) {
        boolean soft = request.mode() == PurgeMode.SOFT;
        String path = "/zones/" + settings.zoneId() + (soft ? "/invalidate_cache" : "/purge_cache");
        Optional<String> host = settings.defaultHost();
        return switch (request.kind()) {
            case TAG -> {
                List<String> tags = checked(request, settings.maxTags(), "tags");
                tags.forEach(tag -> throwIfPresent(tagRejectReason(tag)));
                yield listCall(SelectorKind.TAG, path, "tags", soft, tags);
            }
            case URL -> {
                List<String> urls =
                        checked(request, settings.maxUrls(), "URLs").stream()
                                .map(url -> absoluteUrl(url, host))
                                .toList();
                yield listCall(SelectorKind.URL, path, "files", soft, urls);
            }
            case PREFIX -> {
                List<String> prefixes =
                        checked(request, settings.maxPrefixes(), "prefixes").stream()
                                .map(prefix -> hostPrefix(prefix, host))
                                .toList();
                yield listCall(SelectorKind.PREFIX, path, "prefixes", soft, prefixes);
            }
            case EVERYTHING ->
                    new CloudflareCall(
                            SelectorKind.EVERYTHING,
                            path,
                            new JsonObject().put("purge_everything", true).encode(),
                            soft,
                            List.of());
        };
    }

    /** The headers of a call; the only place the token is used. */
    static Map<String, String> headers(String apiToken) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Authorization", "Bearer " + apiToken);
        headers.put("Content-Type", "application/json");
        headers.put("Accept", "application/json");
        return headers;
    }

    /**
     * The normalised absolute URL, {@code https://<default host><path>} for a path.
     *
     * @throws IllegalArgumentException when Cloudflare cannot purge the URL
     */
    static String absoluteUrl(String url, Optional<String> defaultHost) {
        return onHost(normalized(url, false, "URL"), defaultHost, "URL").absolute();
    }

    /**
     * The {@code host/path} form Cloudflare's prefix purge takes, normalised: no scheme, no query.
     *
     * @throws IllegalArgumentException when Cloudflare cannot purge the prefix
     */
    static String hostPrefix(String prefix, Optional<String> defaultHost) {
        NormalizedUrl normalized =
                onHost(normalized(prefix, true, "prefix"), defaultHost, "prefix");
        if (normalized.query().isPresent()) {
            throw new IllegalArgumentException("cloudflare prefix purge takes no query string");
        }
        if (normalized.isRoot()) {
            // a host's root is everything on it: that is a purge of everything, never a prefix
            throw new IllegalArgumentException(
                    "cloudflare prefix reduces to the root of its host; purge everything instead");
        }
        return normalized.hostPath();
    }

    private static List<String> checked(PurgeRequest request, int max, String what) {
        List<String> values = request.values();
        if (values.size() > max) {
            throw new IllegalArgumentException(
                    "cloudflare takes at most "
                            + max
                            + " "
                            + what
                            + " per request, got "
                            + values.size());
        }
        return values;
    }

    private static CloudflareCall listCall(
            SelectorKind kind, String path, String field, boolean soft, List<String> items) {
        String body = new JsonObject().put(field, new JsonArray(List.copyOf(items))).encode();
        return new CloudflareCall(kind, path, body, soft, items);
    }

    private static Optional<String> tagRejectReason(String tag) {
        if (tag.isEmpty()) {
            return Optional.of("cloudflare cache tags must not be empty");
        }
        if (tag.length() > MAX_TAG_CHARS) {
            return Optional.of(
                    "cloudflare cache tags are at most " + MAX_TAG_CHARS + " characters");
        }
        for (int i = 0; i < tag.length(); i++) {
            char c = tag.charAt(i);
            if (c < 33 || c > 126) {
                return Optional.of("cloudflare cache tags are printable ASCII without spaces");
            }
        }
        return Optional.empty();
    }

    private static Optional<String> urlRejectReason(String url, Optional<String> defaultHost) {
        return reasonOf(() -> absoluteUrl(url, defaultHost));
    }

    private static Optional<String> prefixRejectReason(
            String prefix, Optional<String> defaultHost) {
        return reasonOf(() -> hostPrefix(prefix, defaultHost));
    }

    private static Optional<String> reasonOf(Runnable build) {
        try {
            build.run();
            return Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.of(e.getMessage());
        }
    }

    private static NormalizedUrl normalized(String value, boolean prefix, String what) {
        try {
            return prefix ? NormalizedUrl.prefix(value) : NormalizedUrl.url(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "cloudflare " + what + " purge: " + e.getMessage(), e);
        }
    }

    private static NormalizedUrl onHost(
            NormalizedUrl normalized, Optional<String> defaultHost, String what) {
        if (normalized.authority().isPresent()) {
            return normalized;
        }
        return normalized.onHost(
                defaultHost.orElseThrow(
                        () ->
                                new IllegalArgumentException(
                                        "cloudflare "
                                                + what
                                                + " purge of a path needs a host: configure hosts"
                                                + " for this target")));
    }

    private static void throwIfPresent(Optional<String> reason) {
        reason.ifPresent(
                r -> {
                    throw new IllegalArgumentException(r);
                });
    }
}
