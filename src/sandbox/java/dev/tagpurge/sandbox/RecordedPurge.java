package dev.tagpurge.sandbox;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One request that reached an emulated purge API, as the provider would have seen it. Credentials
 * are never recorded, only whether the request carried any.
 *
 * @param provider {@code fastly}, …
 * @param method HTTP method
 * @param path the path below the provider's API root, with the query string if any
 * @param headers selected request headers (soft-purge flag, content type), never credentials
 * @param authPresent whether the request carried credentials
 * @param action what was asked, in the provider's terms ({@code bulk}, {@code key}, {@code url},
 *     {@code purge_all}, …)
 * @param items the keys, URLs or other objects named by the request, in request order
 * @param soft whether the purge was soft
 * @param status the HTTP status the emulator answered
 * @param at when the request was answered
 */
public record RecordedPurge(
        String provider,
        String method,
        String path,
        Map<String, String> headers,
        boolean authPresent,
        String action,
        List<String> items,
        boolean soft,
        int status,
        Instant at) {

    public RecordedPurge {
        headers = Map.copyOf(headers);
        items = List.copyOf(items);
    }

    /** Whether the emulator answered with a 2xx status. */
    public boolean succeeded() {
        return status >= 200 && status < 300;
    }

    /** The JSON form served by the sandbox admin API. */
    public JsonObject toJson() {
        return new JsonObject()
                .put("provider", provider)
                .put("method", method)
                .put("path", path)
                .put("headers", new JsonObject(Map.copyOf(headers)))
                .put("authPresent", authPresent)
                .put("action", action)
                .put("items", new JsonArray(items))
                .put("soft", soft)
                .put("status", status)
                .put("at", at.toString());
    }
}
