package dev.tagpurge.fault;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The provider stops answering: every Fastly request hangs (an answer due in ten minutes), on more
 * requests than the HTTP pool (32 connections per host) holds. Then the provider recovers (the
 * fault is removed; requests already hanging stay hung, as on a real dead connection). The service
 * must time the hung requests out, retry, complete every event, and resume.
 */
class FaultProviderHangIT extends FaultSuiteSupport {

    private static final Duration HANG = Duration.ofSeconds(20);
    private static final int PER_SECOND = 100;

    private static Map<String, String> config(Run run) {
        Map<String, String> c = serviceConfig(run);
        fastlyTarget(c, "cdn", run);
        // small batches and more in flight than the pool holds, so hung requests fill the pool
        c.put("tagpurge.targets.cdn.batch-size", "10");
        c.put("tagpurge.targets.cdn.max-in-flight", "64");
        c.put("tagpurge.purge.request-timeout", "3s");
        c.put("tagpurge.purge.retry-max-backoff", "2s");
        return c;
    }

    @Test
    void hungProviderRecoversWithoutLoss() throws Exception {
        Run run = Run.fresh();
        createTopics(run, 4);
        Outcomes outcomes = followOutcomes(run);
        startService("provider-hang", config(run));
        EventLoad load = steadyLoad(run, PER_SECOND);
        awaitCompleted(outcomes, 200);

        Instant hungAt = Instant.now();
        sandbox.sandbox().faults().addLatency("fastly", Duration.ofMinutes(10));
        hold(HANG);
        sandbox.sandbox().faults().clear("fastly");
        Instant recoveredAt = Instant.now();
        hold(Duration.ofSeconds(10));
        load.stopSteady();

        long recovery =
                recoveryMs(
                        outcomes,
                        load.sentBefore(recoveredAt),
                        recoveredAt,
                        Duration.ofSeconds(90));
        awaitOutcomes(outcomes, load.ids(), Duration.ofSeconds(30));
        int lost = outcomes.missing(load.ids()).size();
        long afterRecovery = outcomes.completionsBetween(recoveredAt, Instant.now());
        FaultReport.write(
                "provider-hang-20s",
                load.ids().size(),
                lost,
                outcomes.duplicates(),
                0,
                recovery,
                String.format(
                        "completions during the hang=%d, after it=%d, events sent during it=%d",
                        outcomes.completionsBetween(hungAt, recoveredAt),
                        afterRecovery,
                        load.sentBefore(recoveredAt).size() - load.sentBefore(hungAt).size()));

        assertThat(lost).as("events without completion or dead letter").isZero();
        assertThat(afterRecovery).as("completions after the provider recovered").isPositive();
        // no replica left the group and no broker went away: nothing is delivered twice
        assertThat(outcomes.duplicates()).as("duplicate completions").isZero();
    }
}
