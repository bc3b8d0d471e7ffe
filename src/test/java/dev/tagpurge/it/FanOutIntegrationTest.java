package dev.tagpurge.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tagpurge.event.DeadLetterPublisher;
import dev.tagpurge.sandbox.RecordedPurge;
import dev.tagpurge.testing.KafkaBrokerResource;
import dev.tagpurge.testing.RedisServerResource;
import dev.tagpurge.testing.SandboxResource;
import dev.tagpurge.testing.TestRunResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * One change event fanned out to four targets, one per CDN provider, all on the sandbox: four
 * outcomes in its completion event; one provider failing permanently holds back nobody else.
 */
@QuarkusTest
@WithTestResource(KafkaBrokerResource.class)
@WithTestResource(RedisServerResource.class)
@WithTestResource(SandboxResource.class)
@WithTestResource(TestRunResource.class)
class FanOutIntegrationTest extends IntegrationTestSupport {

    private static final List<String> FOUR = List.of("cdn", "zone", "dist", "edge");

    @AfterEach
    void recover() {
        SandboxResource.sandbox().faults().clear();
    }

    private static String event(String id, String tag) {
        return """
                {"id":"%s","type":"price.changed","tags":["%s"],
                 "urls":["https://multi.example.com/p/%s"],"targets":["cdn","zone","dist","edge"]}"""
                .formatted(id, tag, tag);
    }

    @Test
    void anEventRoutedToAllFourProvidersGetsFourOutcomes() {
        String id = "fan-" + UUID.randomUUID();
        String tag = "multi-" + UUID.randomUUID().toString().substring(0, 8);
        send(TestRunResource.inputTopic(), null, event(id, tag));

        await().atMost(Duration.ofSeconds(60))
                .untilAsserted(() -> assertThat(completions(Set.of(id))).hasSize(1));
        JsonNode completion = completions(Set.of(id)).get(id);

        assertThat(completion.get("status").asText())
                .as(completion.toString())
                .isEqualTo("succeeded");
        assertThat(completion.get("targets")).hasSize(4);
        for (String target : FOUR) {
            assertThat(outcome(completion, target).get("status").asText())
                    .as(target)
                    .isEqualTo("succeeded");
        }
        // routing by hosts: cdn serves www.example.com only, so it gets the tag but not the URL
        assertThat(outcome(completion, "cdn").get("selectors").asInt()).isEqualTo(1);
        for (String target : List.of("zone", "dist", "edge")) {
            assertThat(outcome(completion, target).get("selectors").asInt())
                    .as(target)
                    .isEqualTo(2);
        }
        assertThat(outcome(completion, "zone").get("provider").asText()).isEqualTo("cloudflare");
        assertThat(outcome(completion, "dist").get("provider").asText()).isEqualTo("cloudfront");
        assertThat(outcome(completion, "edge").get("provider").asText()).isEqualTo("akamai");
        assertThat(providersThatPurged(tag))
                .containsExactlyInAnyOrder("fastly", "cloudflare", "cloudfront", "akamai");
    }

    @Test
    void aProviderFailingPermanentlyMakesTheEventPartialAndDeadLettersIt() {
        SandboxResource.sandbox().faults().failAlways("akamai", 403);
        String id = "fan-fail-" + UUID.randomUUID();
        String tag = "multi-" + UUID.randomUUID().toString().substring(0, 8);
        send(TestRunResource.inputTopic(), "k-" + id, event(id, tag));

        await().atMost(Duration.ofSeconds(60))
                .untilAsserted(() -> assertThat(completions(Set.of(id))).hasSize(1));
        JsonNode completion = completions(Set.of(id)).get(id);

        assertThat(completion.get("status").asText()).isEqualTo("partial");
        assertThat(outcome(completion, "edge").get("status").asText()).isEqualTo("failed");
        assertThat(outcome(completion, "edge").get("error").asText()).contains("403");
        assertThat(outcome(completion, "edge").get("attempts").asInt())
                .as("a permanent error is not retried")
                .isEqualTo(1);
        for (String target : List.of("cdn", "zone", "dist")) {
            assertThat(outcome(completion, target).get("status").asText())
                    .as(target)
                    .isEqualTo("succeeded");
        }
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(
                        () -> {
                            List<ConsumerRecord<String, byte[]>> dead =
                                    readAll(TestRunResource.dlqTopic(), r -> value(r).contains(id));
                            assertThat(dead).hasSize(1);
                            assertThat(header(dead.get(0), DeadLetterPublisher.REASON_HEADER))
                                    .isEqualTo("purge-failed");
                            assertThat(header(dead.get(0), DeadLetterPublisher.CAUSE_HEADER))
                                    .contains("edge");
                        });
        assertThat(providersThatPurged(tag))
                .containsExactlyInAnyOrder("fastly", "cloudflare", "cloudfront");
    }

    @Test
    void aTagTooLongForOneProviderIsRejectedForThatTargetOnly() {
        String id = "fan-long-" + UUID.randomUUID();
        String tag = "multi-" + "x".repeat(200); // over Akamai's 128, within CloudFront's 256
        send(
                TestRunResource.inputTopic(),
                null,
                """
                {"id":"%s","type":"price.changed","tags":["%s"],"targets":["zone","dist","edge"]}"""
                        .formatted(id, tag));

        await().atMost(Duration.ofSeconds(60))
                .untilAsserted(() -> assertThat(completions(Set.of(id))).hasSize(1));
        JsonNode completion = completions(Set.of(id)).get(id);

        assertThat(outcome(completion, "edge").get("status").asText()).isEqualTo("rejected");
        assertThat(outcome(completion, "edge").get("error").asText()).contains("128");
        assertThat(outcome(completion, "zone").get("status").asText()).isEqualTo("succeeded");
        assertThat(outcome(completion, "dist").get("status").asText()).isEqualTo("succeeded");
        assertThat(completion.get("status").asText()).isEqualTo("partial");
    }

    private static Set<String> providersThatPurged(String tag) {
        return SandboxResource.sandbox().recorder().purges().stream()
                .filter(r -> r.status() >= 200 && r.status() < 300)
                .filter(r -> r.items().stream().anyMatch(i -> i.contains(tag)))
                .map(RecordedPurge::provider)
                .collect(Collectors.toSet());
    }
}
