package dev.tagpurge.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tagpurge.testing.KafkaBrokerResource;
import dev.tagpurge.testing.TestRunResource;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * What the integration tests share: SmallRye's {@link KafkaCompanion} on the test broker, the few
 * reads and writes they all make with it, and readers of the output topics.
 */
abstract class IntegrationTestSupport {

    static final ObjectMapper JSON = new ObjectMapper();

    private static final Duration KAFKA_TIMEOUT = Duration.ofSeconds(30);

    static KafkaCompanion kafka() {
        return Holder.COMPANION;
    }

    /** Sends one record and waits until the broker has it (acks=all); returns its metadata. */
    static RecordMetadata send(
            String topic, String key, byte[] value, Map<String, String> headers) {
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(topic, key, value);
        headers.forEach((k, v) -> record.headers().add(k, v.getBytes(StandardCharsets.UTF_8)));
        return kafka().produce(Serdes.String(), Serdes.ByteArray())
                .withProp(ProducerConfig.ACKS_CONFIG, "all")
                .fromRecords(record)
                .awaitCompletion(KAFKA_TIMEOUT)
                .getLastRecord();
    }

    static RecordMetadata send(String topic, String key, String value) {
        return send(topic, key, value.getBytes(StandardCharsets.UTF_8), Map.of());
    }

    /** Sends one record whose key is bytes (not necessarily text) and waits for the broker. */
    static RecordMetadata sendWithKeyBytes(String topic, byte[] key, String value) {
        return kafka().produce(Serdes.ByteArray(), Serdes.ByteArray())
                .withProp(ProducerConfig.ACKS_CONFIG, "all")
                .fromRecords(
                        new ProducerRecord<>(topic, key, value.getBytes(StandardCharsets.UTF_8)))
                .awaitCompletion(KAFKA_TIMEOUT)
                .getLastRecord();
    }

    /** Sends many records through one producer and waits until the broker has them all. */
    static void sendAll(String topic, List<String> values) {
        kafka().produceStrings()
                .withProp(ProducerConfig.ACKS_CONFIG, "all")
                .fromRecords(
                        values.stream()
                                .map(v -> new ProducerRecord<String, String>(topic, v))
                                .toList())
                .awaitCompletion(KAFKA_TIMEOUT);
    }

    /**
     * Every record now on {@code topic} that matches, read from the beginning; none while the topic
     * does not exist yet (the service creates its output topics on first write).
     */
    static List<ConsumerRecord<String, byte[]>> readAll(
            String topic, Predicate<ConsumerRecord<String, byte[]>> filter) {
        return readAll(topic, Serdes.String(), filter);
    }

    /** Like {@link #readAll(String, Predicate)}, with each record's key as its bytes. */
    static List<ConsumerRecord<byte[], byte[]>> readAllWithKeyBytes(
            String topic, Predicate<ConsumerRecord<byte[], byte[]>> filter) {
        return readAll(topic, Serdes.ByteArray(), filter);
    }

    private static <K> List<ConsumerRecord<K, byte[]>> readAll(
            String topic, Serde<K> keys, Predicate<ConsumerRecord<K, byte[]>> filter) {
        if (!kafka().topics().list().contains(topic)) {
            return List.of();
        }
        Map<TopicPartition, OffsetSpec> latest =
                kafka().topics().describe(topic).get(topic).partitions().stream()
                        .collect(
                                Collectors.toMap(
                                        p -> new TopicPartition(topic, p.partition()),
                                        p -> OffsetSpec.latest()));
        Map<TopicPartition, Long> fromStart = new HashMap<>();
        long count = 0;
        for (var end : kafka().offsets().list(latest).entrySet()) {
            fromStart.put(end.getKey(), 0L);
            count += end.getValue().offset();
        }
        if (count == 0) {
            return List.of();
        }
        return kafka()
                .consume(keys, Serdes.ByteArray())
                .fromOffsets(fromStart, count)
                .awaitCompletion(KAFKA_TIMEOUT)
                .getRecords()
                .stream()
                .filter(filter)
                .toList();
    }

    /** The group's committed offset on partition 0 of {@code topic}, or -1. */
    static long committedOffset(String group, String topic) {
        // all of the group's offsets: asking for one partition fails while its topic is unknown
        OffsetAndMetadata committed =
                kafka().consumerGroups().offsets(group).get(new TopicPartition(topic, 0));
        return committed == null ? -1 : committed.offset();
    }

    /** A header's value as UTF-8 text, or null when the record has none of that name. */
    static String header(ConsumerRecord<?, ?> record, String name) {
        Header h = record.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    static String value(ConsumerRecord<String, byte[]> record) {
        return new String(record.value(), StandardCharsets.UTF_8);
    }

    /** Completion events (their {@code data}) for the given change-event ids, by id. */
    static Map<String, JsonNode> completions(Set<String> eventIds) {
        Map<String, JsonNode> byId = new HashMap<>();
        for (ConsumerRecord<String, byte[]> r :
                readAll(TestRunResource.completionTopic(), r -> true)) {
            JsonNode data = json(value(r)).get("data");
            if (eventIds.contains(data.get("eventId").asText())) {
                byId.put(data.get("eventId").asText(), data);
            }
        }
        return byId;
    }

    static JsonNode json(String s) {
        try {
            return JSON.readTree(s);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode outcome(JsonNode completion, String target) {
        for (JsonNode t : completion.get("targets")) {
            if (t.get("target").asText().equals(target)) {
                return t;
            }
        }
        throw new AssertionError("no outcome for target " + target + " in " + completion);
    }

    private static final class Holder {
        static final KafkaCompanion COMPANION =
                new KafkaCompanion(KafkaBrokerResource.bootstrapServers());
    }
}
