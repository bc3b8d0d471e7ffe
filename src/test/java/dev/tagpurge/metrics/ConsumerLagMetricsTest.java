package dev.tagpurge.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tagpurge.testing.FreePort;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A broker that cannot be reached: the lag keeps its last values and failures are counted. */
class ConsumerLagMetricsTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final ConsumerLagMetrics metrics = new ConsumerLagMetrics();

    @AfterEach
    void stop() {
        metrics.onStop(null);
    }

    @Test
    void aFailedReadKeepsTheLastValuesCountsAndTheTimerGoesOn() {
        // nothing listens on a port just found free: every broker call fails or times out
        metrics.kafkaConfig =
                Map.of("bootstrap.servers", "127.0.0.1:" + FreePort.pick(), "group.id", "x");
        metrics.registry = registry;
        metrics.groupId = "tagpurge-test";
        metrics.topics = List.of("change-events");
        metrics.config = config(Duration.ofMillis(200), Duration.ofMillis(300));

        metrics.onStart(null);
        metrics.publish(Map.of(new TopicPartition("change-events", 0), 42L));

        await().atMost(Duration.ofSeconds(20))
                .untilAsserted(
                        () ->
                                assertThat(
                                                registry.counter(
                                                                MetricNames
                                                                        .CONSUMER_LAG_READ_FAILURES)
                                                        .count())
                                        .as("failed reads counted, one after the other")
                                        .isGreaterThanOrEqualTo(3));
        assertThat(
                        registry.get(MetricNames.CONSUMER_LAG)
                                .tag("topic", "change-events")
                                .tag("partition", "0")
                                .gauge()
                                .value())
                .isEqualTo(42);
        assertThat(
                        registry.get(MetricNames.CONSUMER_TOPIC_LAG)
                                .tag("topic", "change-events")
                                .gauge()
                                .value())
                .isEqualTo(42);
    }

    private static ConsumerLagConfig config(Duration interval, Duration timeout) {
        return new ConsumerLagConfig() {
            @Override
            public boolean enabled() {
                return true;
            }

            @Override
            public Duration interval() {
                return interval;
            }

            @Override
            public Duration timeout() {
                return timeout;
            }
        };
    }
}
