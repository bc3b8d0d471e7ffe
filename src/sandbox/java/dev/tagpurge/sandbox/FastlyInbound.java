package dev.tagpurge.sandbox;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A request to the emulated Fastly purge API, parsed but not yet judged.
 *
 * @param action {@link #BULK}, {@link #KEY}, {@link #URL} or {@link #PURGE_ALL}
 * @param path the path below the Fastly root, with the query string if any
 * @param items the surrogate keys or the URL ({@code host/path?query}) named by the request
 * @param soft whether {@code Fastly-Soft-Purge: 1} was sent
 * @param token the {@code Fastly-Key}, used for the auth check and never recorded
 * @param headers the request headers worth recording (never the key)
 * @param error why the request could not be parsed, if it could not
 */
record FastlyInbound(
        String action,
        String path,
        List<String> items,
        boolean soft,
        Optional<String> token,
        Map<String, String> headers,
        Optional<String> error) {

    static final String BULK = "bulk";
    static final String KEY = "key";
    static final String URL = "url";
    static final String PURGE_ALL = "purge_all";

    /** Parses a request that matched the route of {@code action} below {@code root}. */
    static FastlyInbound parse(RoutingContext ctx, String root, String action) {
        String rawPath = ctx.request().path();
        String base = mountPoint(ctx) + root;
        String relative = rawPath.startsWith(base) ? rawPath.substring(base.length()) : rawPath;
        String query = ctx.request().query();
        String path = query == null ? relative : relative + "?" + query;
        List<String> items = List.of();
        Optional<String> error = Optional.empty();
        try {
            items = items(ctx, action, relative, path);
        } catch (IllegalArgumentException e) {
            error = Optional.of(e.getMessage());
        }
        return new FastlyInbound(
                action,
                path,
                items,
                "1".equals(header(ctx, "Fastly-Soft-Purge")),
                Optional.ofNullable(header(ctx, "Fastly-Key")),
                recordedHeaders(ctx),
                error);
    }

    /**
     * The keys of a bulk purge: {@code {"surrogate_keys":[…]}} in the body, or else the
     * space-separated {@code Surrogate-Key} header.
     *
     * @throws IllegalArgumentException when the body is not such JSON
     */
    static List<String> bulkKeys(String body, String surrogateKeyHeader) {
        if (body == null || body.isBlank()) {
            return surrogateKeyHeader == null || surrogateKeyHeader.isBlank()
                    ? List.of()
                    : Arrays.asList(surrogateKeyHeader.strip().split("\\s+"));
        }
        Object keys;
        try {
            keys = new JsonObject(body).getValue("surrogate_keys");
        } catch (DecodeException | ClassCastException e) {
            throw new IllegalArgumentException("Could not parse JSON body");
        }
        if (!(keys instanceof JsonArray array)) {
            throw new IllegalArgumentException("surrogate_keys must be an array of strings");
        }
        List<String> result = new ArrayList<>();
        for (Object key : array) {
            if (!(key instanceof String s)) {
                throw new IllegalArgumentException("surrogate_keys must be an array of strings");
            }
            result.add(s);
        }
        return result;
    }

    private static List<String> items(
            RoutingContext ctx, String action, String relative, String path) {
        return switch (action) {
            case BULK -> bulkKeys(ctx.body().asString(), header(ctx, "Surrogate-Key"));
            // The key is the last path segment, percent-encoded when it holds reserved characters.
            case KEY ->
                    List.of(
                            decode(
                                    relative.substring(
                                            relative.indexOf("/purge/") + "/purge/".length())));
            // The cached URL after /purge/: verbatim with its query string as Fastly documents it,
            // or as one percent-encoded segment (how Tagpurge sends it), decoded once.
            case URL -> List.of(cachedUrl(path.substring("/purge/".length())));
            default -> List.of();
        };
    }

    // Inside Quarkus with a non-default root path the router is itself mounted below that path.
    private static String mountPoint(RoutingContext ctx) {
        String mount = ctx.mountPoint();
        return mount == null || mount.equals("/") ? "" : mount.replaceAll("/+$", "");
    }

    private static String cachedUrl(String afterPurge) {
        boolean oneSegment = afterPurge.indexOf('/') < 0 && afterPurge.indexOf('?') < 0;
        return oneSegment ? decode(afterPurge) : afterPurge;
    }

    private static String decode(String segment) {
        return URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    private static Map<String, String> recordedHeaders(RoutingContext ctx) {
        Map<String, String> headers = new LinkedHashMap<>();
        for (String name : List.of("Fastly-Soft-Purge", "Content-Type")) {
            String value = header(ctx, name);
            if (value != null) {
                headers.put(name, value);
            }
        }
        return headers;
    }

    private static String header(RoutingContext ctx, String name) {
        return ctx.request().getHeader(name);
    }
}
