package dev.tagpurge.bench;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The benchmark's change events: entity ids drawn Zipf(s) from {@code entities}, each event naming
 * {@code tagsPerEvent} tags (entity, category, list page, then extra ones), its {@code data} padded
 * with a {@code body} string of {@code dataBytes} characters when that is above 0 (large events).
 */
final class Workload {

    private static final int CATEGORIES = 1_000;
    private static final int ENTITIES_PER_LIST_PAGE = 20;

    private final int entities;
    private final int tagsPerEvent;
    private final double[] zipfCdf;
    private final String body;

    Workload(int entities, double zipf, int tagsPerEvent, int dataBytes) {
        this.entities = entities;
        this.tagsPerEvent = tagsPerEvent;
        this.body = dataBytes > 0 ? "x".repeat(dataBytes) : null;
        zipfCdf = new double[entities];
        double sum = 0;
        for (int k = 1; k <= entities; k++) {
            sum += 1.0 / Math.pow(k, zipf);
            zipfCdf[k - 1] = sum;
        }
        for (int k = 0; k < entities; k++) {
            zipfCdf[k] /= sum;
        }
    }

    int entity(Random random) {
        int i = Arrays.binarySearch(zipfCdf, random.nextDouble());
        return Math.min(i < 0 ? -i - 1 : i, entities - 1);
    }

    /** The event's tags: entity, category, list page (and further ones if asked for more). */
    List<String> tags(int entity) {
        int category = entity % CATEGORIES;
        List<String> tags = new ArrayList<>(Math.max(3, tagsPerEvent));
        tags.add("product-" + entity);
        tags.add("category-" + category);
        tags.add("list-" + category + "-p" + (entity / ENTITIES_PER_LIST_PAGE / CATEGORIES));
        for (int i = 3; i < tagsPerEvent; i++) {
            tags.add("extra" + i + "-" + entity);
        }
        return tags.subList(0, tagsPerEvent);
    }

    /** A plain change event; {@code time} (may be null) is when it was produced. */
    String event(String eventId, int entity, Instant time) {
        return event(eventId, entity, tags(entity), time);
    }

    /** A plain change event naming {@code tags} in place of the entity's own. */
    String event(String eventId, int entity, List<String> tags, Instant time) {
        StringBuilder b = new StringBuilder(body == null ? 200 : 200 + body.length());
        b.append("{\"id\":\"").append(eventId).append("\",\"type\":\"product.updated\"");
        b.append(",\"source\":\"catalog\"");
        if (time != null) {
            b.append(",\"time\":\"").append(time).append('"');
        }
        b.append(",\"tags\":[");
        for (int i = 0; i < tags.size(); i++) {
            b.append(i == 0 ? "\"" : ",\"").append(tags.get(i)).append('"');
        }
        b.append("],\"data\":{\"id\":").append(entity);
        if (body != null) {
            b.append(",\"body\":\"").append(body).append('"');
        }
        b.append("}}");
        return b.toString();
    }

    /**
     * Produces {@code events} events as fast as the broker takes them; returns the bytes sent. An
     * event the broker did not acknowledge is sent again (up to three passes), and the run fails if
     * any is still missing: measured on a partial workload, it would wait for completions that
     * cannot come.
     */
    long produce(String bootstrap, String topic, int events, Random random) {
        int[] entityOf = new int[events];
        for (int i = 0; i < events; i++) {
            entityOf[i] = entity(random);
        }
        long bytes = 0;
        List<Integer> pending = null; // null: every event, first pass
        AtomicReference<Exception> firstError = new AtomicReference<>();
        try (KafkaProducer<String, String> p = producer(bootstrap, 5)) {
            for (int pass = 1; pass <= 3 && (pending == null || !pending.isEmpty()); pass++) {
                List<Integer> failed = Collections.synchronizedList(new ArrayList<>());
                int count = pending == null ? events : pending.size();
                for (int n = 0; n < count; n++) {
                    int i = pending == null ? n : pending.get(n);
                    String value = event("b-" + i, entityOf[i], null);
                    if (pass == 1) {
                        bytes += value.length();
                    }
                    p.send(
                            new ProducerRecord<>(topic, "product-" + entityOf[i], value),
                            (metadata, error) -> {
                                if (error != null) {
                                    failed.add(i);
                                    firstError.compareAndSet(null, error);
                                }
                            });
                }
                p.flush();
                if (!failed.isEmpty()) {
                    Stats.log(
                            "workload: %d events not acknowledged in pass %d (%s); sending again",
                            failed.size(), pass, firstError.get());
                }
                pending = failed;
            }
        }
        if (!pending.isEmpty()) {
            throw new IllegalStateException(
                    pending.size() + " of " + events + " workload events were not written",
                    firstError.get());
        }
        return bytes;
    }

    static KafkaProducer<String, String> producer(String bootstrap, int lingerMs) {
        return new KafkaProducer<>(
                Map.of(
                        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        bootstrap,
                        ProducerConfig.ACKS_CONFIG,
                        "all",
                        ProducerConfig.LINGER_MS_CONFIG,
                        lingerMs,
                        ProducerConfig.BATCH_SIZE_CONFIG,
                        65_536,
                        ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG,
                        StringSerializer.class,
                        ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG,
                        StringSerializer.class));
    }
}
