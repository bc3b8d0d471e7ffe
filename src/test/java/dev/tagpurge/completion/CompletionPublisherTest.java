package dev.tagpurge.completion;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;

class CompletionPublisherTest {

    /** Jackson's data binding, configured as Quarkus configures its ObjectMapper. */
    private static final ObjectMapper BINDING =
            new ObjectMapper()
                    .registerModule(new JavaTimeModule())
                    .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    private static final CompletionEvent EVENT =
            new CompletionEvent(
                    "evt-1",
                    "product.updated",
                    "partial",
                    Instant.parse("2026-11-22T05:05:18.311123456Z"),
                    Instant.parse("2026-11-22T05:05:18.402Z"),
                    91,
                    List.of(
                            new CompletionEvent.TargetOutcome(
                                    "cdn",
                                    "fastly",
                                    "succeeded",
                                    3,
                                    1,
                                    1,
                                    List.of("17-1700000000-1", "quote\"and\\slash"),
                                    null,
                                    7,
                                    42),
                            new CompletionEvent.TargetOutcome(
                                    "edge",
                                    "akamai",
                                    "failed",
                                    2,
                                    2,
                                    3,
                                    List.of(),
                                    "permanent: 403 \u00e9 \n",
                                    7,
                                    42),
                            new CompletionEvent.TargetOutcome(
                                    "edge-staging",
                                    "akamai",
                                    "succeeded",
                                    1,
                                    1,
                                    1,
                                    List.of("e535071c-26b2-11e7-94d7-276f2f54d938"),
                                    null,
                                    0,
                                    0,
                                    5L,
                                    null)));

    /** An operator's purge with verification results: every optional field present. */
    private static final CompletionEvent OPERATOR_PURGE =
            new CompletionEvent(
                    "op-7",
                    "operator.purge",
                    "succeeded",
                    Instant.parse("2026-11-22T05:05:18Z"),
                    Instant.parse("2026-11-22T05:05:19.5Z"),
                    1500,
                    List.of(
                            new CompletionEvent.TargetOutcome(
                                    "cdn",
                                    "cloudfront",
                                    "succeeded",
                                    1,
                                    1,
                                    1,
                                    List.of("I2J0I21PCUYOIK"),
                                    null,
                                    0,
                                    1500,
                                    null,
                                    List.of(
                                            new CompletionEvent.Verification(
                                                    "https://www.example.com/p/1",
                                                    "verified",
                                                    "MISS"),
                                            new CompletionEvent.Verification(
                                                    "https://www.example.com/p/\u00e9",
                                                    "unverifiable",
                                                    null)))),
                    CompletionEvent.OPERATOR,
                    "INC-1234",
                    "alice \"ops\"");

    /** The record as data binding writes it, read back (so numbers compare by value). */
    private static JsonNode bound(CompletionEvent event) throws Exception {
        return BINDING.readTree(BINDING.writeValueAsString(event));
    }

    @Test
    void dataIsWhatDataBindingOfTheRecordWrites() throws Exception {
        JsonNode written = BINDING.readTree(CompletionPublisher.toCloudEvent(EVENT));

        assertEquals(bound(EVENT), written.get("data"));
    }

    @Test
    void everyOptionalFieldIsWhatDataBindingWrites() throws Exception {
        JsonNode written = BINDING.readTree(CompletionPublisher.toCloudEvent(OPERATOR_PURGE));

        assertEquals(bound(OPERATOR_PURGE), written.get("data"));
        assertEquals("operator", written.path("data").path("source").asText());
    }

    @Test
    void envelopeIsCloudEventsStructuredMode() throws Exception {
        JsonNode written = BINDING.readTree(CompletionPublisher.toCloudEvent(EVENT));

        ObjectNode expected = BINDING.createObjectNode();
        expected.put("specversion", "1.0")
                .put("id", written.path("id").asText())
                .put("source", "tagpurge")
                .put("type", CompletionPublisher.EVENT_TYPE)
                .put("subject", "evt-1")
                .put("time", "2026-11-22T05:05:18.402Z")
                .put("datacontenttype", "application/json")
                .set("data", bound(EVENT));
        assertEquals(expected, written);
        assertEquals(36, written.path("id").asText().length(), "a UUID per completion");
    }

    /** The record without its random id, for comparing two writes of the same completion. */
    private static JsonNode withoutId(byte[] value) throws Exception {
        ObjectNode tree = (ObjectNode) BINDING.readTree(value);
        tree.remove("id");
        return tree;
    }

    @Test
    void oneWriterWritesRecordAfterRecordEachAsAWriterOfItsOwnWould() throws Exception {
        CompletionPublisher.Writer writer = new CompletionPublisher.Writer();
        CompletionEvent small =
                new CompletionEvent(
                        "evt-2", "t", "succeeded", null, EVENT.completedAt(), 0, List.of());
        for (CompletionEvent e : List.of(EVENT, small, EVENT, small)) {
            byte[] value = writer.write(e);
            assertEquals(
                    withoutId(new CompletionPublisher.Writer().write(e)),
                    withoutId(value),
                    "nothing of the record before leaks into this one");
            assertEquals('{', (char) value[0]);
            assertEquals('}', (char) value[value.length - 1]);
        }
    }

    @Test
    void aWriteThatFailsLeavesTheNextOneWhole() throws Exception {
        CompletionPublisher.Writer writer = new CompletionPublisher.Writer();
        List<CompletionEvent.TargetOutcome> broken = new ArrayList<>();
        broken.add(null); // fails half-way through the record
        CompletionEvent failing =
                new CompletionEvent("evt-3", "t", "failed", null, EVENT.completedAt(), 0, broken);

        Assertions.assertThrows(NullPointerException.class, () -> writer.write(failing));
        assertEquals(
                withoutId(new CompletionPublisher.Writer().write(EVENT)),
                withoutId(writer.write(EVENT)));
    }

    @Test
    void eachCompletionHasItsOwnId() throws Exception {
        String a = BINDING.readTree(CompletionPublisher.toCloudEvent(EVENT)).path("id").asText();
        String b = BINDING.readTree(CompletionPublisher.toCloudEvent(EVENT)).path("id").asText();

        Assertions.assertNotEquals(a, b);
    }

    @Test
    void idsAreVersion4UuidsAndDistinct() {
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            String id = CompletionPublisher.randomId();
            UUID uuid = UUID.fromString(id);
            assertEquals(4, uuid.version());
            assertEquals(2, uuid.variant());
            ids.add(id);
        }
        assertEquals(10_000, ids.size());
    }
}
