package dev.tagpurge.fault;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tagpurge.testing.ProcessSignals;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The Kafka broker dies (kill -9) in the middle of a steady stream and is started again on the same
 * port and data folder after a few seconds; events are produced before, during (buffered by the
 * producer) and after. Every acknowledged event must end completed or dead-lettered.
 */
class FaultBrokerRestartIT extends FaultSuiteSupport {

    private static final Duration DOWN = Duration.ofSeconds(5);
    private static final int PER_SECOND = 100;

    @Test
    void brokerRestartMidStreamLosesNothing() throws Exception {
        Run run = Run.fresh();
        createTopics(run, 4);
        Outcomes outcomes = followOutcomes(run);
        Map<String, String> config = serviceConfig(run);
        fastlyTarget(config, "cdn", run);
        startService("broker-restart", config);
        EventLoad load = steadyLoad(run, PER_SECOND);
        awaitCompleted(outcomes, 300);

        long committedBefore = committedTotal(run);
        ProcessSignals.kill(broker.pid());
        Instant killedAt = Instant.now();
        hold(DOWN);
        broker = broker.startAgain();
        Instant restartedAt = Instant.now();
        hold(Duration.ofSeconds(10));
        load.stopSteady();

        long recovery =
                recoveryMs(
                        outcomes,
                        load.sentBefore(restartedAt),
                        restartedAt,
                        Duration.ofSeconds(180));
        awaitOutcomes(outcomes, load.ids(), Duration.ofSeconds(60));
        int lost = outcomes.missing(load.ids()).size();
        // a redelivery after the restart can only repeat what was not committed when the broker
        // died, or came later
        long bound = load.ids().size() - committedBefore;
        FaultReport.write(
                "broker-kill-restart",
                load.ids().size(),
                lost,
                outcomes.duplicates(),
                bound,
                recovery,
                String.format(
                        "broker down %d ms, completions while down=%d, failed sends=%d",
                        Duration.between(killedAt, restartedAt).toMillis(),
                        outcomes.completionsBetween(killedAt, restartedAt),
                        load.failedSends()));

        assertThat(load.failedSends()).as("sends the producer gave up on").isZero();
        assertThat(lost).as("events without completion or dead letter").isZero();
        assertThat((long) outcomes.duplicates())
                .as("duplicate completions")
                .isLessThanOrEqualTo(bound);
    }
}
