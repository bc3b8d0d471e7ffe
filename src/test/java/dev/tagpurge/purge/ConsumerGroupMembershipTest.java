package dev.tagpurge.purge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tagpurge.testing.LocalKafkaBroker;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;

/** The members of a real consumer group, and "unknown" once the broker stops answering. */
class ConsumerGroupMembershipTest {

    @Test
    void countsTheGroupsMembersAndForgetsThemWhenTheBrokerIsGone() {
        LocalKafkaBroker broker = LocalKafkaBroker.start();
        ConsumerGroupMembership membership = new ConsumerGroupMembership();
        try {
            membership.kafkaConfig =
                    Map.of("bootstrap.servers", broker.bootstrapServers(), "group.id", "x");
            membership.groupId = "membership-test";
            membership.start(Duration.ofMillis(500));
            assertThat(membership.members()).isEmpty();

            try (KafkaConsumer<String, String> a = consumer(broker);
                    KafkaConsumer<String, String> b = consumer(broker)) {
                await().atMost(Duration.ofSeconds(60))
                        .until(
                                () -> {
                                    a.poll(Duration.ofMillis(100));
                                    b.poll(Duration.ofMillis(100));
                                    return membership.members().equals(OptionalInt.of(2));
                                });
            }
            broker.close();

            // three refreshes without an answer: the count is too old to trust
            await().atMost(Duration.ofSeconds(20)).until(() -> membership.members().isEmpty());
        } finally {
            membership.onStop(null);
            broker.close();
        }
    }

    private static KafkaConsumer<String, String> consumer(LocalKafkaBroker broker) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "membership-test");
        p.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, "6000");
        p.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, "1000");
        KafkaConsumer<String, String> c =
                new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer());
        c.subscribe(List.of("membership-topic"));
        return c;
    }
}
