package dev.tagpurge.purge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Provider wait hints are parsed without overflow and bounded, whatever a provider sends. */
class ProviderAnswersTest {

    private static final Instant NOW = Instant.parse("2026-11-22T10:00:00Z");

    @Test
    void plainRetryAfterValuesAreKept() {
        assertThat(ProviderAnswers.retryAfter("30", NOW)).contains(Duration.ofSeconds(30));
        assertThat(ProviderAnswers.retryAfter(" 0 ", NOW)).contains(Duration.ZERO);
        assertThat(ProviderAnswers.retryAfter("Sun, 22 Nov 2026 10:01:30 GMT", NOW))
                .contains(Duration.ofSeconds(90));
    }

    @Test
    void hostileRetryAfterValuesNeverExceedTheCeilingNorThrow() {
        for (String hostile :
                List.of(
                        "1000000000000",
                        String.valueOf(Long.MAX_VALUE),
                        "9223372036854775808",
                        "Fri, 31 Dec 9999 23:59:59 GMT")) {
            Optional<Duration> wait = ProviderAnswers.retryAfter(hostile, NOW);
            assertThat(wait).as(hostile).contains(ProviderAnswers.WAIT_CEILING);
            assertThatCode(() -> wait.get().toNanos()).doesNotThrowAnyException();
        }
        assertThat(ProviderAnswers.retryAfter("-5", NOW)).contains(Duration.ZERO);
        assertThat(ProviderAnswers.retryAfter(String.valueOf(Long.MIN_VALUE), NOW))
                .contains(Duration.ZERO);
        assertThat(ProviderAnswers.retryAfter("Mon, 01 Jan 0001 00:00:00 GMT", NOW))
                .as("a date long past is no wait")
                .satisfiesAnyOf(
                        w -> assertThat(w).isEmpty(), w -> assertThat(w).contains(Duration.ZERO));
        assertThat(ProviderAnswers.retryAfter("soon", NOW)).isEmpty();
        assertThat(ProviderAnswers.retryAfter("1e9", NOW)).isEmpty();
        assertThat(ProviderAnswers.retryAfter("", NOW)).isEmpty();
    }

    @Test
    void resetTimesInEpochUnitsAreBoundedAndNeverThrow() {
        assertThat(ProviderAnswers.untilEpochSecond(NOW.getEpochSecond() + 42, NOW))
                .isEqualTo(Duration.ofSeconds(42));
        assertThat(ProviderAnswers.untilEpochSecond(Long.MAX_VALUE, NOW))
                .isEqualTo(ProviderAnswers.WAIT_CEILING);
        assertThat(ProviderAnswers.untilEpochSecond(Long.MIN_VALUE, NOW)).isEqualTo(Duration.ZERO);
        assertThat(ProviderAnswers.untilEpochSecond(0, NOW)).isEqualTo(Duration.ZERO);
        assertThat(ProviderAnswers.untilEpochMilli(NOW.toEpochMilli() + 1500, NOW))
                .isEqualTo(Duration.ofMillis(1500));
        assertThat(ProviderAnswers.untilEpochMilli(Long.MAX_VALUE, NOW))
                .isEqualTo(ProviderAnswers.WAIT_CEILING);
        assertThat(ProviderAnswers.untilEpochMilli(Long.MIN_VALUE, NOW)).isEqualTo(Duration.ZERO);
    }

    @Test
    void aRetryableResultsHintIsClampedToTheConfiguredMaximum() {
        Duration max = Duration.ofMinutes(5);
        PurgeResult huge =
                new PurgeResult.Retryable(
                        "throttled", "slow down", Optional.of(ProviderAnswers.WAIT_CEILING), true);

        PurgeResult clamped = ProviderAnswers.clampRetryAfter(huge, max);

        assertThat(clamped)
                .isEqualTo(
                        new PurgeResult.Retryable(
                                "throttled", "slow down", Optional.of(max), true));
        PurgeResult small =
                new PurgeResult.Retryable(
                        "throttled", "x", Optional.of(Duration.ofSeconds(3)), true);
        assertThat(ProviderAnswers.clampRetryAfter(small, max)).isSameAs(small);
        assertThat(ProviderAnswers.clamp(Duration.ofSeconds(-3), max)).isEqualTo(Duration.ZERO);
        assertThat(ProviderAnswers.clamp(Duration.ofDays(400_000_000L * 365), max)).isEqualTo(max);
        assertThat(ProviderAnswers.clamp(Duration.ofDays(3), Duration.ofDays(30)))
                .as("never above the hard ceiling, whatever is configured")
                .isEqualTo(Duration.ofDays(1));
    }

