package dev.tagpurge.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/** The broker the tests use is a real one, shared per JVM, and goes away when closed. */
class LocalKafkaBrokerTest {

    @Test
    void theSharedBrokerCarriesRecordsAndIsStartedOnce() throws Exception {
        String bootstrap = KafkaBrokerResource.bootstrapServers();
        assertThat(KafkaBrokerResource.bootstrapServers()).isEqualTo(bootstrap);
        assertThat(new KafkaBrokerResource().start())
                .containsEntry("kafka.bootstrap.servers", bootstrap);
        String topic = "broker-test-" + UUID.randomUUID();

        try (KafkaProducer<String, String> producer =
                new KafkaProducer<>(
                        Map.of(
                                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                                bootstrap,
                                ProducerConfig.ACKS_CONFIG,
                                "all",
                                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG,
                                StringSerializer.class,
                                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG,
                                StringSerializer.class))) {
            producer.send(new ProducerRecord<>(topic, "k", "hello")).get();
        }

        List<String> received = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer =
                new KafkaConsumer<>(
                        Map.of(
                                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                                bootstrap,
                                ConsumerConfig.GROUP_ID_CONFIG,
                                "broker-test-" + UUID.randomUUID(),
                                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                                "earliest",
                                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
                                StringDeserializer.class,
                                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
                                StringDeserializer.class))) {
            consumer.subscribe(List.of(topic));
            await().atMost(Duration.ofSeconds(30))
                    .until(
                            () -> {
                                for (ConsumerRecord<String, String> record :
                                        consumer.poll(Duration.ofMillis(200))) {
                                    received.add(record.value());
                                }
                                return !received.isEmpty();
                            });
        }
        assertThat(received).containsExactly("hello");
    }

    @Test
    void closeStopsTheBrokerProcessAndRemovesItsPidFile() {
        LocalKafkaBroker broker = LocalKafkaBroker.start();
        String port =
                broker.bootstrapServers().substring(broker.bootstrapServers().lastIndexOf(':') + 1);
        Path pidFile = Path.of("target", "kafka-" + port + ".pid");
        assertThat(pidFile).content().isEqualToIgnoringNewLines(Long.toString(broker.pid()));
        ProcessHandle handle = ProcessHandle.of(broker.pid()).orElseThrow();

        broker.close();

        assertThat(handle.isAlive()).isFalse();
        assertThat(broker.isAlive()).isFalse();
        assertThat(Files.exists(pidFile)).isFalse();
        assertThat(broker.logFile()).content().contains("Kafka Server started");
    }

    @Test
    void anExternalBrokerIsUsedAsIs() {
        String previous = System.getProperty(KafkaBrokerResource.EXTERNAL_BROKER);
        System.setProperty(KafkaBrokerResource.EXTERNAL_BROKER, "127.0.0.1:1");
        try {
            assertThat(KafkaBrokerResource.bootstrapServers()).isEqualTo("127.0.0.1:1");
        } finally {
            if (previous == null) {
                System.clearProperty(KafkaBrokerResource.EXTERNAL_BROKER);
            } else {
                System.setProperty(KafkaBrokerResource.EXTERNAL_BROKER, previous);
            }
        }
    }
}
