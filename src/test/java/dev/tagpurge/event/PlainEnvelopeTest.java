package dev.tagpurge.event;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tagpurge.domain.ChangeEvent;
import dev.tagpurge.domain.InvalidEventException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The token-by-token path for plain events must mean exactly what the tree path means: the same
 * event, or the same refusal with the same reason and words, for well-formed and hostile records.
 */
class PlainEnvelopeTest {

    private static final Instant NOW = Instant.parse("2026-11-22T10:05:00Z");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ChangeEventParser parser =
            new ChangeEventParser(
                    JSON,
                    4096,
                    Duration.ofMinutes(5),
                    Duration.ofDays(7),
                    Clock.fixed(NOW, ZoneOffset.UTC));

    @Test
    void aPlainEventIsReadByTokens() {
        PlainEnvelope e =
                PlainEnvelope.read(
                        JSON,
                        bytes(
                                """
                {"id":"e1","type":"product.updated","source":"catalog","subject":null,
                 "time":"2026-11-22T10:00:00Z","tags":["product-42","category-7"],"urls":null,
                 "everything":false,"mode":"soft","extra":{"nested":[1,{"a":null}]},
                 "data":{"id":42,"body":"x"}}"""),
                        true,
                        new FrequentText());

        assertThat(e).as("read without the tree").isNotNull();
        assertThat(e.id).isEqualTo("e1");
        assertThat(e.subject).isNull();
        assertThat(e.tags).containsExactly("product-42", "category-7");
        assertThat(e.urls).isEmpty();
        assertThat(e.data.get("id").asInt()).isEqualTo(42);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "{\"id\":\"a\",\"type\":\"t\",\"specversion\":\"1.0\"}",
                "{\"id\":\"a\",\"type\":\"t\",\"id\":\"b\"}",
                "{\"id\":\"a\",\"type\":\"t\",\"tags\":[\"x\",1]}",
                "{\"id\":\"a\",\"type\":\"t\",\"source\":7}",
                "{\"id\":\"\",\"type\":\"t\"}",
                "{\"id\":null,\"type\":\"t\"}",
                "{\"id\":\"a\",\"type\":\"t\"} trailing",
                "{\"id\":\"a\",\"type\":\"t\"",
                "[{\"id\":\"a\",\"type\":\"t\"}]",
                "not json"
            })
    void anythingUnexpectedIsLeftToTheTreePath(String record) {
        assertThat(PlainEnvelope.read(JSON, bytes(record), true, new FrequentText())).isNull();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "{\"id\":\"a\",\"type\":\"t\",\"tags\":[\"x\"],\"data\":{\"id\":1}}",
                "{\"type\":\"t\",\"id\":\"a\",\"time\":\"2026-11-22T10:04:00+01:00\"}",
                "{\"id\":\"a\",\"type\":\"t\",\"time\":\"yesterday\"}",
                "{\"id\":\"a\",\"type\":\"t\",\"time\":\"\"}",
                "{\"id\":\"a\",\"type\":\"t\",\"time\":\"1999-01-01T00:00:00Z\"}",
                "{\"id\":\"a\",\"type\":\"t\",\"mode\":\"gentle\"}",
                "{\"id\":\"a\",\"type\":\"t\",\"mode\":\"hard\",\"everything\":true}",
                "{\"id\":\"a\",\"type\":\"t\",\"data\":null}",
                "{\"id\":\"a\",\"type\":\"t\",\"data\":\"just text\"}",
                "{\"id\":\"a\",\"type\":\"t\",\"data\":[1,2]}",
                "{\"id\":\"a\",\"type\":\"t\",\"data\":{\"d\":1},\"data\":{\"d\":2}}",
                "{\"id\":\"a\",\"type\":\"t\"} trailing",
                "{\"id\":\"a\",\"type\":\"t\",\"tags\":[\"x\",[\"y\"]]}",
                "{\"id\":\"a\",\"type\":\"t\",\"everything\":\"yes\"}",
                "{\"id\":\"a\",\"type\":\"t\",\"specversion\":\"1.0\"}",
                "{\"id\":\"a\",\"type\":\"t\",\"id\":\"b\"}",
                "{\"id\":\"a\"}",
                "{}",
                "[]",
                "\"text\"",
                "{\"id\":\"a\",\"type\":",
                ""
            })
    void theSameEventOrTheSameRefusalAsTheTree(String record) {
        assertSameOutcome(record);
    }

    /** Without rules nothing reads the view: data is checked, not built; the rest is the same. */
    @ParameterizedTest
    @ValueSource(
            strings = {
                "{\"id\":\"a\",\"type\":\"t\",\"tags\":[\"x\"],\"data\":{\"id\":1,\"n\":[{}]}}",
                "{\"id\":\"a\",\"type\":\"t\",\"time\":\"2026-11-22T10:04:00Z\",\"data\":\"s\"}",
                "{\"id\":\"a\",\"type\":\"t\",\"data\":{\"x\":}}",
                "{\"id\":\"a\",\"type\":\"t\",\"data\":[1,}",
                "{\"id\":\"a\",\"type\":\"t\",\"mode\":\"gentle\",\"data\":null}"
            })
    void withoutAViewTheEventIsTheSameButForIt(String record) {
        ChangeEventParser withoutView =
                new ChangeEventParser(
                        JSON,
                        4096,
                        Duration.ofMinutes(5),
                        Duration.ofDays(7),
                        Clock.fixed(NOW, ZoneOffset.UTC),
                        false);
        Object byTokens = outcome(() -> withoutView.parse(bytes(record), h -> null));
        Object byTree = outcome(() -> parser.parseAsTree(bytes(record), h -> null));
        if (byTree instanceof ChangeEvent tree) {
            assertThat(byTokens).isInstanceOf(ChangeEvent.class);
            assertThat(((ChangeEvent) byTokens).view().isNull()).isTrue();
            assertThat(byTokens).usingRecursiveComparison().ignoringFields("view").isEqualTo(tree);
        } else {
            assertThat(byTokens).isEqualTo(byTree);
        }
    }

    @Test
    void idsLongerThanAllowedAreRefusedAlike() {
        assertSameOutcome("{\"id\":\"" + "i".repeat(257) + "\",\"type\":\"t\"}");
        assertSameOutcome("{\"id\":\"" + "i".repeat(256) + "\",\"type\":\"t\"}");
    }

    /** Thousands of envelopes built from fields of every JSON type, some given twice, some cut. */
    @Test
    void generatedEnvelopesMeanTheSameByTokensAsByTree() {
        Random random = new Random(20261203);
        String[] names = {
            "id",
            "type",
            "source",
            "subject",
            "time",
            "mode",
            "tags",
            "urls",
            "prefixes",
            "targets",
            "everything",
            "data",
            "other",
            "specversion"
        };
        String[] values = {
            "\"e\"",
            "\"\"",
            "null",
            "true",
            "false",
            "12",
            "-1.5e3",
            "[]",
            "[\"a\",\"b\"]",
            "[\"a\",null]",
            "[[\"a\"]]",
            "{}",
            "{\"id\":3,\"n\":{\"m\":[1,\"x\"]}}",
            "\"2026-11-22T10:04:59Z\"",
            "\"2026-11-22T10:04:59.123456789+02:00\"",
            "\"soft\"",
            "\"hard\"",
            "\"\\u00e9t\\u00e9\"",
            "\"product-42\""
        };
        int byTokens = 0;
        for (int n = 0; n < 5_000; n++) {
            StringBuilder b = new StringBuilder("{");
            List<String> fields = new ArrayList<>();
            if (random.nextInt(10) > 0) {
                fields.add("\"id\":\"event-" + n + "\"");
            }
            if (random.nextInt(10) > 0) {
                fields.add("\"type\":\"t\"");
            }
            int extra = random.nextInt(6);
            for (int i = 0; i < extra; i++) {
                fields.add(
                        "\""
                                + names[random.nextInt(names.length)]
                                + "\":"
                                + values[random.nextInt(values.length)]);
            }
            Collections.shuffle(fields, random);
            b.append(String.join(",", fields)).append('}');
            String record = b.toString();
            if (random.nextInt(20) == 0) {
                record = record.substring(0, random.nextInt(record.length()));
            }
            if (PlainEnvelope.read(JSON, bytes(record), true, new FrequentText()) != null) {
                byTokens++;
            }
            assertSameOutcome(record);
        }
        assertThat(byTokens).as("records the token path read itself").isGreaterThan(500);
    }

    private void assertSameOutcome(String record) {
        Object byTokens = outcome(() -> parser.parse(bytes(record), h -> null));
        Object byTree = outcome(() -> parser.parseAsTree(bytes(record), h -> null));
        assertThat(byTokens).as(record).isEqualTo(byTree);
    }

    private static Object outcome(Parse parse) {
        try {
            return parse.run();
        } catch (InvalidEventException e) {
            return e.reason() + ": " + e.getMessage();
        }
    }

    private interface Parse {
        ChangeEvent run() throws InvalidEventException;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
