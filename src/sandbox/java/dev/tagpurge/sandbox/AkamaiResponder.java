package dev.tagpurge.sandbox;

import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Decides the emulated Fast Purge API's answer to a parsed request: EdgeGrid authentication, body
 * size, request shape, then the account's rate limits; a request that passes all is accepted with a
 * fresh {@code purgeId}.
 */
final class AkamaiResponder {

    /** Akamai's documented limit on one request body. */
    static final int MAX_BODY_BYTES = 50_000;

    /** What Fast Purge typically estimates. */
    static final long ESTIMATED_SECONDS = 5;

    private final AkamaiSignatureCheck signatures;
    private final AkamaiRateLimits limits;

    AkamaiResponder(AkamaiEmulatorSettings settings, Clock clock) {
        this.signatures = new AkamaiSignatureCheck(settings);
        this.limits = new AkamaiRateLimits(settings, clock);
    }

    /** The answer to a request that no fault intercepted. */
    AkamaiReply answer(AkamaiInbound in) {
        Optional<String> unauthenticated = signatures.problem(in);
        if (unauthenticated.isPresent()) {
            return AkamaiReply.problem(
                    401, "unauthorized", "Not authorized", unauthenticated.get(), in.path());
        }
        if (in.body().length > MAX_BODY_BYTES) {
            return AkamaiReply.problem(
                    413,
                    "request-entity-too-large",
                    "Request Entity Too Large",
                    "The request body of "
                            + in.body().length
                            + " bytes exceeds the limit of "
                            + MAX_BODY_BYTES
                            + " bytes",
                    in.path());
        }
        Optional<String> malformed = AkamaiObjectsCheck.problem(in.objectType(), in.json());
        if (malformed.isPresent()) {
            return AkamaiReply.problem(
                    400, "bad-request", "Bad request", malformed.get(), in.path());
        }
        AkamaiRateLimits.Verdict verdict = limits.admit(in.objectType(), in.items().size());
        if (!verdict.allowed()) {
            return throttled(in, verdict);
        }
        return AkamaiReply.accepted(UUID.randomUUID().toString(), ESTIMATED_SECONDS);
    }

    /** The answer to a request failed by an injected fault. */
    static AkamaiReply fault(int status, String path) {
        AkamaiReply reply =
                AkamaiReply.problem(
                        status,
                        "sandbox-fault",
                        "Sandbox injected fault",
                        "sandbox injected fault (HTTP " + status + ")",
                        path);
        // A throttling fault carries the retry hint a real 429 would, so clients can honour it.
        return status == 429 ? reply.withHeaders(Map.of("Retry-After", "1")) : reply;
    }

    /** Refills every rate-limit bucket. */
    void reset() {
        limits.reset();
    }

    private static AkamaiReply throttled(AkamaiInbound in, AkamaiRateLimits.Verdict verdict) {
        long waitMillis = verdict.retryAfter().toMillis();
        long retryAfter = Math.max(1, (waitMillis + 999) / 1000);
        return AkamaiReply.problem(
                        429,
                        "rate-limit-exceeded",
                        "Rate Limit exceeded",
                        "The "
                                + verdict.bucket()
                                + " rate limit is exceeded; retry in "
                                + retryAfter
                                + " s",
                        in.path())
                .withHeaders(
                        Map.of(
                                "X-Ratelimit-Limit", Long.toString(verdict.limit()),
                                "X-Ratelimit-Remaining", Long.toString(verdict.remaining()),
                                "Retry-After", Long.toString(retryAfter)));
    }
}
