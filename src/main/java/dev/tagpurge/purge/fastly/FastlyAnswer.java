package dev.tagpurge.purge.fastly;

import java.util.Optional;

/**
 * The parts of a Fastly HTTP response that decide the purge result.
 *
 * @param status HTTP status
 * @param body response body, possibly empty
 * @param retryAfter the {@code Retry-After} header
 * @param rateLimitReset the {@code Fastly-RateLimit-Reset} header (epoch seconds)
 */
record FastlyAnswer(
        int status, String body, Optional<String> retryAfter, Optional<String> rateLimitReset) {

    FastlyAnswer {
        body = body == null ? "" : body;
    }
}
