package dev.tagpurge.purge.cloudflare;

import dev.tagpurge.purge.ProviderAnswers;
import dev.tagpurge.purge.PurgeResult;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Maps Cloudflare's answers to {@link PurgeResult}s: {@code success:true} accepted with the purge
 * id; HTTP 429 or error 1134 throttled with {@code Retry-After}; 401/403 or errors 9109/10000 auth;
 * 5xx retryable; other 4xx bad request with Cloudflare's messages. Pure functions, tested without a
 * network.
 */
final class CloudflareResponses {

    /** "Unable to purge, rate limit reached". */
    static final int RATE_LIMITED = 1134;

    /** Unauthorized and authentication error, which Cloudflare may send with 400 as well. */
    static final Set<Integer> AUTH_ERRORS = Set.of(9109, 10000);

    private CloudflareResponses() {}

    /** A Cloudflare {@code errors[]} entry. */
    record ApiError(int code, String message) {
        @Override
        public String toString() {
            return message.isEmpty() ? Integer.toString(code) : code + " " + message;
        }
    }

    /** The result of a call that got an HTTP answer. */
    static PurgeResult toResult(CloudflareAnswer answer, Instant now) {
        int status = answer.status();
        Optional<JsonObject> json = ProviderAnswers.jsonObject(answer.body());
        boolean declined = json.map(j -> Boolean.FALSE.equals(j.getValue("success"))).orElse(false);
        if (status >= 200 && status < 300 && !declined) {
            return new PurgeResult.Accepted(purgeIds(json), answer.remaining());
        }
        List<ApiError> errors = json.map(CloudflareResponses::errors).orElse(List.of());
        String detail = detail(answer, errors);
        Optional<Duration> retryAfter = retryAfter(answer, now);
        // Cloudflare's error codes decide before the status they come with.
        if (hasCode(errors, Set.of(RATE_LIMITED))) {
            return new PurgeResult.Retryable(
                    "throttled", detail, retryAfter, true, answer.remaining());
        }
        if (status != 429 && hasCode(errors, AUTH_ERRORS)) {
            return PurgeResult.permanent("auth", detail);
        }
        if (declined && status < 400) {
            // A 2xx that says success:false is a refusal like a 4xx.
            return PurgeResult.permanent("bad-request", detail);
        }
        return ProviderAnswers.byStatus(status, detail, retryAfter, answer.remaining());
    }

    /** The {@code errors[]} of a Cloudflare envelope; entries without a numeric code are kept. */
    static List<ApiError> errors(JsonObject envelope) {
        if (!(envelope.getValue("errors") instanceof JsonArray array)) {
            return List.of();
        }
        List<ApiError> errors = new ArrayList<>();
        for (Object entry : array) {
            if (entry instanceof JsonObject error) {
                int code = error.getValue("code") instanceof Number n ? n.intValue() : 0;
                String message = error.getValue("message") instanceof String m ? m.strip() : "";
                errors.add(new ApiError(code, message));
            }
        }
        return errors;
    }

    /** The wait Cloudflare asks for: {@code Retry-After} in seconds or as an HTTP date. */
    static Optional<Duration> retryAfter(CloudflareAnswer answer, Instant now) {
        return answer.retryAfter().flatMap(value -> ProviderAnswers.retryAfter(value.strip(), now));
    }

    private static String detail(CloudflareAnswer answer, List<ApiError> errors) {
        StringBuilder detail = new StringBuilder("cloudflare HTTP ").append(answer.status());
        // The quota goes first so that truncating a long error list never drops it.
        answer.quota().ifPresent(quota -> detail.append(" (").append(quota).append(")"));
        if (!errors.isEmpty()) {
            detail.append(": ")
                    .append(String.join("; ", errors.stream().map(ApiError::toString).toList()));
        } else if (!answer.body().isBlank()
                && ProviderAnswers.jsonObject(answer.body()).isEmpty()) {
            detail.append(": ").append(answer.body().strip());
        }
        return ProviderAnswers.truncate(detail.toString());
    }

    private static boolean hasCode(List<ApiError> errors, Set<Integer> codes) {
        return errors.stream().anyMatch(e -> codes.contains(e.code()));
    }

    private static List<String> purgeIds(Optional<JsonObject> json) {
        return json.map(j -> j.getValue("result"))
                .filter(JsonObject.class::isInstance)
                .map(result -> ((JsonObject) result).getValue("id"))
                .filter(String.class::isInstance)
                .map(id -> List.of((String) id))
                .orElse(List.of());
    }
}
