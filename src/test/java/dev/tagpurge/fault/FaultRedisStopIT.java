package dev.tagpurge.fault;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tagpurge.testing.ProcessSignals;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Redis frozen (SIGSTOP: its socket stays open, nothing answers) for 30 s under load while the
 * replicas share their rate limits in it: the limiter must give up on Redis within its timeout and
 * fall back to this replica's share, so purges go on during the stop; after SIGCONT nothing is
 * lost.
 */
class FaultRedisStopIT extends FaultSuiteSupport {

    private static final Duration STOP = Duration.ofSeconds(30);
    private static final int PER_SECOND = 50;

    private static Map<String, String> config(Run run) {
        Map<String, String> c = serviceConfig(run);
        sharedCloudflareTarget(c, 20, 20);
        c.put("tagpurge.ratelimit.fallback-share", "0.5");
        return c;
    }

    @Test
    void purgesContinueOnTheFallbackShareWhileRedisIsFrozen() throws Exception {
        Run run = Run.fresh();
        createTopics(run, 4);
        Outcomes outcomes = followOutcomes(run);
        startService("redis-stop", config(run));
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
        hold(Duration.ofSeconds(10));
        load.stopSteady();

        long recovery =
                recoveryMs(outcomes, load.sentBefore(resumedAt), resumedAt, Duration.ofSeconds(90));
        awaitOutcomes(outcomes, load.ids(), Duration.ofSeconds(30));
        long duringStop = outcomes.completionsBetween(stoppedAt, resumedAt);
        // what was already past the limiter completes in the first seconds anyway: only the
        // second half of the stop shows whether purges go on without Redis
        long secondHalf = outcomes.completionsBetween(stoppedAt.plus(STOP.dividedBy(2)), resumedAt);
        int lost = outcomes.missing(load.ids()).size();
        FaultReport.write(
                "redis-sigstop-30s",
                load.ids().size(),
                lost,
                outcomes.duplicates(),
                0,
                recovery,
                String.format(
                        "completions during the stop=%d, in its second half=%d (load %d/s),"
                                + " failed sends=%d",
                        duringStop, secondHalf, PER_SECOND, load.failedSends()));

        assertThat(secondHalf)
                .as("completions in the second half of the stop (the fallback share)")
                .isPositive();
        assertThat(lost).as("events without completion or dead letter").isZero();
        // no replica left the group and no broker went away: nothing is delivered twice
        assertThat(outcomes.duplicates()).as("duplicate completions").isZero();
    }
}
