package dev.tagpurge.fault;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Produces valid change events ({@code load.updated}, one tag each, keyed by id) to a run's input
 * topic, in bulk or at a steady rate on a background thread, and remembers each event the broker
 * acknowledged with the time it was sent: the ledger that "nothing lost" is checked against. An
 * event whose send failed is counted apart, never expected.
 */
final class EventLoad implements AutoCloseable {

    /** An acknowledged event and when it was handed to the producer. */
    record Sent(String id, Instant at) {}

    private final KafkaProducer<String, byte[]> producer;
    private final String topic;
    private final String prefix;
    private final Queue<Sent> acked = new ConcurrentLinkedQueue<>();
    private final AtomicInteger failed = new AtomicInteger();
    private final AtomicInteger next = new AtomicInteger();
    private volatile Thread steady;
    private volatile boolean running;

    EventLoad(String bootstrap, String topic, String prefix) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        // a broker restart must not fail sends: keep retrying for two minutes
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "120000");
        p.put(ProducerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, "500");
        this.producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
        this.topic = topic;
        this.prefix = prefix;
    }

    /** The JSON of load event {@code id}. */
    static String event(String id) {
        return "{\"id\":\"" + id + "\",\"type\":\"load.updated\",\"tags\":[\"t-" + id + "\"]}";
    }

    /** Sends {@code count} events and waits until the broker acknowledged them. */
    void produce(int count) {
        for (int i = 0; i < count; i++) {
            sendOne();
        }
        producer.flush();
    }

    /** Starts sending {@code perSecond} events a second, in ten slices a second, until stopped. */
    void startSteady(int perSecond) {
        running = true;
        steady =
                Thread.ofPlatform()
                        .daemon()
                        .name("fault-load-" + topic)
                        .start(
                                () -> {
                                    long slice = Duration.ofMillis(100).toNanos();
                                    long due = System.nanoTime();
                                    while (running) {
                                        for (int i = 0; i < perSecond / 10; i++) {
                                            sendOne();
                                        }
                                        due += slice;
                                        LockSupport.parkNanos(due - System.nanoTime());
                                    }
                                });
    }

    /** Stops the steady load and waits until every event sent is acknowledged or failed. */
    void stopSteady() {
        running = false;
        Thread t = steady;
        if (t != null) {
            try {
                t.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        producer.flush();
    }

    private void sendOne() {
        String id = prefix + "-" + next.getAndIncrement();
        Instant at = Instant.now();
        producer.send(
                new ProducerRecord<>(topic, id, event(id).getBytes(StandardCharsets.UTF_8)),
                (metadata, error) -> {
                    if (error == null) {
                        acked.add(new Sent(id, at));
                    } else {
                        failed.incrementAndGet();
                    }
                });
    }

    /** Ids of every acknowledged event. */
    List<String> ids() {
        return acked.stream().map(Sent::id).toList();
    }

    /** Ids of the acknowledged events sent before {@code t}. */
    List<String> sentBefore(Instant t) {
        List<String> ids = new ArrayList<>();
        for (Sent s : acked) {
            if (s.at().isBefore(t)) {
                ids.add(s.id());
            }
        }
        return ids;
    }

    /** How many events were sent so far, acknowledged or not yet. */
    int sentSoFar() {
        return next.get();
    }

    /** Sends the broker refused for good (never part of the expected events). */
    int failedSends() {
        return failed.get();
    }

    @Override
    public void close() {
        running = false;
        producer.close(Duration.ofSeconds(10));
    }
}
