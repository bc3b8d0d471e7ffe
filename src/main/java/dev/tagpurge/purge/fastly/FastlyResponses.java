package dev.tagpurge.purge.fastly;

import dev.tagpurge.domain.SelectorKind;
import dev.tagpurge.purge.ProviderAnswers;
import dev.tagpurge.purge.PurgeResult;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Maps Fastly's answers to {@link PurgeResult}s: 2xx accepted, 429 throttled with the provider's
 * retry hint, 5xx retryable, 401/403 auth, other 4xx bad request. Pure functions, tested without a
 * network.
 */
final class FastlyResponses {

    private FastlyResponses() {}

    /** The result of a call that got an HTTP answer. */
    static PurgeResult toResult(FastlyCall call, FastlyAnswer answer, Instant now) {
        int status = answer.status();
        if (status >= 200 && status < 300) {
            Map<String, String> idsByKey = idsByKey(call, answer.body());
            List<String> ids =
                    call.kind() == SelectorKind.TAG
                            ? idsByKey.values().stream().distinct().toList()
                            : singleId(answer.body());
            return new PurgeResult.Accepted(ids, idsByKey, answer.remaining());
        }
        String detail = ProviderAnswers.truncate("fastly HTTP " + status + message(answer.body()));
        return ProviderAnswers.byStatus(
                status, detail, retryAfter(answer, now), answer.remaining());
    }

    /**
     * The wait Fastly asks for: {@code Retry-After} (seconds or an HTTP date), else the time until
     * {@code Fastly-RateLimit-Reset}.
     */
    static Optional<Duration> retryAfter(FastlyAnswer answer, Instant now) {
        return ProviderAnswers.retryAfterOrReset(
                answer.retryAfter(),
                answer.rateLimitReset(),
                now,
                epoch -> ProviderAnswers.untilEpochSecond(epoch, now));
    }

    // Bulk answers map each key to its purge id; the others carry one "id" (purge_all none).
    private static Map<String, String> idsByKey(FastlyCall call, String body) {
        Map<String, String> ids = new LinkedHashMap<>();
        if (call.kind() != SelectorKind.TAG) {
            return ids;
        }
        ProviderAnswers.jsonObject(body)
                .ifPresent(
                        json -> {
                            for (String key : call.items()) {
                                if (json.getValue(key) instanceof String id) {
                                    ids.put(key, id);
                                }
                            }
                        });
        return ids;
    }

    private static List<String> singleId(String body) {
        return ProviderAnswers.jsonObject(body)
                .filter(json -> json.getValue("id") instanceof String)
                .map(json -> List.of(json.getString("id")))
                .orElse(List.of());
    }

    private static String message(String body) {
        Optional<JsonObject> json = ProviderAnswers.jsonObject(body);
        if (json.isEmpty()) {
            return body.isBlank() ? "" : ": " + body.strip();
        }
        String msg = json.get().getValue("msg") instanceof String m ? m : "";
        String detail = json.get().getValue("detail") instanceof String d ? d : "";
        String text = detail.isEmpty() ? msg : msg.isEmpty() ? detail : msg + " (" + detail + ")";
        return text.isEmpty() ? "" : ": " + text;
    }
}
