package dev.tagpurge.event;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class FrequentTextTest {

    private static final JsonFactory JSON = new JsonFactory();

    private final FrequentText frequent = new FrequentText();

    @Test
    void aValueSeenBeforeIsTheSameCopy() throws IOException {
        String first = read("\"product.updated\"");
        String second = read("\"product.updated\"");

        assertThat(second).isEqualTo("product.updated").isSameAs(first);
        assertThat(present("\"catalog\"")).isSameAs(present("\"catalog\""));
    }

    @Test
    void valuesThatDifferAreTheirOwn() throws IOException {
        assertThat(read("\"product.updated\"")).isEqualTo("product.updated");
        assertThat(read("\"product.deleted\"")).isEqualTo("product.deleted");
        assertThat(read("\"\\u00e9v\\u00e9nement\"")).isEqualTo("\u00e9v\u00e9nement");
        // same length and hash as each other: "Aa" and "BB"
        assertThat(read("\"Aa\"")).isEqualTo("Aa");
        assertThat(read("\"BB\"")).isEqualTo("BB");
        assertThat(read("\"Aa\"")).isEqualTo("Aa");
    }

    @Test
    void manyValuesStayCorrectAndLongOnesAreNeverShared() throws IOException {
        List<String> seen = new ArrayList<>();
        for (int i = 0; i < 2_000; i++) {
            seen.add(read("\"type-" + i + "\""));
        }
        for (int i = 0; i < 2_000; i++) {
            assertThat(seen.get(i)).isEqualTo("type-" + i);
            assertThat(read("\"type-" + i + "\"")).isEqualTo("type-" + i);
        }
        String longValue = "x".repeat(FrequentText.MAX_LENGTH + 1);
        assertThat(read('"' + longValue + '"'))
                .isEqualTo(longValue)
                .isNotSameAs(read('"' + longValue + '"'));
    }

    private String read(String json) throws IOException {
        try (JsonParser p = parserAt(json)) {
            return frequent.text(p);
        }
    }

    private Optional<String> present(String json) throws IOException {
        try (JsonParser p = parserAt(json)) {
            return frequent.present(p);
        }
    }

    private static JsonParser parserAt(String json) throws IOException {
        JsonParser p = JSON.createParser(json.getBytes(StandardCharsets.UTF_8));
        assertThat(p.nextToken()).isEqualTo(JsonToken.VALUE_STRING);
        return p;
    }
}
