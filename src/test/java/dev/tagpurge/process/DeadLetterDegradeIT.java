package dev.tagpurge.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tagpurge.event.DeadLetterPublisher;
import dev.tagpurge.testing.KafkaTestClient;
import dev.tagpurge.testing.ServiceProcess;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.Test;

/**
 * A dead letter the real producer refuses (over {@code max.request.size}) does not stop the
 * partition: it is written without its value, or, when even that is refused, dropped, logged and
 * counted; either way the records after it complete and the offset moves past it.
 */
class DeadLetterDegradeIT extends ProcessTestSupport {

    @Test
    void aDeadLetterTooLargeForTheProducerIsWrittenWithoutItsValue() {
        Run run = Run.fresh();
        Map<String, String> config = serviceConfig(run);
        // the 8 KB record cannot go out as it is; its headers alone can
        config.put("mp.messaging.outgoing.dead-letters.max.request.size", "4000");
        try (ServiceProcess service = ServiceProcess.start("dlq-value-omitted", config)) {
            RecordMetadata bad = sendTooLargeNotJson(run);
            String next = run.id() + "-next";
            RecordMetadata good = kafka.send(run.input(), "k", event(next, "t-" + next));

            await().atMost(Duration.ofSeconds(60))
                    .untilAsserted(() -> assertThat(deadLetters(run)).hasSize(1));
            ConsumerRecord<String, byte[]> dead = deadLetters(run).getFirst();
            assertThat(dead.value()).isEmpty();
            assertThat(KafkaTestClient.header(dead, DeadLetterPublisher.REASON_HEADER))
                    .isEqualTo("not-json");
            assertThat(KafkaTestClient.header(dead, DeadLetterPublisher.DEAD_LETTER_OFFSET_HEADER))
                    .isEqualTo(Long.toString(bad.offset()));
            assertThat(KafkaTestClient.header(dead, DeadLetterPublisher.VALUE_OMITTED_HEADER))
                    .startsWith("RecordTooLargeException");
            awaitCompletedAndCommittedPast(run, next, good);
            assertThat(service.get("/q/health/live"))
                    .as("a refused dead letter does not make the pod restart")
                    .contains("\"status\": \"UP\"");
        }
    }

    @Test
    void aDeadLetterRefusedEvenWithoutItsValueIsDroppedCountedAndAcknowledged() {
        Run run = Run.fresh();
        Map<String, String> config = serviceConfig(run);
        // not even the headers fit
        config.put("mp.messaging.outgoing.dead-letters.max.request.size", "200");
        try (ServiceProcess service = ServiceProcess.start("dlq-dropped", config)) {
            RecordMetadata bad = sendTooLargeNotJson(run);
            String next = run.id() + "-next";
            RecordMetadata good = kafka.send(run.input(), "k", event(next, "t-" + next));

            awaitCompletedAndCommittedPast(run, next, good);
            assertThat(deadLetters(run)).isEmpty();
            assertThat(service.metric("tagpurge_dlq_dropped_total{reason=\"not-json\"")).isOne();
            assertThat(service.logText())
                    .contains(
                            "dead letter of "
                                    + run.input()
                                    + "-0@"
                                    + bad.offset()
                                    + " (reason not-json) refused even without its value")
                    .doesNotContain("{not json");
            assertThat(service.get("/q/health/live")).contains("\"status\": \"UP\"");
        }
    }

    private static RecordMetadata sendTooLargeNotJson(Run run) {
        return kafka.send(run.input(), "k", "{not json " + "x".repeat(8000));
    }

    private static void awaitCompletedAndCommittedPast(Run run, String eventId, RecordMetadata m) {
        await().pollInterval(Duration.ofMillis(300))
                .atMost(Duration.ofSeconds(60))
                .until(() -> completionCounts(run).containsKey(eventId));
        await().pollInterval(Duration.ofMillis(300))
                .atMost(Duration.ofSeconds(30))
                .until(() -> kafka.committedOffset(run.group(), run.input()) > m.offset());
    }

    private static List<ConsumerRecord<String, byte[]>> deadLetters(Run run) {
        return kafka.readAll("dlq-" + run.id(), r -> true);
    }
}
