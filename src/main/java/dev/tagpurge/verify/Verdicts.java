package dev.tagpurge.verify;

import dev.tagpurge.purge.CacheObservation;
import dev.tagpurge.verify.ProbeResult.Verdict;
import java.time.Duration;

/**
 * Judges one observation against the purge: a miss is verified; a hit is verified when its copy is
 * younger than the time since the purge was accepted ({@code Age} less than that), and stale-served
 * when older, that is cached before the purge and still served. Anything else cannot tell.
 */
final class Verdicts {

    private Verdicts() {}

    static ProbeResult judge(String url, CacheObservation seen, Duration sincePurge) {
        return switch (seen.cache()) {
            case MISS -> new ProbeResult(url, Verdict.VERIFIED, seen.status());
            case UNCACHED -> ProbeResult.unverifiable(url, "not cached (" + seen.status() + ")");
            case UNKNOWN -> ProbeResult.unverifiable(url, "no cache status: " + seen.status());
            case HIT -> {
                if (seen.ageSeconds().isEmpty()) {
                    yield ProbeResult.unverifiable(url, "hit without Age (" + seen.status() + ")");
                }
                long age = seen.ageSeconds().getAsLong();
                String reason =
                        seen.status()
                                + ", Age "
                                + age
                                + " s, purged "
                                + sincePurge.toMillis()
                                + " ms before";
                yield Duration.ofSeconds(age).compareTo(sincePurge) > 0
                        ? new ProbeResult(url, Verdict.STALE_SERVED, reason)
                        : new ProbeResult(url, Verdict.VERIFIED, reason);
            }
        };
    }
}
