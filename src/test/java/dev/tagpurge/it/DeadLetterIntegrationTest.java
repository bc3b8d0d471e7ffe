package dev.tagpurge.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tagpurge.event.DeadLetterPublisher;
import dev.tagpurge.testing.KafkaBrokerResource;
import dev.tagpurge.testing.KafkaTestClient;
import dev.tagpurge.testing.RedisServerResource;
import dev.tagpurge.testing.SandboxResource;
import dev.tagpurge.testing.TestRunResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.Test;

/**
 * Malformed records go to the dead-letter topic with their reason; the valid ones around them flow.
 */
@QuarkusTest
@WithTestResource(KafkaBrokerResource.class)
@WithTestResource(RedisServerResource.class)
@WithTestResource(SandboxResource.class)
@WithTestResource(TestRunResource.class)
class DeadLetterIntegrationTest extends IntegrationTestSupport {

    @Test
    void eachMalformedRecordLandsOnTheDlqWithItsReasonAndTheValidOnesAroundThemComplete() {
        String run = UUID.randomUUID().toString().substring(0, 8);
        Map<String, String> bad = new LinkedHashMap<>();
        bad.put("not-json", "{this is not json " + run);
        bad.put(
                "missing-id",
                "{\"type\":\"product.updated\",\"tags\":[\"t\"],\"run\":\"" + run + "\"}");
        bad.put(
                "oversize",
                "{\"id\":\"big-"
                        + run
                        + "\",\"type\":\"x\",\"pad\":\""
                        + "x".repeat(70_000)
                        + "\"}");
        bad.put("invalid-tag", "{\"id\":\"comma-" + run + "\",\"type\":\"x\",\"tags\":[\"a,b\"]}");
        bad.put(
                "invalid-tag-control",
                "{\"id\":\"ctl-" + run + "\",\"type\":\"x\",\"tags\":[\"a\\u0007b\"]}");
        // a prefix of the root is everything in disguise; everything from events is off here
        bad.put(
                "everything-not-allowed",
                "{\"id\":\"root-" + run + "\",\"type\":\"x\",\"prefixes\":[\"\"]}");
        bad.put(
                "unknown-target",
                "{\"id\":\"tgt-"
                        + run
                        + "\",\"type\":\"x\",\"tags\":[\"a\"],\"targets\":[\"nope\"]}");

        Map<Long, String> expectedReasonByOffset = new HashMap<>();
        List<String> validIds = new java.util.ArrayList<>();
        long lastOffset = -1;
        int i = 0;
        for (Map.Entry<String, String> b : bad.entrySet()) {
            String validId = "valid-" + run + "-" + i++;
            validIds.add(validId);
            kafka().send(
                            TestRunResource.inputTopic(),
                            null,
                            "{\"id\":\""
                                    + validId
                                    + "\",\"type\":\"x\",\"tags\":[\"ok-"
                                    + validId
                                    + "\"]}");
            RecordMetadata m =
                    kafka().send(
                                    TestRunResource.inputTopic(),
                                    "bad-" + b.getKey(),
                                    b.getValue().getBytes(StandardCharsets.UTF_8),
                                    Map.of());
            expectedReasonByOffset.put(m.offset(), b.getKey().replace("-control", ""));
            lastOffset = m.offset();
        }
        String lastValid = "valid-" + run + "-last";
        validIds.add(lastValid);
        RecordMetadata end =
                kafka().send(
                                TestRunResource.inputTopic(),
                                null,
                                "{\"id\":\""
                                        + lastValid
                                        + "\",\"type\":\"x\",\"tags\":[\"ok-"
                                        + lastValid
                                        + "\"]}");

        await().atMost(Duration.ofSeconds(60))
                .untilAsserted(
                        () ->
                                assertThat(dlqByOffset(expectedReasonByOffset.keySet()))
                                        .hasSize(expectedReasonByOffset.size()));
        Map<Long, ConsumerRecord<String, byte[]>> dlq =
                dlqByOffset(expectedReasonByOffset.keySet());
        expectedReasonByOffset.forEach(
                (offset, reason) -> {
                    ConsumerRecord<String, byte[]> r = dlq.get(offset);
                    assertThat(KafkaTestClient.header(r, DeadLetterPublisher.REASON_HEADER))
                            .as("offset " + offset)
                            .isEqualTo(reason);
                    assertThat(KafkaTestClient.header(r, DeadLetterPublisher.CAUSE_HEADER))
                            .isNotBlank();
                    assertThat(KafkaTestClient.header(r, DeadLetterPublisher.TOPIC_HEADER))
                            .isEqualTo(TestRunResource.inputTopic());
                    assertThat(KafkaTestClient.header(r, DeadLetterPublisher.PARTITION_HEADER))
                            .isEqualTo("0");
                    assertThat(r.value()).as("the original value is kept").isNotEmpty();
                });

        await().atMost(Duration.ofSeconds(60))
                .untilAsserted(
                        () ->
                                assertThat(completions(Set.copyOf(validIds)))
                                        .hasSize(validIds.size())
                                        .allSatisfy(
                                                (id, c) ->
                                                        assertThat(c.get("status").asText())
                                                                .isEqualTo("succeeded")));
        assertThat(
                        SandboxResource.sandbox().recorder().purges().stream()
                                .flatMap(r -> r.items().stream()))
                .contains("ok-" + lastValid);
        long lastSent = Math.max(lastOffset, end.offset());
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(
                        () ->
                                assertThat(
                                                kafka().committedOffset(
                                                                TestRunResource.consumerGroup(),
                                                                TestRunResource.inputTopic()))
                                        .isGreaterThan(lastSent));
    }

    private static Map<Long, ConsumerRecord<String, byte[]>> dlqByOffset(Set<Long> offsets) {
        Map<Long, ConsumerRecord<String, byte[]>> out = new HashMap<>();
        for (ConsumerRecord<String, byte[]> r :
                kafka().readAll(TestRunResource.dlqTopic(), r -> true)) {
            String original = KafkaTestClient.header(r, DeadLetterPublisher.OFFSET_HEADER);
            if (original != null && offsets.contains(Long.parseLong(original))) {
                out.put(Long.parseLong(original), r);
            }
        }
        return out;
    }
}
