package dev.tagpurge.sandbox;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A request to the emulated Fast Purge API, parsed but not yet judged.
 *
 * @param method the HTTP method
 * @param operation the path's {@code invalidate} or {@code delete}
 * @param objectType the path's {@code url}, {@code tag} or {@code cpcode}
 * @param network the path's {@code staging} or {@code production}
 * @param path the path below the Akamai root, with the query string if any
 * @param signedPath the raw path and query as received, which EdgeGrid signs
 * @param host the {@code Host} header, which EdgeGrid signs; empty when missing
 * @param authorization the {@code Authorization} header, used for the check and never recorded
 * @param body the raw body
 * @param json the body when it is a JSON object
 * @param items the body's {@code objects} as strings, best effort, for the record
 * @param headers the request headers worth recording (never the authorization)
 */
record AkamaiInbound(
        String method,
        String operation,
        String objectType,
        String network,
        String path,
        String signedPath,
        String host,
        Optional<String> authorization,
        byte[] body,
        Optional<JsonObject> json,
        List<String> items,
        Map<String, String> headers) {

    static final String INVALIDATE = "invalidate";
    static final String DELETE = "delete";
    static final String URL = "url";
    static final String TAG = "tag";
    static final String CPCODE = "cpcode";

    private static final Set<String> OPERATIONS = Set.of(INVALIDATE, DELETE);
    private static final Set<String> OBJECT_TYPES = Set.of(URL, TAG, CPCODE);
    private static final Set<String> NETWORKS = Set.of("staging", "production");

    /** Parses a request that matched {@code /ccu/v3/:operation/:type/:network} below root. */
    static AkamaiInbound parse(RoutingContext ctx, String root) {
        String rawPath = ctx.request().path();
        String base = mountPoint(ctx) + root;
        String relative = rawPath.startsWith(base) ? rawPath.substring(base.length()) : rawPath;
        String query = ctx.request().query();
        String suffix = query == null ? "" : "?" + query;
        Buffer buffer = ctx.body() == null ? null : ctx.body().buffer();
        byte[] body = buffer == null ? new byte[0] : buffer.getBytes();
        Optional<JsonObject> json = parseObject(buffer);
        String host = ctx.request().getHeader("Host");
        return new AkamaiInbound(
                ctx.request().method().name(),
                ctx.pathParam("operation"),
                ctx.pathParam("type"),
                ctx.pathParam("network"),
                relative + suffix,
                rawPath + suffix,
                host == null ? "" : host,
                Optional.ofNullable(ctx.request().getHeader("Authorization")),
                body,
                json,
                items(json),
                recordedHeaders(ctx));
    }

    /** Whether the path names a known operation, object type and network. */
    boolean routable() {
        return OPERATIONS.contains(operation)
                && OBJECT_TYPES.contains(objectType)
                && NETWORKS.contains(network);
    }

    /** {@code invalidate} marks stale, {@code delete} removes. */
    boolean soft() {
        return INVALIDATE.equals(operation);
    }

    /** {@code operation/objectType}, e.g. {@code delete/tag}: the recorded action. */
    String action() {
        return operation + "/" + objectType;
    }

    private static Optional<JsonObject> parseObject(Buffer buffer) {
        if (buffer == null || buffer.length() == 0) {
            return Optional.empty();
        }
        try {
            return Optional.of(new JsonObject(buffer));
        } catch (DecodeException | ClassCastException e) {
            return Optional.empty();
        }
    }

    private static List<String> items(Optional<JsonObject> json) {
        return json.map(j -> j.getValue("objects"))
                .filter(JsonArray.class::isInstance)
                .map(a -> ((JsonArray) a).stream().map(String::valueOf).toList())
                .orElse(List.of());
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
