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
        if (status == 429) {
            return new PurgeResult.Retryable(
                    "throttled", detail, retryAfter(answer, now), true, answer.remaining());
        }
        if (status >= 500) {
            return PurgeResult.retryable("server-error", detail);
        }
        if (status == 401 || status == 403) {
            return PurgeResult.permanent("auth", detail);
        }
        return status >= 400
                ? PurgeResult.permanent("bad-request", detail)
                : PurgeResult.permanent("unexpected-status", detail);
    }

    /** The result of a call that got no answer: always retryable. */
    static PurgeResult fromFailure(Throwable failure) {
        return ProviderAnswers.transportFailure("fastly", failure);
    }

    /**
     * The wait Fastly asks for: {@code Retry-After} (seconds or an HTTP date), else the time until
     * {@code Fastly-RateLimit-Reset}.
     */
    static Optional<Duration> retryAfter(FastlyAnswer answer, Instant now) {
        Optional<Duration> header =
                answer.retryAfter()
                        .flatMap(value -> ProviderAnswers.retryAfter(value.strip(), now));
        if (header.isPresent()) {
            return header;
        }
        return answer.rateLimitReset()
                .flatMap(value -> ProviderAnswers.parseLong(value.strip()))
                .map(epoch -> ProviderAnswers.untilEpochSecond(epoch, now));
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
