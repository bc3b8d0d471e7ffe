package dev.tagpurge.sandbox;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.Map;

/**
 * An HTTP answer of the sandbox: a status, an optional JSON body and extra headers.
 *
 * @param status HTTP status
 * @param body a {@link JsonObject}, a {@link JsonArray}, or {@code null} for no body
 * @param headers extra response headers
 */
record HttpReply(int status, Object body, Map<String, String> headers) {

    HttpReply {
        headers = Map.copyOf(headers);
    }

    static HttpReply json(int status, Object body) {
        return new HttpReply(status, body, Map.of());
    }

    /** A JSON error in the shape the provider APIs use for messages. */
    static HttpReply message(int status, String field, String text) {
        return json(status, new JsonObject().put(field, text));
    }

    static HttpReply empty(int status) {
        return new HttpReply(status, null, Map.of());
    }

    HttpReply withHeaders(Map<String, String> extra) {
        return new HttpReply(status, body, extra);
    }

    /** Writes this reply unless the client has already gone away. */
    void send(RoutingContext ctx) {
        if (ctx.response().ended() || ctx.response().closed()) {
            return;
        }
        ctx.response().setStatusCode(status);
        headers.forEach(ctx.response()::putHeader);
        if (body == null) {
            ctx.response().end();
            return;
        }
        String encoded =
                body instanceof JsonArray array ? array.encode() : ((JsonObject) body).encode();
        ctx.response().putHeader("Content-Type", "application/json").end(encoded);
    }
}
