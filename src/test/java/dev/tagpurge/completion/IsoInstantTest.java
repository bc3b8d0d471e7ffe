package dev.tagpurge.completion;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IsoInstantTest {

    @ParameterizedTest
    @ValueSource(
            strings = {
                "1970-01-01T00:00:00Z",
                "2026-12-03T00:49:29.100Z",
                "2026-12-03T23:59:59.999999Z",
                "2024-02-29T12:00:00.000000001Z",
                "1969-12-31T23:59:59.5Z",
                "0000-01-01T00:00:00Z",
                "9999-12-31T23:59:59.999999999Z"
            })
    void writesWhatInstantToStringWrites(String text) {
        Instant t = Instant.parse(text);

        assertThat(IsoInstant.toString(t)).isEqualTo(t.toString());
    }

    @Test
    void agreesWithInstantToStringOnRandomInstantsAndPrecisions() {
        SplittableRandom random = new SplittableRandom(42);
        long lowest = Instant.parse("0000-01-01T00:00:00Z").getEpochSecond();
        long highest = Instant.parse("9999-12-31T23:59:59Z").getEpochSecond();
        for (int i = 0; i < 100_000; i++) {
            long seconds = random.nextLong(lowest, highest + 1);
            int nanos =
                    switch (i % 4) {
                        case 0 -> 0;
                        case 1 -> random.nextInt(1_000) * 1_000_000;
                        case 2 -> random.nextInt(1_000_000) * 1_000;
                        default -> random.nextInt(1_000_000_000);
                    };
            Instant t = Instant.ofEpochSecond(seconds, nanos);

            assertThat(IsoInstant.toString(t)).isEqualTo(t.toString());
        }
    }

    @Test
    void fallsBackToInstantToStringOutsideFourDigitYears() {
        for (Instant t :
                new Instant[] {
                    Instant.parse("-0001-12-31T23:59:59Z"),
                    Instant.parse("+10000-01-01T00:00:00.5Z"),
                    Instant.MIN,
                    Instant.MAX
                }) {
            assertThat(IsoInstant.toString(t)).isEqualTo(t.toString());
        }
    }
}
