package dev.tagpurge.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tagpurge.metrics.MetricNames;
import dev.tagpurge.purge.PurgeDispatcher;
import dev.tagpurge.testing.KafkaBrokerResource;
import dev.tagpurge.testing.RedisServerResource;
import dev.tagpurge.testing.SandboxResource;
import dev.tagpurge.testing.TestRunResource;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The consumer lag read from the broker keeps rising while backpressure holds the consumer: the
 * Fastly target always fails, a pending bound of one pauses intake, and records produced after that
 * show up in {@code tagpurge_consumer_topic_lag} although nothing is fetched.
 */
@QuarkusTest
@TestProfile(ConsumerLagIntegrationTest.HeldBackProfile.class)
@WithTestResource(KafkaBrokerResource.class)
@WithTestResource(RedisServerResource.class)
@WithTestResource(SandboxResource.class)
@WithTestResource(TestRunResource.class)
class ConsumerLagIntegrationTest extends IntegrationTestSupport {

    /** Only the Fastly target, a pending bound of one, the lag read every 200 ms. */
    public static class HeldBackProfile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.ofEntries(
                    Map.entry("tagpurge.targets.cache.enabled", "false"),
                    Map.entry("tagpurge.targets.zone.enabled", "false"),
                    Map.entry("tagpurge.targets.dist.enabled", "false"),
                    Map.entry("tagpurge.targets.edge.enabled", "false"),
                    Map.entry("tagpurge.coalesce.max-pending", "1"),
                    Map.entry("tagpurge.lag.interval", "200ms"),
                    Map.entry("tagpurge.lag.timeout", "5s"));
        }
    }

    @Inject MeterRegistry registry;

    @Inject PurgeDispatcher dispatcher;

    @AfterEach
    void recover() {
        SandboxResource.sandbox().faults().clear();
    }

    @Test
    void theLagKeepsRisingWhileTheConsumerIsPaused() {
        SandboxResource.sandbox().faults().failAlways("fastly", 503);
        String run = UUID.randomUUID().toString().substring(0, 8);
        sendAll(TestRunResource.inputTopic(), events(run, 0, 20));
        await().atMost(Duration.ofSeconds(60)).until(dispatcher::isPaused);
        await().atMost(Duration.ofSeconds(30)).until(() -> topicLag() >= 20);
        double lagWhenPaused = topicLag();
        double receivedWhenPaused = received();

        sendAll(TestRunResource.inputTopic(), events(run, 20, 500));

        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(
                        () ->
                                assertThat(topicLag())
                                        .as("lag read from the broker, not frozen by the pause")
                                        .isGreaterThanOrEqualTo(lagWhenPaused + 500));
        assertThat(dispatcher.isPaused()).as("still held back").isTrue();
        assertThat(received() - receivedWhenPaused)
                .as("the consumer did not fetch the new records")
                .isLessThan(500);
        // the partition gauges are set just before the topic's: compare once a read has settled
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(
                        () ->
                                assertThat(partitionLagSum())
                                        .as("the partitions add up to the topic's lag")
                                        .isEqualTo(topicLag()));
    }

    private double topicLag() {
        Gauge gauge =
                registry.find(MetricNames.CONSUMER_TOPIC_LAG)
                        .tag("topic", TestRunResource.inputTopic())
                        .gauge();
        return gauge == null ? -1 : gauge.value();
    }

    private double partitionLagSum() {
        return registry
                .get(MetricNames.CONSUMER_LAG)
                .tag("topic", TestRunResource.inputTopic())
                .gauges()
                .stream()
                .mapToDouble(Gauge::value)
                .sum();
    }

    private double received() {
        return registry.find(MetricNames.EVENTS_RECEIVED).counters().stream()
                .mapToDouble(c -> c.count())
                .sum();
    }

    private static List<String> events(String run, int from, int count) {
        List<String> values = new ArrayList<>(count);
        for (int i = from; i < from + count; i++) {
            values.add(
                    "{\"id\":\"lag-"
                            + run
                            + "-"
                            + i
                            + "\",\"type\":\"x\",\"tags\":[\"lag-"
                            + run
                            + "-"
                            + i
                            + "\"]}");
        }
        return values;
    }
}
