package dev.tagpurge.admin;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jboss.logging.Logger;

/**
 * Reads the tail of the audit topic back, so the recent purges and the everything cooldowns survive
 * a restart. Bounded: at most {@code perPartition} records of each partition and {@code timeout} in
 * all; no consumer group, nothing committed.
 */
public final class AuditReplay {

    private static final Logger LOG = Logger.getLogger(AuditReplay.class);

    private final String bootstrapServers;
    private final String topic;
    private final ObjectMapper json;

    public AuditReplay(String bootstrapServers, String topic, ObjectMapper json) {
        this.bootstrapServers = bootstrapServers;
        this.topic = topic;
        this.json = json;
    }

    /** The last records of the topic, oldest first; empty when the topic has none or is absent. */
    public List<AuditRecord> read(int perPartition, Duration timeout) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
        props.put(ConsumerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
        props.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false");
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "tagpurge-audit-replay");
        List<AuditRecord> out = new ArrayList<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        try (KafkaConsumer<String, String> consumer =
                new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer())) {
            List<PartitionInfo> infos = consumer.partitionsFor(topic, timeout);
            if (infos == null || infos.isEmpty()) {
                return out;
            }
            List<TopicPartition> partitions =
                    infos.stream().map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, timeout);
            Map<TopicPartition, Long> begin = consumer.beginningOffsets(partitions, timeout);
            Map<TopicPartition, Long> remaining = new HashMap<>();
            for (TopicPartition tp : partitions) {
                long from = Math.max(begin.get(tp), end.get(tp) - perPartition);
                consumer.seek(tp, from);
                if (end.get(tp) > from) {
                    remaining.put(tp, end.get(tp));
                }
            }
            while (!remaining.isEmpty() && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                    try {
                        out.add(json.readValue(r.value(), AuditRecord.class));
                    } catch (Exception e) {
                        LOG.warnf(
                                "audit record at %s-%d@%d unreadable, skipped: %s",
                                r.topic(), r.partition(), r.offset(), e.getMessage());
                    }
                }
                remaining.entrySet().removeIf(e -> consumer.position(e.getKey()) >= e.getValue());
            }
            if (!remaining.isEmpty()) {
                LOG.warnf("audit topic %s: read back only in part within %s", topic, timeout);
            }
        } catch (RuntimeException e) {
            LOG.warnf("audit topic %s could not be read back: %s", topic, e.toString());
        }
        out.sort(Comparator.comparing(AuditRecord::time));
        return out;
    }
}