    @Test
    void statusesNoProviderRuleDecidedMapAlikeForEveryHttpAdapter() {
        Optional<Duration> wait = Optional.of(Duration.ofSeconds(7));

        assertThat(ProviderAnswers.byStatus(429, "d", wait, OptionalLong.of(3)))
                .isEqualTo(
                        new PurgeResult.Retryable(
                                "throttled", "d", wait, true, OptionalLong.of(3)));
        assertThat(ProviderAnswers.byStatus(503, "d", wait, OptionalLong.empty()))
                .isEqualTo(PurgeResult.retryable("server-error", "d"));
        assertThat(ProviderAnswers.byStatus(401, "d", wait, OptionalLong.empty()))
                .isEqualTo(PurgeResult.permanent("auth", "d"));
        assertThat(ProviderAnswers.byStatus(403, "d", wait, OptionalLong.empty()))
                .isEqualTo(PurgeResult.permanent("auth", "d"));
        assertThat(ProviderAnswers.byStatus(404, "d", wait, OptionalLong.empty()))
                .isEqualTo(PurgeResult.permanent("bad-request", "d"));
        assertThat(ProviderAnswers.byStatus(302, "d", wait, OptionalLong.empty()))
                .isEqualTo(PurgeResult.permanent("unexpected-status", "d"));
    }

    @Test
    void aRemainingCountIsAWholeNumberOrNothing() {
        assertThat(ProviderAnswers.remaining(Optional.of(" 42 "))).hasValue(42);
        assertThat(ProviderAnswers.remaining(Optional.of("many"))).isEmpty();
        assertThat(ProviderAnswers.remaining(Optional.empty())).isEmpty();
    }

    @Test
    void retryAfterWinsOverTheResetHeader() {
        Instant now = Instant.parse("2026-01-01T00:00:00Z");

        assertThat(
                        ProviderAnswers.retryAfterOrReset(
                                Optional.of("2"), Optional.of("60"), now, Duration::ofSeconds))
                .hasValue(Duration.ofSeconds(2));
        assertThat(
                        ProviderAnswers.retryAfterOrReset(
                                Optional.of("soon"), Optional.of("60"), now, Duration::ofSeconds))
                .hasValue(Duration.ofSeconds(60));
        assertThat(
                        ProviderAnswers.retryAfterOrReset(
                                Optional.empty(), Optional.of("x"), now, Duration::ofSeconds))
                .isEmpty();
    }

    @Test
    void answersAreReadAsVertxWouldReadThem() {
        String bulk =
                IntStream.range(0, 300)
                        .mapToObj(i -> "\"product-" + i + "\":\"" + i + "-1700000000-abc\"")
                        .collect(Collectors.joining(",", "{", "}"));
        List<String> bodies =
                List.of(
                        bulk,
                        "{\"status\":\"ok\",\"id\":\"108-1391560174-974124\"}",
                        "{\"success\":false,\"errors\":[{\"code\":10000,\"message\":\"Auth\"}],"
                                + "\"messages\":[],\"result\":null}",
                        "{\"httpStatus\":201,\"estimatedSeconds\":5,\"purgeId\":\"e5\","
                                + "\"supportId\":\"17PY\",\"detail\":\"Request accepted\"}",
                        "{\"big\":123456789012345678901234567890,\"f\":1.5e3,\"t\":true,"
                                + "\"n\":null,\"u\":\"caf\\u00e9\"}",
                        "{\"k\":1,\"k\":2}",
                        " {} ",
                        "{",
                        "{} x",
                        "{}{}",
                        "[1,2]",
                        "null",
                        "42",
                        "\"text\"",
                        "<html>502 Bad Gateway</html>");
        for (String body : bodies) {
            assertThat(ProviderAnswers.jsonObject(body)).as(body).isEqualTo(vertx(body));
        }
        assertThat(ProviderAnswers.jsonObject(bulk).orElseThrow().getString("product-299"))
                .isEqualTo("299-1700000000-abc");
        assertThat(ProviderAnswers.jsonObject(" ")).isEmpty();
        assertThat(ProviderAnswers.jsonObject(null)).isEmpty();
    }

    /** What Vert.x's own decoding makes of a body: an object, or nothing. */
    private static Optional<JsonObject> vertx(String body) {
        try {
            return Optional.of(new JsonObject(body));
        } catch (DecodeException | ClassCastException notAnObject) {
            return Optional.empty();
        }
    }
}
