package dev.tagpurge.bench;

import static dev.tagpurge.bench.Stats.log;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * What teams write by hand: a plain consumer sending one Fastly bulk purge per event with that
 * event's keys, waiting for each answer before the next, committing after each poll.
 */
final class NaivePurger {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Events purged, requests sent and the seconds between the first and the last. */
    record Result(long events, long requests, double seconds) {
        double throughput() {
            return events / seconds;
        }
    }

    /** Runs for at most {@code seconds} after the first record, or until {@code events}. */
    static Result run(
            String bootstrap, String input, String group, URI purgeUrl, long events, int seconds)
            throws Exception {
        long processed = 0;
        long requests = 0;
        long first = 0;
        long last = 0;
        try (HttpClient http = HttpClient.newHttpClient();
                KafkaConsumer<String, byte[]> consumer =
                        new KafkaConsumer<>(
                                Map.of(
                                        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                                        bootstrap,
                                        ConsumerConfig.GROUP_ID_CONFIG,
                                        group,
                                        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                                        "earliest",
                                        ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
                                        StringDeserializer.class,
                                        ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
                                        ByteArrayDeserializer.class))) {
            consumer.subscribe(List.of(input));
            long deadline = System.nanoTime() + Duration.ofSeconds(seconds + 30L).toNanos();
            long stopAfter = Long.MAX_VALUE;
            while (processed < events && System.nanoTime() < Math.min(deadline, stopAfter)) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    if (first == 0) {
                        first = System.nanoTime();
                        stopAfter = first + Duration.ofSeconds(seconds).toNanos();
                    }
                    JsonNode tags = JSON.readTree(r.value()).path("tags");
                    String body = JSON.writeValueAsString(Map.of("surrogate_keys", tags));
                    HttpResponse<Void> answer =
                            http.send(
                                    HttpRequest.newBuilder(purgeUrl)
                                            .header("Fastly-Key", "naive-token")
                                            .header("Content-Type", "application/json")
                                            .POST(HttpRequest.BodyPublishers.ofString(body))
                                            .build(),
                                    HttpResponse.BodyHandlers.discarding());
                    requests++;
                    if (answer.statusCode() / 100 == 2) {
                        processed++;
                    }
                    last = System.nanoTime();
                    if (last >= stopAfter) {
                        break;
                    }
                }
                consumer.commitSync();
            }
        }
        Result result = new Result(processed, requests, (last - first) / 1e9);
        log(
                "naive: %d events, %d requests in %.1f s = %.0f events/s",
                result.events(), result.requests(), result.seconds(), result.throughput());
        return result;
    }

    private NaivePurger() {}
}
