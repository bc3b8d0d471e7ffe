package dev.tagpurge.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import dev.tagpurge.completion.CompletionEvent;
import dev.tagpurge.completion.CompletionPublisher;
import dev.tagpurge.domain.InvalidEventException;
import dev.tagpurge.event.ChangeEventParser;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The published JSON Schemas (docs/schemas) against the events the documentation shows and the
 * completion records the service really writes, so neither the schemas nor the docs drift from the
 * code.
 */
class EventSchemasTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path CHANGE_SCHEMA = Path.of("docs/schemas/change-event.schema.json");
    private static final Path COMPLETION_SCHEMA =
            Path.of("docs/schemas/completion-event.schema.json");

    @Test
    void changeEventSchemaAcceptsTheDocumentedExamples() throws Exception {
        JsonSchema schema = schema(CHANGE_SCHEMA);
        for (String example : validExamples()) {
            assertThat(schema.validate(JSON.readTree(example))).as(example).isEmpty();
        }
    }

    @Test
    void changeEventSchemaRejectsEventsTheServiceDeadLetters() throws Exception {
        JsonSchema schema = schema(CHANGE_SCHEMA);
        for (String event : invalidExamples()) {
            assertThat(schema.validate(JSON.readTree(event))).as(event).isNotEmpty();
        }
    }

    /** The schema and the service's parser agree: what one accepts the other accepts. */
    @Test
    void parserAgreesWithTheSchemaOnEveryExample() throws Exception {
        ChangeEventParser parser = new ChangeEventParser(JSON, 1 << 20);
        for (String example : validExamples()) {
            assertThatCode(() -> parser.parse(bytes(example), header -> null))
                    .as(example)
                    .doesNotThrowAnyException();
        }
        for (String event : invalidExamples()) {
            assertThatThrownBy(() -> parser.parse(bytes(event), header -> null))
                    .as(event)
                    .isInstanceOf(InvalidEventException.class);
        }
    }

    private static byte[] bytes(String json) {
        return json.getBytes(StandardCharsets.UTF_8);
    }

    /** The documentation's own examples, plus a structured CloudEvent and a minimal event. */
    private static List<String> validExamples() throws Exception {
        List<String> examples = new ArrayList<>();
        examples.add(firstJsonBlock(Path.of("docs/events.md")));
        examples.addAll(publishedEvents(Path.of("README.md")));
        // a structured CloudEvent with the purge fields in data and as extensions
        examples.add(
                """
                {"specversion":"1.0","id":"evt-2","type":"product.updated","source":"catalog",
                 "time":"2026-11-22T10:00:00Z","purgetags":"product-42,category-7","purgemode":"soft",
                 "data":{"id":42,"urls":["https://www.example.com/p/42"],"targets":["cdn"]}}
                """);
        examples.add("{\"id\":\"evt-3\",\"type\":\"product.deleted\"}");
        // the same data base64-encoded, with a JSON content type
        examples.add(
                """
                {"specversion":"1.0","id":"evt-4","type":"product.updated",
                 "datacontenttype":"application/json; charset=utf-8",
                 "data_base64":"eyJpZCI6NDIsInRhZ3MiOlsicHJvZHVjdC00MiJdfQ=="}
                """);
        // the CloudEvents JSON format's own examples with JSON data
        examples.add(cloudEventsExample("json-object-data.json"));
        examples.add(cloudEventsExample("json-string-data.json"));
        return examples;
    }

    /** An example event of the CloudEvents JSON format (see the README beside it). */
    private static String cloudEventsExample(String name) throws Exception {
        return Files.readString(Path.of("src/test/resources/cloudevents/json-format", name));
    }

    /**
     * Events the service dead-letters (missing-id, missing-type, invalid-id, invalid-field,
     * unsupported-specversion, unsupported-content-type).
     */
    private static List<String> invalidExamples() throws Exception {
        return List.of(
                "{\"specversion\":\"0.3\",\"id\":\"e\",\"type\":\"t\"}",
                "{\"specversion\":\"1.0\",\"id\":\"e\",\"type\":\"t\",\"data\":{},\"data_base64\":\"e30=\"}",
                "{\"specversion\":\"1.0\",\"id\":\"e\",\"type\":\"t\",\"datacontenttype\":\"text/plain\",\"data\":\"x\"}",
                cloudEventsExample("xml-data.json"),
                cloudEventsExample("binary-data.json"),
                "{\"type\":\"product.updated\",\"tags\":[\"product-42\"]}",
                "{\"id\":\"evt-1\",\"tags\":[\"product-42\"]}",
                "{\"id\":\"\",\"type\":\"product.updated\"}",
                "{\"id\":\"evt-1\",\"type\":\"product.updated\",\"mode\":\"gentle\"}",
                "{\"id\":\"evt-1\",\"type\":\"product.updated\",\"tags\":\"product-42\"}",
                "{\"id\":\"evt-1\",\"type\":\"product.updated\",\"time\":\"yesterday\"}",
                "{\"specversion\":\"1.0\",\"type\":\"product.updated\"}",
                "{\"specversion\":\"1.0\",\"id\":\"e\",\"type\":\"t\",\"data\":{\"everything\":\"yes\"}}",
                "{\"id\":\"" + "x".repeat(257) + "\",\"type\":\"product.updated\"}");
    }

    @Test
    void completionSchemaAcceptsWhatThePublisherWrites() throws Exception {
        JsonSchema schema = schema(COMPLETION_SCHEMA);
        for (CompletionEvent event : completions()) {
            JsonNode written = JSON.readTree(publisherJson(event));
            Set<ValidationMessage> errors = schema.validate(written);
            assertThat(errors).as(written.toString()).isEmpty();
        }
    }

    @Test
    void completionSchemaRejectsARecordMissingItsStatus() throws Exception {
        JsonSchema schema = schema(COMPLETION_SCHEMA);
        ObjectNode written = (ObjectNode) JSON.readTree(publisherJson(completions().get(0)));
        ((ObjectNode) written.get("data")).remove("status");
        assertThat(schema.validate(written)).isNotEmpty();

        ObjectNode renamed = (ObjectNode) JSON.readTree(publisherJson(completions().get(0)));
        renamed.put("type", "tagpurge.purge.done");
        assertThat(schema.validate(renamed)).isNotEmpty();
    }

    /** Real records: the publisher's own writer, reached the way its unit test reaches it. */
    private static String publisherJson(CompletionEvent event) throws Exception {
        Method writer =
                CompletionPublisher.class.getDeclaredMethod("toCloudEvent", CompletionEvent.class);
        writer.setAccessible(true);
        return (String) writer.invoke(null, event);
    }

    private static List<CompletionEvent> completions() {
        Instant received = Instant.parse("2026-11-22T10:00:00.123456789Z");
        Instant completed = Instant.parse("2026-11-22T10:00:00.184Z");
        return List.of(
                new CompletionEvent(
                        "evt-1",
                        "product.updated",
                        "partial",
                        received,
                        completed,
                        61,
                        List.of(
                                new CompletionEvent.TargetOutcome(
                                        "cdn",
                                        "fastly",
                                        "succeeded",
                                        4,
                                        2,
                                        1,
                                        List.of("17-1700000000-1"),
                                        null,
                                        7,
                                        42),
                                new CompletionEvent.TargetOutcome(
                                        "cache",
                                        "redis",
                                        "rejected",
                                        1,
                                        0,
                                        0,
                                        List.of(),
                                        "redis cannot purge URLs",
                                        7,
                                        42),
                                new CompletionEvent.TargetOutcome(
                                        "edge",
                                        "akamai",
                                        "failed",
                                        2,
                                        1,
                                        3,
                                        List.of(),
                                        "permanent: 403",
                                        7,
                                        42),
                                new CompletionEvent.TargetOutcome(
                                        "edge-staging",
                                        "akamai",
                                        "succeeded",
                                        2,
                                        1,
                                        1,
                                        List.of("e535071c-26b2-11e7-94d7-276f2f54d938"),
                                        null,
                                        0,
                                        0,
                                        5L,
                                        null))),
                new CompletionEvent(
                        "evt-2", "order.created", "unmatched", received, completed, 0, List.of()),
                new CompletionEvent(
                        "op-0b8e4c1e",
                        "tagpurge.operator.purge",
                        "succeeded",
                        received,
                        completed,
                        61,
                        List.of(
                                new CompletionEvent.TargetOutcome(
                                        "cdn",
                                        "fastly",
                                        "succeeded",
                                        1,
                                        1,
                                        1,
                                        List.of("17-1700000000-2"),
                                        null,
                                        7,
                                        42)),
                        CompletionEvent.OPERATOR,
                        "OPS-1234",
                        "alice"));
    }

    @Test
    void completionSchemaRejectsAnOperatorCompletionWithoutItsTicket() throws Exception {
        JsonSchema schema = schema(COMPLETION_SCHEMA);
        ObjectNode written = (ObjectNode) JSON.readTree(publisherJson(completions().get(2)));
        assertThat(written.get("data").get("source").asText()).isEqualTo("operator");
        ((ObjectNode) written.get("data")).remove("ticket");
        assertThat(schema.validate(written)).isNotEmpty();
    }

    private static JsonSchema schema(Path file) throws Exception {
        SchemaValidatorsConfig config =
                SchemaValidatorsConfig.builder().formatAssertionsEnabled(true).build();
        return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012)
                .getSchema(JSON.readTree(Files.readString(file)), config);
    }

    private static String firstJsonBlock(Path markdown) throws Exception {
        Matcher m =
                Pattern.compile("```json\\n(.*?)```", Pattern.DOTALL)
                        .matcher(Files.readString(markdown));
        assertThat(m.find()).as("a json block in " + markdown).isTrue();
        return m.group(1);
    }

    /** The events of the README's {@code deploy/local/publish-event.sh '…'} commands. */
    private static List<String> publishedEvents(Path markdown) throws Exception {
        Matcher m =
                Pattern.compile("publish-event\\.sh '([^']*)'").matcher(Files.readString(markdown));
        List<String> out = new ArrayList<>();
        while (m.find()) {
            out.add(m.group(1));
        }
        assertThat(out).as("example events in " + markdown).isNotEmpty();
        return out;
    }
}
