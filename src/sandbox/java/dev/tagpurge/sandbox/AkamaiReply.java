package dev.tagpurge.sandbox;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * An answer of the emulated Fast Purge API: JSON on success, {@code application/problem+json} on
 * errors, as Akamai's APIs answer.
 *
 * @param status HTTP status
 * @param body the JSON body
 * @param contentType {@code application/json} or {@code application/problem+json}
 * @param headers extra response headers
 */
record AkamaiReply(int status, JsonObject body, String contentType, Map<String, String> headers) {

    static final String JSON = "application/json";
    static final String PROBLEM_JSON = "application/problem+json";

    // Emulator-made problem types, shaped like Akamai's problem URIs.
    private static final String PROBLEM_BASE = "https://problems.purge.akamaiapis.net/-/ccu/v3/";

    AkamaiReply {
        headers = Map.copyOf(headers);
    }

    /** The 201 of an accepted purge. */
    static AkamaiReply accepted(String purgeId, long estimatedSeconds) {
        return new AkamaiReply(
                201,
                new JsonObject()
                        .put("httpStatus", 201)
                        .put("detail", "Request accepted")
                        .put("estimatedSeconds", estimatedSeconds)
                        .put("purgeId", purgeId)
                        .put("supportId", supportId()),
                JSON,
                Map.of());
    }

    /**
     * An RFC 9457 problem, with the {@code httpStatus} and {@code supportId} members Fast Purge
     * adds to its errors.
     */
    static AkamaiReply problem(int status, String slug, String title, String detail, String path) {
        JsonObject body =
                new JsonObject()
                        .put("type", PROBLEM_BASE + slug)
                        .put("title", title)
                        .put("status", status)
                        .put("detail", detail)
                        .put("instance", path)
                        .put("httpStatus", status)
                        .put("supportId", supportId());
        return new AkamaiReply(status, body, PROBLEM_JSON, Map.of());
    }

    AkamaiReply withHeaders(Map<String, String> extra) {
        return new AkamaiReply(status, body, contentType, extra);
    }

    /** Writes this reply unless the client has already gone away. */
    void send(RoutingContext ctx) {
        if (ctx.response().ended() || ctx.response().closed()) {
            return;
        }
        ctx.response().setStatusCode(status);
        headers.forEach(ctx.response()::putHeader);
        ctx.response().putHeader("Content-Type", contentType).end(body.encode());
    }

    // Shaped like Akamai's support ids, e.g. 17PY1321286429616716-211907680.
    private static String supportId() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        return String.format(
                Locale.ROOT,
                "17SY%016d-%09d",
                random.nextLong(1_000_000_000_000_000L, 10_000_000_000_000_000L),
                random.nextInt(1_000_000_000));
    }
}
