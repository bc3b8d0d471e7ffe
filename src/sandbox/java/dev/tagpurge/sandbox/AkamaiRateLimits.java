package dev.tagpurge.sandbox;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Akamai Fast Purge's account-wide limits: every request takes one token from the API-request
 * bucket and one per object from its object type's bucket (URLs, CP codes or tags). A request is
 * admitted only when both buckets have enough; a denied request consumes nothing. Thread-safe.
 */
final class AkamaiRateLimits {

    /**
     * The outcome of one admission.
     *
     * @param allowed whether the request may proceed
     * @param bucket the bucket that denied it ({@code requests}, {@code url}, {@code cpcode},
     *     {@code tag}), or the object bucket when allowed
     * @param limit that bucket's burst
     * @param remaining whole tokens left in that bucket
     * @param retryAfter how long until the request would be admitted (zero when allowed)
     */
    record Verdict(
            boolean allowed, String bucket, long limit, long remaining, Duration retryAfter) {}

    private final Clock clock;
    private final AkamaiTokenBucket requests;
    private final AkamaiTokenBucket urls;
    private final AkamaiTokenBucket cpCodes;
    private final AkamaiTokenBucket tags;

    AkamaiRateLimits(AkamaiEmulatorSettings settings, Clock clock) {
        this.clock = clock;
        this.requests = new AkamaiTokenBucket(settings.requests());
        this.urls = new AkamaiTokenBucket(settings.urls());
        this.cpCodes = new AkamaiTokenBucket(settings.cpCodes());
        this.tags = new AkamaiTokenBucket(settings.tags());
    }

    /** Admits one request purging {@code objects} objects of {@code objectType}, or denies it. */
    synchronized Verdict admit(String objectType, long objects) {
        long now = nowNanos();
        AkamaiTokenBucket items = bucket(objectType);
        requests.refill(now);
        items.refill(now);
        boolean requestOk = requests.has(1);
        boolean itemsOk = items.has(objects);
        if (requestOk && itemsOk) {
            requests.take(1);
            items.take(objects);
            return new Verdict(true, objectType, items.burst(), items.remaining(), Duration.ZERO);
        }
        Duration wait = requestOk ? Duration.ZERO : requests.timeUntil(1);
        if (!itemsOk && items.timeUntil(objects).compareTo(wait) > 0) {
            wait = items.timeUntil(objects);
        }
        AkamaiTokenBucket denying = requestOk ? items : requests;
        return new Verdict(
                false,
                requestOk ? objectType : "requests",
                denying.burst(),
                denying.remaining(),
                wait);
    }

    /** Refills every bucket. */
    synchronized void reset() {
        requests.reset();
        urls.reset();
        cpCodes.reset();
        tags.reset();
    }

    private AkamaiTokenBucket bucket(String objectType) {
        return switch (objectType) {
            case AkamaiInbound.URL -> urls;
            case AkamaiInbound.CPCODE -> cpCodes;
            case AkamaiInbound.TAG -> tags;
            default -> throw new IllegalArgumentException("unknown object type " + objectType);
        };
    }

    private long nowNanos() {
        Instant now = clock.instant();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }
}
