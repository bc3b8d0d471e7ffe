package dev.tagpurge.fault;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Follows a run's completion and dead-letter topics from the beginning on a background thread and
 * keeps, per change-event id, how many completions came, and which ids and which input positions
 * ({@code partition@offset}) were dead-lettered. An event has an outcome when it has a completion
 * or a dead letter. Reconnects by itself across a broker restart.
 */
final class Outcomes implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<String, Integer> completions = new ConcurrentHashMap<>();
    private final Map<String, String> statuses = new ConcurrentHashMap<>();
    private final Queue<Long> completionTimes = new ConcurrentLinkedQueue<>();
    private final Set<String> deadLetteredIds = ConcurrentHashMap.newKeySet();
    private final Map<String, String> deadLetteredPositions = new ConcurrentHashMap<>();
    private final Map<TopicPartition, Long> positions = new ConcurrentHashMap<>();
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Thread poller;
    private final String completionTopic;
    private volatile boolean running = true;

    private Outcomes(String bootstrap, String completionTopic, String deadLetterTopic) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, "500");
        this.consumer =
                new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        this.completionTopic = completionTopic;
        List<TopicPartition> partitions =
                List.of(
                        new TopicPartition(completionTopic, 0),
                        new TopicPartition(deadLetterTopic, 0));
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        this.poller = new Thread(this::poll, "fault-outcomes-" + completionTopic);
        poller.setDaemon(true);
    }

    /** Starts following the two topics (each must exist with one partition). */
    static Outcomes follow(String bootstrap, String completionTopic, String deadLetterTopic) {
        Outcomes outcomes = new Outcomes(bootstrap, completionTopic, deadLetterTopic);
        outcomes.poller.start();
        return outcomes;
    }

    private void poll() {
        try {
            while (running) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    if (r.topic().equals(completionTopic)) {
                        onCompletion(r);
                    } else {
                        onDeadLetter(r);
                    }
                }
                for (TopicPartition tp : consumer.assignment()) {
                    positions.put(tp, consumer.position(tp));
                }
            }
        } catch (WakeupException closing) {
            // close() woke us
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    private void onCompletion(ConsumerRecord<byte[], byte[]> r) {
        JsonNode data = parse(r.value()).path("data");
        String id = data.path("eventId").asText();
        completions.merge(id, 1, Integer::sum);
        StringBuilder status = new StringBuilder(data.path("status").asText());
        for (JsonNode t : data.path("targets")) {
            status.append(' ')
                    .append(t.path("target").asText())
                    .append('=')
                    .append(t.path("status").asText());
        }
        statuses.put(id, status.toString());
        completionTimes.add(r.timestamp());
    }

    private void onDeadLetter(ConsumerRecord<byte[], byte[]> r) {
        JsonNode id = parse(r.value()).path("id");
        if (id.isTextual()) {
            deadLetteredIds.add(id.asText());
        }
        String position =
                header(r, "tagpurge-original-partition")
                        + "@"
                        + header(r, "tagpurge-original-offset");
        deadLetteredPositions.put(position, String.valueOf(header(r, "tagpurge-reason")));
    }

    private static JsonNode parse(byte[] value) {
        try {
            return value == null ? JSON.missingNode() : JSON.readTree(value);
        } catch (Exception notJson) {
            return JSON.missingNode();
        }
    }

    private static String header(ConsumerRecord<?, ?> r, String name) {
        Header h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    /** The ids among {@code ids} with neither a completion nor a dead letter yet. */
    List<String> missing(Collection<String> ids) {
        List<String> missing = new ArrayList<>();
        for (String id : ids) {
            if (!completions.containsKey(id) && !deadLetteredIds.contains(id)) {
                missing.add(id);
            }
        }
        return missing;
    }

    boolean completed(String id) {
        return completions.containsKey(id);
    }

    /**
     * The status of {@code id}'s last completion event and each target's, e.g. {@code partial
     * cdn=rejected cache=succeeded}, or null.
     */
    String status(String id) {
        return statuses.get(id);
    }

    /** The reason a dead letter of input {@code partition@offset} gave, or null if none came. */
    String deadLetterReason(int partition, long offset) {
        return deadLetteredPositions.get(partition + "@" + offset);
    }

    boolean deadLettered(String id) {
        return deadLetteredIds.contains(id);
    }

    /** Distinct events with at least one completion. */
    int completedCount() {
        return completions.size();
    }

    /** Completions beyond the first, over all events. */
    int duplicates() {
        return completions.values().stream().mapToInt(n -> n - 1).sum();
    }

    /** Completion events whose record time lies in [{@code from}, {@code to}). */
    long completionsBetween(Instant from, Instant to) {
        long a = from.toEpochMilli();
        long b = to.toEpochMilli();
        return completionTimes.stream().filter(t -> t >= a && t < b).count();
    }

    /** True once this follower has read everything up to {@code ends} on its topics. */
    boolean caughtUpWith(Map<TopicPartition, Long> ends) {
        return ends.entrySet().stream()
                .allMatch(e -> positions.getOrDefault(e.getKey(), -1L) >= e.getValue());
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        consumer.wakeup();
        poller.join(10_000);
    }
}
