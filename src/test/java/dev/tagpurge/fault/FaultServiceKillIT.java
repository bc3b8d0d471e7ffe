package dev.tagpurge.fault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tagpurge.testing.ProcessSignals;
import dev.tagpurge.testing.ServiceProcess;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * kill -9 of the service at five random points of a 50,000-event stream, restarting it after each
 * kill. The points are drawn from a seeded random (printed; set {@code -Dfault.seed=} to replay a
 * run). Nothing may be lost, and duplicate completions may only come from events that had a
 * completion but no committed offset at a kill.
 */
class FaultServiceKillIT extends FaultSuiteSupport {

    private static final int EVENTS = 50_000;
    private static final int KILLS = 5;
    private static final long DEFAULT_SEED = 20_261_202L;

    @Test
    void fiveKillsInAStreamLoseNothing() throws Exception {
        long seed = Long.getLong("fault.seed", DEFAULT_SEED);
        List<Integer> killPoints = killPoints(seed);
        System.out.println(
                "FAULT service-kill-9: seed=" + seed + ", kill after completions " + killPoints);
        Run run = Run.fresh();
        createTopics(run, 4);
        Outcomes outcomes = followOutcomes(run);
        Map<String, String> config = serviceConfig(run);
        fastlyTarget(config, "cdn", run);
        EventLoad load =
                closeAfterTest(new EventLoad(broker.bootstrapServers(), run.input(), run.id()));
        load.produce(EVENTS);

        ServiceProcess service = startService("kill-0", config);
        List<Long> atKills = new ArrayList<>();
        List<Long> recoveries = new ArrayList<>();
        for (int k = 0; k < killPoints.size(); k++) {
            int point = killPoints.get(k);
            await().pollInterval(Duration.ofMillis(50))
                    .atMost(Duration.ofSeconds(180))
                    .until(() -> outcomes.completedCount() >= point);
            ProcessSignals.kill(service.pid());
            Instant killedAt = Instant.now();
            atKills.add(completedButUncommitted(run, outcomes));
            int completedAtKill = outcomes.completedCount();
            service = startService("kill-" + (k + 1), config);
            await().pollInterval(Duration.ofMillis(50))
                    .atMost(Duration.ofSeconds(120))
                    .until(() -> outcomes.completedCount() > completedAtKill);
            recoveries.add(Duration.between(killedAt, Instant.now()).toMillis());
        }
        long bound = atKills.stream().mapToLong(Long::longValue).sum();
        boolean all = awaitOutcomes(outcomes, load.ids(), Duration.ofSeconds(300));
        int lost = outcomes.missing(load.ids()).size();
        FaultReport.write(
                "service-kill-9-x5",
                load.ids().size(),
                lost,
                outcomes.duplicates(),
                bound,
                recoveries.stream().mapToLong(Long::longValue).max().orElse(-1),
                String.format(
                        "seed=%d, kill points=%s, completed but uncommitted at each kill=%s,"
                                + " kill-to-progress ms=%s (restart included), all outcomes=%s",
                        seed, killPoints, atKills, recoveries, all));

        assertThat(load.ids()).as("the broker acknowledged the whole stream").hasSize(EVENTS);
        assertThat(lost).as("events without completion or dead letter").isZero();
        assertThat((long) outcomes.duplicates())
                .as("duplicate completions, at most the completed-but-uncommitted at the kills")
                .isLessThanOrEqualTo(bound);
    }

    /** {@link #KILLS} distinct completion counts in [4%, 96%] of the stream, ascending. */
    private static List<Integer> killPoints(long seed) {
        Random random = new Random(seed);
        TreeSet<Integer> points = new TreeSet<>();
        while (points.size() < KILLS) {
            points.add(EVENTS / 25 + random.nextInt(EVENTS * 23 / 25));
        }
        return List.copyOf(points);
    }
}
