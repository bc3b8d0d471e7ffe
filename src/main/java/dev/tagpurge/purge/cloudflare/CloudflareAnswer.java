package dev.tagpurge.purge.cloudflare;

import dev.tagpurge.purge.ProviderAnswers;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The parts of a Cloudflare HTTP response that decide the purge result.
 *
 * @param status HTTP status
 * @param body response body, possibly empty
 * @param retryAfter the {@code Retry-After} header
 * @param rateLimitLimit the {@code x-ratelimit-limit} header, if sent (UNCONFIRMED for purges)
 * @param rateLimitRemaining the {@code x-ratelimit-remaining} header, if sent
 */
record CloudflareAnswer(
        int status,
        String body,
        Optional<String> retryAfter,
        Optional<String> rateLimitLimit,
        Optional<String> rateLimitRemaining) {

    CloudflareAnswer {
        body = body == null ? "" : body;
    }

    /** {@code x-ratelimit-remaining} as a number, when sent and numeric. */
    OptionalLong remaining() {
        return ProviderAnswers.remaining(rateLimitRemaining);
    }

    /**
     * The rate-limit headers as {@code x-ratelimit-remaining=R x-ratelimit-limit=L}, when either
     * was sent. The pipeline does not act on them yet; they travel in details and logs.
     */
    Optional<String> quota() {
        if (rateLimitLimit.isEmpty() && rateLimitRemaining.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(
                "x-ratelimit-remaining="
                        + rateLimitRemaining.map(String::strip).orElse("?")
                        + " x-ratelimit-limit="
                        + rateLimitLimit.map(String::strip).orElse("?"));
    }
}
