package dev.tagpurge.purge.akamai;

import java.util.Optional;

/**
 * The parts of a Fast Purge HTTP response that decide the purge result.
 *
 * @param status HTTP status
 * @param body response body (JSON or {@code application/problem+json}), possibly empty
 * @param retryAfter the {@code Retry-After} header
 * @param rateLimitReset the {@code X-Ratelimit-Reset} header (epoch seconds, or seconds to wait)
 */
record AkamaiAnswer(
        int status, String body, Optional<String> retryAfter, Optional<String> rateLimitReset) {

    AkamaiAnswer {
        body = body == null ? "" : body;
    }
}
