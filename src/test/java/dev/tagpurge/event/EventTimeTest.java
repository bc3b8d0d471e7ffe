package dev.tagpurge.event;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class EventTimeTest {

    /** 100,000 random instants, offsets and fraction lengths: the same instant as the formatter. */
    @Test
    void theCommonFormReadsAsTheFormatterReadsIt() {
        Random random = new Random(20261203);
        for (int i = 0; i < 100_000; i++) {
            long seconds = random.nextLong(-62_167_219_200L + 86_400, 253_402_300_799L - 86_400);
            int nanos = random.nextInt(1_000_000_000);
            int offset = (random.nextInt(37) - 18) * 3600 + random.nextInt(4) * 15 * 60;
            offset = Math.max(-18 * 3600, Math.min(18 * 3600, offset));
            OffsetDateTime t =
                    Instant.ofEpochSecond(seconds, nanos)
                            .atOffset(ZoneOffset.ofTotalSeconds(offset));
            int digits = random.nextInt(10); // 0 = no fraction
            String fraction =
                    digits == 0
                            ? ""
                            : "." + String.format("%09d", t.getNano()).substring(0, digits);
            String text =
                    String.format(
                                    "%04d-%02d-%02dT%02d:%02d:%02d",
                                    t.getYear(),
                                    t.getMonthValue(),
                                    t.getDayOfMonth(),
                                    t.getHour(),
                                    t.getMinute(),
                                    t.getSecond())
                            + fraction
                            + (offset == 0 && random.nextBoolean() ? "Z" : t.getOffset().getId());
            assertThat(EventTime.parseCommon(text))
                    .as(text)
                    .isNotNull()
                    .isEqualTo(OffsetDateTime.parse(text).toInstant());
        }
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "2026-11-22t10:00:00Z",
                "2026-11-22T10:00:00z",
                "2026-11-22T10:00Z",
                "2026-11-22T10:00:00",
                "2026-11-22T10:00:00.Z",
                "2026-11-22T10:00:00.1234567891Z",
                "2026-11-22T10:00:00+01:00:30",
                "2026-11-22T10:00:00+0100",
                "2026-11-22T10:00:00+18:01",
                "2026-11-22T24:00:00Z",
                "2026-11-22T23:59:60Z",
                "2026-02-29T10:00:00Z",
                "2026-04-31T10:00:00Z",
                "2026-13-01T10:00:00Z",
                "+12026-11-22T10:00:00Z",
                "2026-11-22 10:00:00Z",
                "2026-1１-22T10:00:00Z",
                "yesterday at noon, roughly"
            })
    void everyOtherSpellingIsLeftToTheFormatter(String text) {
        assertThat(EventTime.parseCommon(text)).isNull();
    }
}
