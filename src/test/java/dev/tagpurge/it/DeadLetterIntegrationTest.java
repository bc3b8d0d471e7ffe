package dev.tagpurge.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tagpurge.event.DeadLetterPublisher;
import dev.tagpurge.testing.KafkaBrokerResource;
import dev.tagpurge.testing.RedisServerResource;
import dev.tagpurge.testing.SandboxResource;
import dev.tagpurge.testing.TestRunResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
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

    /** A record the service must refuse, with the reason it must give. */
    private record Refused(String reason, String value, Map<String, String> headers) {
        Refused(String reason, String value) {
            this(reason, value, Map.of());
        }
    }

    @Test
    void aKeyThatIsNotTextComesBackByteForByteOnTheCompletionAndOnTheDeadLetter() {
        String run = UUID.randomUUID().toString().substring(0, 8);
        // a schema registry's framing (magic byte, schema id), then bytes that are not UTF-8
        byte[] key = {0, 0, 0, 0, 42, (byte) 0xC3, 0x28, (byte) 0xFF, (byte) 0xFE};
        String valid = "keyed-" + run;
        sendWithKeyBytes(
                TestRunResource.inputTopic(),
                key,
                "{\"id\":\"" + valid + "\",\"type\":\"x\",\"tags\":[\"ok-" + valid + "\"]}");
        sendWithKeyBytes(TestRunResource.inputTopic(), key, "{not json, keyed " + run);

        await().atMost(Duration.ofSeconds(60))
                .untilAsserted(
                        () -> {
                            List<ConsumerRecord<byte[], byte[]>> completion =
                                    readAllWithKeyBytes(
                                            TestRunResource.completionTopic(),
                                            r -> text(r).contains(valid));
                            List<ConsumerRecord<byte[], byte[]>> dead =
                                    readAllWithKeyBytes(
                                            TestRunResource.dlqTopic(),
                                            r -> text(r).contains("keyed " + run));
                            assertThat(completion).hasSize(1);
                            assertThat(completion.getFirst().key()).isEqualTo(key);
                            assertThat(dead).hasSize(1);
                            assertThat(dead.getFirst().key()).isEqualTo(key);
                        });
    }

    private static String text(ConsumerRecord<byte[], byte[]> record) {
        return record.value() == null ? "" : new String(record.value(), StandardCharsets.UTF_8);
    }

    @Test
    void eachMalformedRecordLandsOnTheDlqWithItsReasonAndTheValidOnesAroundThemComplete() {
        String run = UUID.randomUUID().toString().substring(0, 8);
        List<Refused> bad = new ArrayList<>();
        bad.add(new Refused("not-json", "{this is not json " + run));
        bad.add(
                new Refused(
                        "missing-id",
                        "{\"type\":\"product.updated\",\"tags\":[\"t\"],\"run\":\"" + run + "\"}"));
        bad.add(
                new Refused(
                        "oversize",
                        "{\"id\":\"big-"
                                + run
                                + "\",\"type\":\"x\",\"pad\":\""
                                + "x".repeat(70_000)
                                + "\"}"));
        bad.add(
                new Refused(
                        "invalid-tag",
                        "{\"id\":\"comma-" + run + "\",\"type\":\"x\",\"tags\":[\"a,b\"]}"));
        bad.add(
                new Refused(
                        "invalid-tag",
                        "{\"id\":\"ctl-" + run + "\",\"type\":\"x\",\"tags\":[\"a\\u0007b\"]}"));
        // a prefix of the root is everything in disguise; everything from events is off here
        bad.add(
                new Refused(
                        "everything-not-allowed",
                        "{\"id\":\"root-" + run + "\",\"type\":\"x\",\"prefixes\":[\"\"]}"));
        bad.add(
                new Refused(
                        "unknown-target",
                        "{\"id\":\"tgt-"
                                + run
                                + "\",\"type\":\"x\",\"tags\":[\"a\"],\"targets\":[\"nope\"]}"));
        bad.add(
                new Refused(
                        "unsupported-specversion",
                        "{\"specversion\":\"0.3\",\"id\":\"v-" + run + "\",\"type\":\"x\"}"));
        bad.add(
                new Refused(
                        "unsupported-content-type",
                        "{\"specversion\":\"1.0\",\"id\":\"xml-"
                                + run
                                + "\",\"type\":\"x\",\"datacontenttype\":\"application/xml\","
                                + "\"data\":\"<tags>a</tags>\"}"));
        // binary CloudEvents: the attributes in ce_* headers
        bad.add(
                new Refused(
                        "unsupported-content-type",
                        "tags=a",
                        Map.of(
                                "ce_specversion", "1.0",
                                "ce_id", "text-" + run,
                                "ce_type", "x",
                                "content-type", "text/plain")));
        bad.add(
                new Refused(
                        "unsupported-specversion",
                        "{\"tags\":[\"a\"]}",
                        Map.of("ce_specversion", "0.3", "ce_id", "bv-" + run, "ce_type", "x")));

        Map<Long, String> expectedReasonByOffset = new HashMap<>();
        List<String> validIds = new ArrayList<>();
        long lastOffset = -1;
        int i = 0;
        for (Refused b : bad) {
            String validId = "valid-" + run + "-" + i++;
            validIds.add(validId);
            send(
                    TestRunResource.inputTopic(),
                    null,
                    "{\"id\":\""
                            + validId
                            + "\",\"type\":\"x\",\"tags\":[\"ok-"
                            + validId
                            + "\"]}");
            RecordMetadata m =
                    send(
                            TestRunResource.inputTopic(),
                            "bad-" + b.reason(),
                            b.value().getBytes(StandardCharsets.UTF_8),
                            b.headers());
            expectedReasonByOffset.put(m.offset(), b.reason());
            lastOffset = m.offset();
        }
        // CloudEvents the service reads: binary with a JSON content type, structured with
        // data_base64
        String binary = "valid-" + run + "-binary";
        validIds.add(binary);
        send(
                TestRunResource.inputTopic(),
                null,
                ("{\"tags\":[\"ok-" + binary + "\"]}").getBytes(StandardCharsets.UTF_8),
                Map.of(
                        "ce_specversion", "1.0",
                        "ce_id", binary,
                        "ce_type", "x",
                        "content-type", "application/json; charset=utf-8"));
        String base64 = "valid-" + run + "-base64";
        validIds.add(base64);
        String base64Data = "{\"tags\":[\"ok-" + base64 + "\"]}";
        send(
                TestRunResource.inputTopic(),
                null,
                "{\"specversion\":\"1.0\",\"id\":\""
                        + base64
                        + "\",\"type\":\"x\",\"datacontenttype\":\"application/json\","
                        + "\"data_base64\":\""
                        + Base64.getEncoder()
                                .encodeToString(base64Data.getBytes(StandardCharsets.UTF_8))
                        + "\"}");
        String lastValid = "valid-" + run + "-last";
        validIds.add(lastValid);
        RecordMetadata end =
                send(
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
                    assertThat(header(r, DeadLetterPublisher.REASON_HEADER))
                            .as("offset " + offset)
                            .isEqualTo(reason);
                    assertThat(header(r, DeadLetterPublisher.CAUSE_HEADER)).isNotBlank();
                    assertThat(header(r, DeadLetterPublisher.TOPIC_HEADER))
                            .isEqualTo(TestRunResource.inputTopic());
                    assertThat(header(r, DeadLetterPublisher.PARTITION_HEADER)).isEqualTo("0");
                    // SmallRye's own dead-letter headers, beside ours, with the same values
                    assertThat(header(r, DeadLetterPublisher.DEAD_LETTER_REASON_HEADER))
                            .isEqualTo(reason);
                    assertThat(header(r, DeadLetterPublisher.DEAD_LETTER_CAUSE_HEADER))
                            .isEqualTo(header(r, DeadLetterPublisher.CAUSE_HEADER));
                    assertThat(header(r, DeadLetterPublisher.DEAD_LETTER_TOPIC_HEADER))
                            .isEqualTo(TestRunResource.inputTopic());
                    assertThat(header(r, DeadLetterPublisher.DEAD_LETTER_PARTITION_HEADER))
                            .isEqualTo("0");
                    assertThat(header(r, DeadLetterPublisher.DEAD_LETTER_OFFSET_HEADER))
                            .isEqualTo(Long.toString(offset));
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
                                                committedOffset(
                                                        TestRunResource.consumerGroup(),
                                                        TestRunResource.inputTopic()))
                                        .isGreaterThan(lastSent));
    }

    private static Map<Long, ConsumerRecord<String, byte[]>> dlqByOffset(Set<Long> offsets) {
        Map<Long, ConsumerRecord<String, byte[]>> out = new HashMap<>();
        for (ConsumerRecord<String, byte[]> r : readAll(TestRunResource.dlqTopic(), r -> true)) {
            String original = header(r, DeadLetterPublisher.OFFSET_HEADER);
            if (original != null && offsets.contains(Long.parseLong(original))) {
                out.put(Long.parseLong(original), r);
            }
        }
        return out;
    }
}
