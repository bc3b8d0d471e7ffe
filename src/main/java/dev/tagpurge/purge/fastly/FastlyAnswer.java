package dev.tagpurge.purge.fastly;

import dev.tagpurge.purge.ProviderAnswers;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The parts of a Fastly HTTP response that decide the purge result.
 *
 * @param status HTTP status
 * @param body response body, possibly empty
 * @param retryAfter the {@code Retry-After} header
 * @param rateLimitReset the {@code Fastly-RateLimit-Reset} header (epoch seconds)
 * @param rateLimitRemaining the {@code Fastly-RateLimit-Remaining} header (calls left this hour)
 */
record FastlyAnswer(
        int status,
        String body,
        Optional<String> retryAfter,
        Optional<String> rateLimitReset,
        Optional<String> rateLimitRemaining) {

    FastlyAnswer {
        body = body == null ? "" : body;
    }

    FastlyAnswer(
            int status, String body, Optional<String> retryAfter, Optional<String> rateLimitReset) {
        this(status, body, retryAfter, rateLimitReset, Optional.empty());
    }

    /** Calls left in Fastly's hourly window, when it said. */
    OptionalLong remaining() {
        return ProviderAnswers.remaining(rateLimitRemaining);
    }
}
