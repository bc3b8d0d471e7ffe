package dev.tagpurge.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tagpurge.testing.ServiceProcess;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.Test;

/**
 * The packaged service's JSON log (the prod format) carries the MDC: a dead-lettered event's line
 * can be found by its event id and points at its record.
 */
class JsonLogsIT extends ProcessTestSupport {

    @Test
    void aDeadLetteredEventIsLoggedAsJsonWithItsIdAndRecordInTheMdc() {
        Run run = Run.fresh();
        Map<String, String> config = serviceConfig(run);
        // the prod profile's format; ServiceProcess turns it off for readable test logs
        config.put("quarkus.log.console.json.enabled", "true");
        try (ServiceProcess service = ServiceProcess.start("json-logs", config)) {
            String id = run.id() + "-empty-tag";
            RecordMetadata sent =
                    kafka.send(
                            run.input(),
                            "k",
                            "{\"id\":\"" + id + "\",\"type\":\"product.updated\",\"tags\":[\"\"]}");

            await().atMost(Duration.ofSeconds(60))
                    .untilAsserted(() -> assertThat(deadLetteringLines(service)).hasSize(1));
            JsonNode mdc = deadLetteringLines(service).getFirst().get("mdc");
            assertThat(mdc.path("eventId").asText()).isEqualTo(id);
            assertThat(mdc.path("topic").asText()).isEqualTo(run.input());
            assertThat(mdc.path("partition").asText()).isEqualTo("0");
            assertThat(mdc.path("offset").asText()).isEqualTo(Long.toString(sent.offset()));
        }
    }

    private static List<JsonNode> deadLetteringLines(ServiceProcess service) {
        return service.logText()
                .lines()
                .filter(l -> l.startsWith("{"))
                .map(ProcessTestSupport::json)
                .filter(j -> j.path("message").asText().startsWith("dead-lettering "))
                .toList();
    }
}
