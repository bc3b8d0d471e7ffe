package dev.tagpurge.sandbox;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A request to the emulated Cloudflare purge API, parsed but not yet judged.
 *
 * @param zone the zone id from the path
 * @param path the path below the Cloudflare root, with the query string if any
 * @param soft whether it came to {@code invalidate_cache}
 * @param action {@code tags}, {@code files}, {@code prefixes}, {@code hosts}, {@code everything},
 *     or {@link #INVALID} when the body names no selector type, several, or is not JSON
 * @param items the tags, URLs, prefixes or hosts named by the body, in request order
 * @param authPresent whether an {@code Authorization} header was sent
 * @param token the bearer token, used for the auth check and never recorded
 * @param headers the request headers worth recording (never {@code Authorization})
 * @param error why the body is malformed, if it is
 */
record CloudflareInbound(
        String zone,
        String path,
        boolean soft,
        String action,
        List<String> items,
        boolean authPresent,
        Optional<String> token,
        Map<String, String> headers,
        Optional<Problem> error) {

    static final String TAGS = "tags";
    static final String FILES = "files";
    static final String PREFIXES = "prefixes";
    static final String HOSTS = "hosts";
    static final String EVERYTHING = "everything";
    static final String INVALID = "invalid";

    private static final String PURGE_EVERYTHING = "purge_everything";
    private static final List<String> LISTS = List.of(FILES, TAGS, HOSTS, PREFIXES);

    /** A malformed body: Cloudflare's error code and message, answered with HTTP 400. */
    record Problem(int code, String message) {}

    /** The selector type, items and shape error of a body. */
    record Body(String action, List<String> items, Optional<Problem> error) {

        static Body invalid(String action, int code, String message) {
            return new Body(action, List.of(), Optional.of(new Problem(code, message)));
        }
    }

    /** Parses a request that matched {@code purge_cache} (or {@code invalidate_cache} if soft). */
    static CloudflareInbound parse(RoutingContext ctx, String root, boolean soft) {
        String rawPath = ctx.request().path();
        String base = mountPoint(ctx) + root;
        String relative = rawPath.startsWith(base) ? rawPath.substring(base.length()) : rawPath;
        String query = ctx.request().query();
        String authorization = ctx.request().getHeader("Authorization");
        Body body = body(ctx.body().asString());
        return new CloudflareInbound(
                ctx.pathParam("zone"),
                query == null ? relative : relative + "?" + query,
                soft,
                body.action(),
                body.items(),
                authorization != null,
                bearer(authorization),
                recordedHeaders(ctx),
                body.error());
    }

    /**
     * The selector type and items of a purge body: exactly one of {@code files}, {@code tags},
     * {@code hosts}, {@code prefixes}, or {@code {"purge_everything":true}} alone.
     */
    static Body body(String raw) {
        Object decoded;
        try {
            decoded = raw == null || raw.isBlank() ? new JsonObject() : Json.decodeValue(raw);
        } catch (DecodeException e) {
            decoded = null;
        }
        if (!(decoded instanceof JsonObject json)) {
            return Body.invalid(
                    INVALID,
                    CloudflareResponder.INVALID_REQUEST,
                    "Request body must be a JSON object");
        }
        List<String> named = LISTS.stream().filter(json::containsKey).toList();
        if (json.containsKey(PURGE_EVERYTHING)) {
            return named.isEmpty()
                    ? everything(json.getValue(PURGE_EVERYTHING))
                    : Body.invalid(
                            INVALID,
                            CloudflareResponder.MIXED_SELECTORS,
                            "purge_everything cannot be combined with other purge types");
        }
        if (named.size() != 1) {
            return Body.invalid(
                    INVALID,
                    CloudflareResponder.MIXED_SELECTORS,
                    "Request must contain exactly one of purge_everything, files, tags, hosts"
                            + " or prefixes");
        }
        return list(named.getFirst(), json.getValue(named.getFirst()));
    }

    private static Body everything(Object value) {
        return Boolean.TRUE.equals(value)
                ? new Body(EVERYTHING, List.of(), Optional.empty())
                : Body.invalid(
                        EVERYTHING,
                        CloudflareResponder.INVALID_REQUEST,
                        "purge_everything must be true");
    }

    private static Body list(String field, Object value) {
        if (!(value instanceof JsonArray array)) {
            return Body.invalid(
                    field, CloudflareResponder.NOT_AN_ARRAY, "\"" + field + "\" must be an array");
        }
        if (array.isEmpty()) {
            return Body.invalid(
                    field, CloudflareResponder.INVALID_REQUEST, field + " must not be empty");
        }
        List<String> items = new ArrayList<>();
        for (Object item : array) {
            // files may also be {"url": …, "headers": {…}} to purge one cache-key variant.
            Object text =
                    field.equals(FILES) && item instanceof JsonObject file
                            ? file.getValue("url")
                            : item;
            if (!(text instanceof String s)) {
                return Body.invalid(
                        field,
                        CloudflareResponder.INVALID_REQUEST,
                        field.equals(FILES)
                                ? "files must be URL strings or objects with a url"
                                : field + " must be strings");
            }
            items.add(s);
        }
        return new Body(field, items, Optional.empty());
    }

    private static Optional<String> bearer(String authorization) {
        if (authorization == null) {
            return Optional.empty();
        }
        String value = authorization.strip();
        return value.regionMatches(true, 0, "Bearer ", 0, 7)
                ? Optional.of(value.substring(7).strip())
                : Optional.empty();
    }

    // Inside Quarkus with a non-default root path the router is itself mounted below that path.
    private static String mountPoint(RoutingContext ctx) {
        String mount = ctx.mountPoint();
        return mount == null || mount.equals("/") ? "" : mount.replaceAll("/+$", "");
    }

    private static Map<String, String> recordedHeaders(RoutingContext ctx) {
        Map<String, String> headers = new LinkedHashMap<>();
        String contentType = ctx.request().getHeader("Content-Type");
        if (contentType != null) {
            headers.put("Content-Type", contentType);
        }
        return headers;
    }
}
