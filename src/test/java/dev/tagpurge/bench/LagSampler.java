package dev.tagpurge.bench;

import static dev.tagpurge.bench.Stats.sum;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.ToDoubleFunction;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Reads the input topic's backlog over and over on its own thread, so that the probes are never
 * held up by it: the consumer group's lag (end − committed offsets) and the records the service has
 * not consumed yet (end offsets − {@code tagpurge_events_received_total}). A probe takes the last
 * sample read before it was sent.
 */
final class LagSampler implements Runnable {

    /** One reading; {@code at} is when it was started. */
    record Sample(Instant at, long committedLag, long unconsumed) {}

    private final Admin admin;
    private final String group;
    private final List<TopicPartition> partitions;
    private final ToDoubleFunction<String> metric;
    private final List<Sample> samples = new CopyOnWriteArrayList<>();
    private volatile boolean stopped;

    LagSampler(
            Admin admin,
            String group,
            String topic,
            int partitions,
            ToDoubleFunction<String> metric) {
        this.admin = admin;
        this.group = group;
        this.partitions =
                IntStream.range(0, partitions).mapToObj(i -> new TopicPartition(topic, i)).toList();
        this.metric = metric;
    }

    void stop() {
        stopped = true;
    }

    /** The last sample started at or before {@code t}, else the first one; null if none. */
    Sample before(Instant t) {
        Sample found = null;
        for (Sample s : samples) {
            if (found == null || !s.at().isAfter(t)) {
                found = s;
            }
        }
        return found;
    }

    @Override
    public void run() {
        while (!stopped) {
            Instant at = Instant.now();
            try {
                double received = metric.applyAsDouble("tagpurge_events_received_total");
                Map<TopicPartition, OffsetAndMetadata> committed =
                        admin.listConsumerGroupOffsets(group)
                                .partitionsToOffsetAndMetadata()
                                .get(10, TimeUnit.SECONDS);
                Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
                partitions.forEach(tp -> latest.put(tp, OffsetSpec.latest()));
                Map<TopicPartition, Long> end = new HashMap<>();
                admin.listOffsets(latest)
                        .all()
                        .get(10, TimeUnit.SECONDS)
                        .forEach((tp, info) -> end.put(tp, info.offset()));
                long ends = sum(end.values());
                long done =
                        sum(
                                partitions.stream()
                                        .map(
                                                tp -> {
                                                    OffsetAndMetadata c = committed.get(tp);
                                                    return c == null ? 0L : c.offset();
                                                })
                                        .toList());
                samples.add(new Sample(at, ends - done, Math.max(0, ends - (long) received)));
            } catch (Exception e) {
                // a reading lost under load; the next one counts
            }
            LockSupport.parkNanos(Duration.ofMillis(500).toNanos());
        }
    }
}
