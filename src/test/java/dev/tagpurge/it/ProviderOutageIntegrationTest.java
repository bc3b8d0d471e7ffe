package dev.tagpurge.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tagpurge.testing.KafkaBrokerResource;
import dev.tagpurge.testing.RedisServerResource;
import dev.tagpurge.testing.SandboxResource;
import dev.tagpurge.testing.TestRunResource;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The provider refuses every purge, then recovers: events are held (no completion, offset not
 * committed past them) and purged after recovery, none lost.
 */
@QuarkusTest
@WithTestResource(KafkaBrokerResource.class)
@WithTestResource(RedisServerResource.class)
@WithTestResource(SandboxResource.class)
@WithTestResource(TestRunResource.class)
class ProviderOutageIntegrationTest extends IntegrationTestSupport {

    @Inject MeterRegistry registry;

    @AfterEach
    void recover() {
        SandboxResource.sandbox().faults().clear();
    }

    @Test
    void eventsHeldDuringAnOutageArePurgedAfterRecoveryAndCommittedOnlyThen() {
        String run = UUID.randomUUID().toString().substring(0, 8);
        // let earlier tests' records be committed first, so the offset check below is about ours
        long before =
                committedOffset(TestRunResource.consumerGroup(), TestRunResource.inputTopic());
        SandboxResource.sandbox().faults().failAlways("fastly", 503);
        double retriesBefore = retries();

        List<String> ids = new ArrayList<>();
        RecordMetadata first = null;
        for (int i = 0; i < 5; i++) {
            String id = "outage-" + run + "-" + i;
            ids.add(id);
            RecordMetadata m =
                    send(
                            TestRunResource.inputTopic(),
                            null,
                            "{\"id\":\""
                                    + id
                                    + "\",\"type\":\"x\",\"tags\":[\"down-"
                                    + run
                                    + "-"
                                    + i
                                    + "\"],\"targets\":[\"cdn\"]}");
            first = first == null ? m : first;
        }
        long firstOffset = first.offset();

        await().atMost(Duration.ofSeconds(30)).until(() -> retries() >= retriesBefore + 5);
        assertThat(completions(Set.copyOf(ids)))
                .as("nothing completes while the provider refuses")
                .isEmpty();
        assertThat(committedOffset(TestRunResource.consumerGroup(), TestRunResource.inputTopic()))
                .as("the offset is not committed past an unfinished event (was %d before)", before)
                .isLessThanOrEqualTo(firstOffset);

        SandboxResource.sandbox().faults().clear();

        await().atMost(Duration.ofSeconds(60))
                .untilAsserted(() -> assertThat(completions(Set.copyOf(ids))).hasSize(5));
        for (JsonNode c : completions(Set.copyOf(ids)).values()) {
            assertThat(c.get("status").asText()).isEqualTo("succeeded");
            assertThat(outcome(c, "cdn").get("attempts").asInt()).isGreaterThan(1);
        }
        assertThat(SandboxResource.sandbox().recorder().purges())
                .filteredOn(r -> r.status() == 200)
                .flatExtracting(r -> r.items())
                .contains("down-" + run + "-0", "down-" + run + "-4");
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(
                        () ->
                                assertThat(
                                                committedOffset(
                                                        TestRunResource.consumerGroup(),
                                                        TestRunResource.inputTopic()))
                                        .isGreaterThan(firstOffset + 4));
    }

    private double retries() {
        return registry.find("tagpurge.retries").tag("target", "cdn").counters().stream()
                .mapToDouble(c -> c.count())
                .sum();
    }
}
