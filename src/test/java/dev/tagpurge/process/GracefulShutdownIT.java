package dev.tagpurge.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tagpurge.testing.ServiceProcess;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Stopping the service in the middle of a stream loses nothing: SIGTERM drains (stop intake, flush
 * windows, wait for in-flight purges and completions, commit), and even SIGKILL only re-sends.
 */
class GracefulShutdownIT extends ProcessTestSupport {

    @AfterEach
    void clearFaults() {
        sandbox.sandbox().faults().clear();
    }

    private static Map<String, String> slowPurges(Run run) {
        // slow provider: each request takes 250 ms, two at a time, 50 keys each, so purges are
        // still pending and in flight when the signal arrives
        sandbox.sandbox().faults().addLatency("fastly", Duration.ofMillis(250));
        Map<String, String> config = serviceConfig(run);
        config.put("tagpurge.targets.cdn.batch-size", "50");
        config.put("tagpurge.targets.cdn.max-in-flight", "2");
        config.put("tagpurge.shutdown.drain-timeout", "60s");
        return config;
    }

    private static List<String> send(Run run, int from, int to) {
        List<String> ids = new ArrayList<>();
        List<String> values = new ArrayList<>();
        IntStream.range(from, to)
                .forEach(
                        i -> {
                            ids.add(run.id() + "-" + i);
                            values.add(event(run.id() + "-" + i, "sd-" + run.id() + "-" + i));
                        });
        kafka.sendAll(run.input(), values);
        return ids;
    }

    @Test
    void sigtermMidStreamDrainsCommitsAndLosesNothing() {
        Run run = Run.fresh();
        Map<String, String> config = slowPurges(run);
        List<String> ids = new ArrayList<>();
        try (ServiceProcess first = ServiceProcess.start("first", config)) {
            ids.addAll(send(run, 0, 2000));
            await().pollInterval(Duration.ofMillis(500))
                    .atMost(Duration.ofSeconds(60))
                    .until(() -> completionCounts(run).size() >= 100);
            int doneAtSignal = completionCounts(run).size();

            first.terminate(Duration.ofSeconds(90));

            assertThat(doneAtSignal).as("the signal came mid-stream").isLessThan(2000);
            assertThat(first.logText()).contains("shutdown drain complete");
            Map<String, Integer> afterFirst = completionCounts(run);
            long committed = kafka.committedOffset(run.group(), run.input());
            assertThat(committed)
                    .as("everything the first instance consumed was drained and committed")
                    .isEqualTo(afterFirst.size());
            assertThat(afterFirst.values()).as("no event completed twice").allMatch(n -> n == 1);
        }

        ids.addAll(send(run, 2000, 2500));
        try (ServiceProcess second = ServiceProcess.start("second", config)) {
            await().pollInterval(Duration.ofMillis(500))
                    .atMost(Duration.ofSeconds(90))
                    .until(() -> completionCounts(run).size() == 2500);
            second.terminate(Duration.ofSeconds(90));
        }
        assertThat(completionCounts(run).keySet()).containsExactlyInAnyOrderElementsOf(ids);
        assertThat(purgedKeys(run)).hasSize(2500);
    }

    @Test
    void sigkillMidStreamReSendsButLosesNothing() {
        Run run = Run.fresh();
        Map<String, String> config = slowPurges(run);
        ServiceProcess first = ServiceProcess.start("killed", config);
        List<String> ids = send(run, 0, 2000);
        await().pollInterval(Duration.ofMillis(500))
                .atMost(Duration.ofSeconds(60))
                .until(() -> completionCounts(run).size() >= 100);

        first.close(); // SIGKILL: no drain, no commit on close

        long committed = kafka.committedOffset(run.group(), run.input());
        assertThat(committed)
                .as("nothing committed without its completion")
                .isLessThanOrEqualTo(completionCounts(run).size());
        try (ServiceProcess second = ServiceProcess.start("after-kill", config)) {
            await().pollInterval(Duration.ofMillis(500))
                    .atMost(Duration.ofSeconds(120))
                    .until(() -> completionCounts(run).size() == 2000);
            second.terminate(Duration.ofSeconds(90));
        }
        assertThat(completionCounts(run).keySet()).containsExactlyInAnyOrderElementsOf(ids);
        assertThat(purgedKeys(run)).hasSize(2000);
    }

    private static Set<String> purgedKeys(Run run) {
        Set<String> keys = new HashSet<>();
        sandbox.sandbox().recorder().purges().stream()
                .filter(r -> r.status() == 200)
                .flatMap(r -> r.items().stream())
                .filter(k -> k.startsWith("sd-" + run.id() + "-"))
                .forEach(keys::add);
        return keys;
    }
}
