package dev.tagpurge.fault;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tagpurge.testing.ProcessSignals;
import dev.tagpurge.testing.ServiceProcess;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Three replicas in one consumer group share six partitions under a steady load; one is killed
 * (kill -9). The group must rebalance its partitions onto the other two (after the 6 s session
 * timeout), and every event must end completed or dead-lettered.
 */
class FaultReplicaKillIT extends FaultSuiteSupport {

    private static final int PARTITIONS = 6;
    private static final int PER_SECOND = 300;

    @Test
    void killedReplicaIsReplacedByTheGroupWithoutLoss() throws Exception {
        Run run = Run.fresh();
        createTopics(run, PARTITIONS);
        Outcomes outcomes = followOutcomes(run);
        Map<String, String> config = serviceConfig(run);
        fastlyTarget(config, "cdn", run);
        ServiceProcess a = startService("replica-a", config);
        ServiceProcess b = startService("replica-b", config);
        ServiceProcess c = startService("replica-c", config);
        awaitAssigned(List.of(a, b, c), PARTITIONS);
        EventLoad load = steadyLoad(run, PER_SECOND);
        awaitCompleted(outcomes, 1000);

        ProcessSignals.kill(b.pid());
        Instant killedAt = Instant.now();
        long bound = completedButUncommitted(run, outcomes);
        awaitAssigned(List.of(a, c), PARTITIONS);
        long rebalanceMs = Duration.between(killedAt, Instant.now()).toMillis();
        hold(Duration.ofSeconds(5));
        load.stopSteady();

        long recovery =
                recoveryMs(outcomes, load.sentBefore(killedAt), killedAt, Duration.ofSeconds(120));
        awaitOutcomes(outcomes, load.ids(), Duration.ofSeconds(60));
        int lost = outcomes.missing(load.ids()).size();
        FaultReport.write(
                "replica-kill-9-of-3",
                load.ids().size(),
                lost,
                outcomes.duplicates(),
                bound,
                recovery,
                String.format(
                        "partitions on the survivors after %d ms, completions in the 6 s after the"
                                + " kill=%d",
                        rebalanceMs,
                        outcomes.completionsBetween(killedAt, killedAt.plusSeconds(6))));

        assertThat(lost).as("events without completion or dead letter").isZero();
        assertThat((long) outcomes.duplicates())
                .as("duplicate completions, at most the completed-but-uncommitted at the kill")
                .isLessThanOrEqualTo(bound);
    }
}
