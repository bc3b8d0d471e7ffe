package dev.tagpurge.fault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tagpurge.sandbox.RecordedPurge;
import dev.tagpurge.testing.ProcessSignals;
import dev.tagpurge.testing.ServiceProcess;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Three replicas share a small Cloudflare bucket in Redis; Redis is frozen (SIGSTOP) for 20 s under
 * a load that wants more than the limit. Each replica falls back to 1/3 of the limit (the input
 * group's live members, no {@code fallback-share} set), so the fleet together stays within one
 * limit per provider window instead of three; after SIGCONT nothing is lost.
 */
class FaultFallbackShareIT extends FaultSuiteSupport {

    private static final Duration STOP = Duration.ofSeconds(20);
    private static final int PER_SECOND = 100;
    private static final int REPLICAS = 3;
    // the provider's limit as configured below: 20 tokens, refilled 20 per second
    private static final int CAPACITY = 20;
    private static final int REFILL_PER_SECOND = 20;

    private static Map<String, String> config(Run run) {
        Map<String, String> c = serviceConfig(run);
        sharedCloudflareTarget(c, CAPACITY, REFILL_PER_SECOND);
        c.put("tagpurge.ratelimit.membership-refresh", "2s");
        return c;
    }

    @Test
    void replicasFallingBackTogetherStayWithinOneLimit() throws Exception {
        Run run = Run.fresh();
        createTopics(run, REPLICAS);
        Outcomes outcomes = followOutcomes(run);
        List<ServiceProcess> services = new ArrayList<>();
        for (int i = 0; i < REPLICAS; i++) {
            services.add(startService("fallback-share-" + i, config(run)));
        }
        awaitAssigned(services, REPLICAS);
        await().pollInterval(Duration.ofMillis(500))
                .atMost(Duration.ofSeconds(60))
                .until(
                        () ->
                                services.stream()
                                        .allMatch(s -> Math.abs(share(s) - 1.0 / REPLICAS) < 1e-9));
        EventLoad load = steadyLoad(run, PER_SECOND);
        awaitCompleted(outcomes, 100);

        Instant stoppedAt = Instant.now();
        ProcessSignals.freeze(redis.pid());
        Instant resumedAt;
        try {
            hold(STOP);
        } finally {
            ProcessSignals.resume(redis.pid());
            resumedAt = Instant.now();
        }
        load.stopSteady();
        boolean complete = awaitOutcomes(outcomes, load.ids(), Duration.ofSeconds(120));

        long[] perSecond = requestsPerSecond(stoppedAt, (int) STOP.toSeconds());
        long max = 0;
        long secondHalf = 0;
        for (int s = 0; s < perSecond.length; s++) {
            max = Math.max(max, perSecond[s]);
            if (s >= perSecond.length / 2) {
                secondHalf += perSecond[s];
            }
        }
        int lost = outcomes.missing(load.ids()).size();
        FaultReport.write(
                "redis-sigstop-fallback-share",
                load.ids().size(),
                lost,
                outcomes.duplicates(),
                0,
                complete ? Duration.between(resumedAt, Instant.now()).toMillis() : -1,
                String.format(
                        "limit %d per 1 s (burst %d); Cloudflare requests per 1 s window during the"
                                + " stop %s, max %d, second half %d in %d s; load %d/s",
                        REFILL_PER_SECOND,
                        CAPACITY,
                        Arrays.toString(perSecond),
                        max,
                        secondHalf,
                        perSecond.length - perSecond.length / 2,
                        PER_SECOND));

        assertThat(secondHalf)
                .as("requests in the second half of the stop (purges go on without Redis)")
                .isPositive();
        // A token bucket of capacity C refilled R per second lets C + R through in some 1 s window
        // (a full bucket, then its refill): so does the provider's own bucket. Three replicas each
        // with the whole limit would reach three times that.
        assertThat(max)
                .as("most requests of the fleet in one 1 s window during the stop")
                .isLessThanOrEqualTo(CAPACITY + REFILL_PER_SECOND);
        // Sustained, the fleet stays within the refill: at most R per second plus one burst.
        int halfSeconds = perSecond.length - perSecond.length / 2;
        assertThat(secondHalf)
                .as("requests of the fleet in the last %d s of the stop", halfSeconds)
                .isLessThanOrEqualTo((long) REFILL_PER_SECOND * halfSeconds + CAPACITY);
        assertThat(lost).as("events without completion or dead letter").isZero();
    }

    private static double share(ServiceProcess service) {
        return service.metric("tagpurge_ratelimit_fallback_share");
    }

    /** Cloudflare requests the sandbox recorded in each 1 s window from {@code from}. */
    private static long[] requestsPerSecond(Instant from, int seconds) {
        long[] counts = new long[seconds];
        for (RecordedPurge p : sandbox.sandbox().recorder().purges("cloudflare")) {
            long ms = Duration.between(from, p.at()).toMillis();
            if (ms >= 0 && ms < seconds * 1000L) {
                counts[(int) (ms / 1000)]++;
            }
        }
        return counts;
    }
}
