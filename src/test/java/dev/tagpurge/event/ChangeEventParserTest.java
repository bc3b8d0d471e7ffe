package dev.tagpurge.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tagpurge.domain.ChangeEvent;
import dev.tagpurge.domain.InvalidEventException;
import dev.tagpurge.domain.InvalidReason;
import dev.tagpurge.domain.PurgeMode;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ChangeEventParserTest {

    private static final Instant NOW = Instant.parse("2026-11-22T10:05:00Z");

    private final ChangeEventParser parser =
            new ChangeEventParser(
                    new ObjectMapper(),
                    1024,
                    Duration.ofMinutes(5),
                    Duration.ofDays(7),
                    Clock.fixed(NOW, ZoneOffset.UTC));

    private ChangeEvent parse(String json) throws InvalidEventException {
        return parser.parse(json.getBytes(StandardCharsets.UTF_8), h -> null);
    }

    private static InvalidReason reasonOf(ThrowingCall call) {
        try {
            call.run();
        } catch (InvalidEventException e) {
            return e.reason();
        }
        throw new AssertionError("expected an InvalidEventException");
    }

    interface ThrowingCall {
        void run() throws InvalidEventException;
    }

    @Test
    void parsesThePlainEnvelope() throws Exception {
        ChangeEvent e =
                parse(
                        """
                {"id":"e1","type":"product.updated","source":"catalog","time":"2026-11-22T10:00:00Z",
                 "subject":"product/42","tags":["product-42"],"urls":["/p/42"],"prefixes":["/c/"],
                 "mode":"soft","targets":["cdn"],"data":{"id":42}}""");

        assertThat(e.id()).isEqualTo("e1");
        assertThat(e.type()).isEqualTo("product.updated");
        assertThat(e.source()).contains("catalog");
        assertThat(e.time()).contains(Instant.parse("2026-11-22T10:00:00Z"));
        assertThat(e.tags()).containsExactly("product-42");
        assertThat(e.urls()).containsExactly("/p/42");
        assertThat(e.prefixes()).containsExactly("/c/");
        assertThat(e.mode()).contains(PurgeMode.SOFT);
        assertThat(e.targets()).containsExactly("cdn");
        assertThat(e.view().at("/data/id").asInt()).isEqualTo(42);
    }

    @Test
    void parsesStructuredCloudEventsWithPurgeFieldsInDataAndExtensions() throws Exception {
        ChangeEvent e =
                parse(
                        """
                {"specversion":"1.0","id":"ce1","type":"product.updated","source":"/catalog",
                 "purgetags":"a, b","purgemode":"soft","purgetargets":"cdn",
                 "data":{"id":7,"tags":["c"]}}""");

        assertThat(e.tags()).containsExactly("c", "a", "b");
        assertThat(e.mode()).contains(PurgeMode.SOFT);
        assertThat(e.targets()).containsExactly("cdn");
        assertThat(e.view().at("/data/id").asInt()).isEqualTo(7);
    }

    @Test
    void parsesBinaryCloudEventsFromHeaders() throws Exception {
        Map<String, String> headers =
                Map.of(
                        "ce_specversion",
                        "1.0",
                        "ce_id",
                        "b1",
                        "ce_type",
                        "product.deleted",
                        "ce_purgetags",
                        "x,y");
        ChangeEvent e =
                parser.parse(
                        "{\"id\":9,\"urls\":[\"/p/9\"]}".getBytes(StandardCharsets.UTF_8),
                        headers::get);

        assertThat(e.id()).isEqualTo("b1");
        assertThat(e.type()).isEqualTo("product.deleted");
        assertThat(e.tags()).containsExactly("x", "y");
        assertThat(e.urls()).containsExactly("/p/9");
        assertThat(e.view().at("/data/id").asInt()).isEqualTo(9);
        assertThat(e.source()).isEqualTo(Optional.empty());
    }

    @Test
    void refusesEachInvalidEventWithItsReason() {
        assertThat(reasonOf(() -> parse("not json"))).isEqualTo(InvalidReason.NOT_JSON);
        assertThat(reasonOf(() -> parse("[1,2]"))).isEqualTo(InvalidReason.NOT_JSON);
        assertThat(reasonOf(() -> parse("{\"type\":\"t\"}"))).isEqualTo(InvalidReason.MISSING_ID);
        assertThat(reasonOf(() -> parse("{\"id\":\"\",\"type\":\"t\"}")))
                .isEqualTo(InvalidReason.MISSING_ID);
        assertThat(reasonOf(() -> parse("{\"id\":\"" + "x".repeat(257) + "\",\"type\":\"t\"}")))
                .isEqualTo(InvalidReason.INVALID_ID);
        assertThat(reasonOf(() -> parse("{\"id\":\"1\"}"))).isEqualTo(InvalidReason.MISSING_TYPE);
        assertThat(reasonOf(() -> parse("{\"id\":\"1\",\"type\":\"t\",\"tags\":\"a\"}")))
                .isEqualTo(InvalidReason.INVALID_FIELD);
        assertThat(reasonOf(() -> parse("{\"id\":\"1\",\"type\":\"t\",\"mode\":\"gentle\"}")))
                .isEqualTo(InvalidReason.INVALID_FIELD);
        assertThat(reasonOf(() -> parse("{\"id\":\"1\",\"type\":\"t\",\"time\":\"yesterday\"}")))
                .isEqualTo(InvalidReason.INVALID_FIELD);
        assertThat(
                        reasonOf(
                                () ->
                                        parse(
                                                "{\"id\":\"1\",\"type\":\"t\",\"pad\":\""
                                                        + "x".repeat(1100)
                                                        + "\"}")))
                .isEqualTo(InvalidReason.OVERSIZE);
    }

    @Test
    void anOversizeRecordIsRefusedBeforeParsing() {
        byte[] big = new byte[2048];
        assertThatThrownBy(() -> parser.parse(big, h -> null))
                .isInstanceOf(InvalidEventException.class)
                .hasMessageContaining("2048 bytes");
    }

    private Optional<Instant> timeOf(String time) throws InvalidEventException {
        return parse("{\"id\":\"1\",\"type\":\"t\",\"tags\":[\"a\"],\"time\":\"" + time + "\"}")
                .time();
    }

    @Test
    void aTimeOutsideTheWindowIsIgnoredButTheEventIsKept() throws Exception {
        // Go's zero time, a far future, and just past either edge of the window
        for (String far :
                List.of(
                        "0001-01-01T00:00:00Z",
                        "9999-12-31T23:59:59Z",
                        "+999999999-12-31T23:59:59Z",
                        "-999999999-01-01T00:00:00Z",
                        "2026-11-15T10:04:59Z",
                        "2026-11-22T10:10:01Z")) {
            ChangeEvent e =
                    parse(
                            "{\"id\":\"1\",\"type\":\"t\",\"tags\":[\"a\"],\"time\":\""
                                    + far
                                    + "\"}");
            assertThat(e.time()).as(far).isEmpty();
            assertThat(e.tags()).as(far).containsExactly("a");
            assertThat(e.view().get("time").asText()).as("templates still read it").isEqualTo(far);
        }
    }

    @Test
    void aTimeInsideTheWindowIsKeptToTheEdges() throws Exception {
        assertThat(timeOf("2026-11-15T10:05:00Z")).contains(Instant.parse("2026-11-15T10:05:00Z"));
        assertThat(timeOf("2026-11-22T10:10:00Z")).contains(Instant.parse("2026-11-22T10:10:00Z"));
        assertThat(timeOf("2026-11-22T11:05:00+01:00"))
                .contains(Instant.parse("2026-11-22T10:05:00Z"));
    }
}
