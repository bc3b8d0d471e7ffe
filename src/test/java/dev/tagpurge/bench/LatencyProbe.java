package dev.tagpurge.bench;

import static dev.tagpurge.bench.Stats.log;
import static dev.tagpurge.bench.Stats.percentile;
import static dev.tagpurge.bench.Stats.sum;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * Latency from an event's production (its {@code time}, set when it is sent) to its purge being
 * confirmed (the completion's {@code latencyMs}): events produced open-loop at a fixed rate to the
 * running service, read back from the completion topic. Also splits it at the service's {@code
 * receivedAt}: Kafka delivery (produced → consumed) and Tagpurge (consumed → confirmed). Each
 * event's figures go to {@code target/benchmark/latency-<prefix><rate>.csv}.
 */
final class LatencyProbe {

    private static final ObjectMapper JSON = new ObjectMapper();

    record Result(
            int events,
            double p50,
            double p99,
            double p999,
            double deliveryP50,
            double deliveryP99,
            double serviceP50,
            double serviceP99,
            double warmupP99) {}

    private final String bootstrap;
    private final String input;
    private final KafkaConsumer<String, byte[]> completions;
    private final List<TopicPartition> completionPartitions;
    private final Workload workload;

    LatencyProbe(
            String bootstrap,
            String input,
            KafkaConsumer<String, byte[]> completions,
            List<TopicPartition> completionPartitions,
            Workload workload) {
        this.bootstrap = bootstrap;
        this.input = input;
        this.completions = completions;
        this.completionPartitions = completionPartitions;
        this.workload = workload;
    }

    /**
     * Produces {@code rate} events/s for {@code warmupSeconds} then {@code seconds}, ids starting
     * with {@code prefix}; the percentiles are of the events after the warm-up (the first seconds
     * after an idle or a saturated phase pay for a cold producer and cold code paths), with the
     * warm-up's own p99 beside them.
     */
    Result measure(String prefix, int rate, int seconds, int warmupSeconds) throws Exception {
        Map<TopicPartition, Long> from = completions.endOffsets(completionPartitions);
        long before = sum(from.values());
        int warmup = rate * warmupSeconds;
        int n = warmup + rate * seconds;
        Random random = new Random(prefix.hashCode());
        try (KafkaProducer<String, String> p = Workload.producer(bootstrap, 0)) {
            // the producer's first send waits for the topic's metadata: fetch it before the clock
            p.partitionsFor(input);
            long startNanos = System.nanoTime();
            for (int i = 0; i < n; i++) {
                long due = startNanos + (long) (i * 1e9 / rate);
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                }
                int e = workload.entity(random);
                p.send(
                        new ProducerRecord<>(
                                input,
                                "product-" + e,
                                workload.event(prefix + i, e, Instant.now())));
            }
            p.flush();
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (System.nanoTime() < deadline
                && sum(completions.endOffsets(completionPartitions).values()) < before + n) {
            LockSupport.parkNanos(Duration.ofMillis(200).toNanos());
        }
        completions.assign(completionPartitions);
        from.forEach(completions::seek);
        List<Double> total = new ArrayList<>();
        List<Double> delivery = new ArrayList<>();
        List<Double> service = new ArrayList<>();
        List<Double> warm = new ArrayList<>();
        StringBuilder csv = new StringBuilder("event,produced,total_ms,delivery_ms,service_ms\n");
        long readDeadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (total.size() + warm.size() < n && System.nanoTime() < readDeadline) {
            for (ConsumerRecord<String, byte[]> r : completions.poll(Duration.ofMillis(500))) {
                JsonNode data = JSON.readTree(r.value()).path("data");
                if (data.path("eventId").asText().startsWith(prefix)) {
                    double latency = data.path("latencyMs").asDouble();
                    Instant received = Instant.parse(data.path("receivedAt").asText());
                    Instant completed = Instant.parse(data.path("completedAt").asText());
                    double inService = Duration.between(received, completed).toNanos() / 1e6;
                    int index =
                            Integer.parseInt(
                                    data.path("eventId").asText().substring(prefix.length()));
                    if (index < warmup) {
                        warm.add(latency);
                    } else {
                        total.add(latency);
                        service.add(inService);
                        delivery.add(latency - inService);
                    }
                    csv.append(index)
                            .append(',')
                            .append(completed.minusMillis((long) latency))
                            .append(',')
                            .append(latency)
                            .append(',')
                            .append(latency - inService)
                            .append(',')
                            .append(inService)
                            .append('\n');
                }
            }
        }
        Path samples = Path.of("target", "benchmark", "latency-" + prefix + rate + ".csv");
        Files.createDirectories(samples.getParent());
        Files.writeString(samples, csv);
        total.sort(Double::compare);
        warm.sort(Double::compare);
        delivery.sort(Double::compare);
        service.sort(Double::compare);
        Result result =
                new Result(
                        total.size(),
                        percentile(total, 50),
                        percentile(total, 99),
                        percentile(total, 99.9),
                        percentile(delivery, 50),
                        percentile(delivery, 99),
                        percentile(service, 50),
                        percentile(service, 99),
                        percentile(warm, 99));
        log(
                "latency at %d/s after %d s of warm-up: %d of %d events, p50 %.0f ms, p99 %.0f ms,"
                        + " p99.9 %.0f ms (produced→consumed p50 %.0f p99 %.0f; consumed→confirmed"
                        + " p50 %.0f p99 %.0f); warm-up p99 %.0f ms",
                rate,
                warmupSeconds,
                result.events(),
                n - warmup,
                result.p50(),
                result.p99(),
                result.p999(),
                result.deliveryP50(),
                result.deliveryP99(),
                result.serviceP50(),
                result.serviceP99(),
                result.warmupP99());
        return result;
    }
}
