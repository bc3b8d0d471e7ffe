package dev.tagpurge.purge.akamai;

import dev.tagpurge.purge.ProviderAnswers;
import dev.tagpurge.purge.PurgeResult;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Maps Fast Purge answers to {@link PurgeResult}s: 201 accepted with its {@code purgeId} and {@code
 * estimatedSeconds}, 429 throttled with the provider's retry hint, 413 too large, 401/403 auth and
 * other 4xx bad request (with the problem+json {@code title} and {@code detail}), 5xx retryable.
 * Pure functions, tested without a network.
 */
final class AkamaiResponses {

    // Below this an X-Ratelimit-Reset value is a number of seconds to wait, above it an epoch.
    private static final long EPOCH_SECONDS_FLOOR = 1_000_000_000L;
    private static final long EPOCH_MILLIS_FLOOR = 1_000_000_000_000L;

    private AkamaiResponses() {}

    /** The result of a call that got an HTTP answer. */
    static PurgeResult toResult(AkamaiAnswer answer, Instant now) {
        int status = answer.status();
        if (status >= 200 && status < 300) {
            return new PurgeResult.Accepted(
                    purgeId(answer.body()).map(List::of).orElse(List.of()),
                    Map.of(),
                    OptionalLong.empty(),
                    estimatedSeconds(answer.body())
                            .map(OptionalLong::of)
                            .orElse(OptionalLong.empty()));
        }
        String detail = ProviderAnswers.truncate("akamai HTTP " + status + problem(answer.body()));
        if (status == 413) {
            return PurgeResult.permanent("too-large", detail);
        }
        return ProviderAnswers.byStatus(
                status, detail, retryAfter(answer, now), OptionalLong.empty());
    }

    /** The {@code purgeId} of an accepted purge. */
    static Optional<String> purgeId(String body) {
        return ProviderAnswers.jsonObject(body)
                .map(json -> json.getValue("purgeId"))
                .filter(String.class::isInstance)
                .map(String.class::cast);
    }

    /** Akamai's estimate of the seconds until the purge has reached the network. */
    static Optional<Long> estimatedSeconds(String body) {
        return ProviderAnswers.jsonObject(body)
                .map(json -> json.getValue("estimatedSeconds"))
                .filter(Number.class::isInstance)
                .map(n -> ((Number) n).longValue());
    }

    /**
     * The wait Akamai asks for: {@code Retry-After} (seconds or an HTTP date), else {@code
     * X-Ratelimit-Reset} (epoch seconds or milliseconds, or a number of seconds).
     */
    static Optional<Duration> retryAfter(AkamaiAnswer answer, Instant now) {
        return ProviderAnswers.retryAfterOrReset(
                answer.retryAfter(), answer.rateLimitReset(), now, value -> untilReset(value, now));
    }

    private static Duration untilReset(long value, Instant now) {
        if (value >= EPOCH_MILLIS_FLOOR) {
            return ProviderAnswers.untilEpochMilli(value, now);
        }
        if (value >= EPOCH_SECONDS_FLOOR) {
            return ProviderAnswers.untilEpochSecond(value, now);
        }
        return ProviderAnswers.untilEpochSecond(now.getEpochSecond() + Math.max(0, value), now);
    }

    // Errors are application/problem+json: title and detail say what was wrong.
    private static String problem(String body) {
        Optional<JsonObject> json = ProviderAnswers.jsonObject(body);
        if (json.isEmpty()) {
            return body.isBlank() ? "" : ": " + body.strip();
        }
        String title = json.get().getValue("title") instanceof String t ? t : "";
        String detail = json.get().getValue("detail") instanceof String d ? d : "";
        String text =
                detail.isEmpty() ? title : title.isEmpty() ? detail : title + " (" + detail + ")";
        return text.isEmpty() ? "" : ": " + text;
    }
}
