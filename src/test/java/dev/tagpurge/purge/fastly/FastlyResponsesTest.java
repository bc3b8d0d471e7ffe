package dev.tagpurge.purge.fastly;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tagpurge.domain.SelectorKind;
import dev.tagpurge.purge.ProviderAnswers;
import dev.tagpurge.purge.PurgeResult;
import java.net.ConnectException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

class FastlyResponsesTest {

    private static final Instant NOW = Instant.parse("2026-11-02T10:00:00Z");
    private static final FastlyCall BULK =
            new FastlyCall(
                    SelectorKind.TAG,
                    "/service/s/purge",
                    Optional.of("{}"),
                    false,
                    List.of("a", "b"));
    private static final FastlyCall URL =
            new FastlyCall(
                    SelectorKind.URL,
                    "/purge/h/p",
                    Optional.empty(),
                    false,
                    List.of("https://h/p"));
    private static final FastlyCall ALL =
            new FastlyCall(
                    SelectorKind.EVERYTHING,
                    "/service/s/purge_all",
                    Optional.empty(),
                    false,
                    List.of());

    @Test
    void bulkAnswerYieldsThePurgeIdOfEachKey() {
        PurgeResult result =
                FastlyResponses.toResult(
                        BULK, answer(200, "{\"a\":\"108-1-1\",\"b\":\"108-1-2\"}"), NOW);

        assertThat(result)
                .isEqualTo(
                        new PurgeResult.Accepted(
                                List.of("108-1-1", "108-1-2"),
                                Map.of("a", "108-1-1", "b", "108-1-2"),
                                OptionalLong.empty()));
    }

    @Test
    void singleAnswersYieldTheirIdAndPurgeAllNone() {
        assertThat(
                        FastlyResponses.toResult(
                                URL, answer(200, "{\"status\":\"ok\",\"id\":\"108-1-3\"}"), NOW))
                .isEqualTo(PurgeResult.accepted(List.of("108-1-3")));
        assertThat(FastlyResponses.toResult(ALL, answer(200, "{\"status\":\"ok\"}"), NOW))
                .isEqualTo(PurgeResult.accepted(List.of()));
        assertThat(FastlyResponses.toResult(ALL, answer(200, "not json"), NOW))
                .isEqualTo(PurgeResult.accepted(List.of()));
    }

    @Test
    void throttlingPrefersRetryAfterThenTheRateLimitReset() {
        FastlyAnswer withRetryAfter =
                new FastlyAnswer(
                        429,
                        "{\"msg\":\"slow down\"}",
                        Optional.of("7"),
                        Optional.of(Long.toString(NOW.getEpochSecond() + 600)));
        FastlyAnswer withReset =
                new FastlyAnswer(
                        429,
                        "",
                        Optional.empty(),
                        Optional.of(Long.toString(NOW.getEpochSecond() + 600)));
        FastlyAnswer withDate =
                new FastlyAnswer(
                        429, "", Optional.of("Mon, 02 Nov 2026 10:00:30 GMT"), Optional.empty());

        assertThat(FastlyResponses.toResult(ALL, withRetryAfter, NOW))
                .isInstanceOfSatisfying(
                        PurgeResult.Retryable.class,
                        r -> {
                            assertThat(r.throttled()).isTrue();
                            assertThat(r.reason()).isEqualTo("throttled");
                            assertThat(r.retryAfter()).contains(Duration.ofSeconds(7));
                            assertThat(r.detail()).contains("429").contains("slow down");
                        });
        assertThat(FastlyResponses.retryAfter(withReset, NOW)).contains(Duration.ofMinutes(10));
        assertThat(FastlyResponses.retryAfter(withDate, NOW)).contains(Duration.ofSeconds(30));
        assertThat(FastlyResponses.retryAfter(answer(429, ""), NOW)).isEmpty();
    }

    @Test
    void serverErrorsAreRetryable() {
        assertThat(FastlyResponses.toResult(BULK, answer(503, "{\"msg\":\"unavailable\"}"), NOW))
                .isEqualTo(PurgeResult.retryable("server-error", "fastly HTTP 503: unavailable"));
    }

    @Test
    void clientErrorsArePermanentWithTheProvidersMessage() {
        assertThat(
                        FastlyResponses.toResult(
                                BULK,
                                answer(
                                        401,
                                        "{\"msg\":\"Provided credentials are missing or invalid\"}"),
                                NOW))
                .isEqualTo(
                        PurgeResult.permanent(
                                "auth",
                                "fastly HTTP 401: Provided credentials are missing or invalid"));
        assertThat(FastlyResponses.toResult(BULK, answer(403, ""), NOW))
                .isInstanceOfSatisfying(
                        PurgeResult.Permanent.class, p -> assertThat(p.reason()).isEqualTo("auth"));
        assertThat(
                        FastlyResponses.toResult(
                                BULK,
                                answer(
                                        400,
                                        "{\"msg\":\"Bad request\",\"detail\":\"too many keys\"}"),
                                NOW))
                .isEqualTo(
                        PurgeResult.permanent(
                                "bad-request", "fastly HTTP 400: Bad request (too many keys)"));
    }

    @Test
    void transportFailuresAreRetryable() {
        assertThat(
                        ProviderAnswers.transportFailure(
                                "fastly", new ConnectException("Connection refused")))
                .isInstanceOfSatisfying(
                        PurgeResult.Retryable.class,
                        r -> {
                            assertThat(r.reason()).isEqualTo("connection");
                            assertThat(r.detail()).contains("Connection refused");
                            assertThat(r.throttled()).isFalse();
                        });
        assertThat(ProviderAnswers.transportFailure("fastly", new TimeoutException("slow")))
                .isInstanceOfSatisfying(
                        PurgeResult.Retryable.class,
                        r -> assertThat(r.reason()).isEqualTo("timeout"));
    }

    private static FastlyAnswer answer(int status, String body) {
        return new FastlyAnswer(status, body, Optional.empty(), Optional.empty());
    }

    @Test
    void fastlysRemainingCallsAreReportedSoTheBucketsNeverBelieveInMore() {
        FastlyAnswer ok =
                new FastlyAnswer(
                        200,
                        "{\"status\":\"ok\"}",
                        Optional.empty(),
                        Optional.empty(),
                        Optional.of("7"));
        FastlyAnswer limited =
                new FastlyAnswer(429, "{}", Optional.of("3"), Optional.empty(), Optional.of("0"));

        PurgeResult accepted = FastlyResponses.toResult(ALL, ok, NOW);
        PurgeResult throttled = FastlyResponses.toResult(ALL, limited, NOW);

        assertThat(((PurgeResult.Accepted) accepted).remaining()).hasValue(7);
        assertThat(((PurgeResult.Retryable) throttled).remaining()).hasValue(0);
        assertThat(((PurgeResult.Retryable) throttled).throttled()).isTrue();
    }

    @Test
    void hostileResetHeadersAreBoundedAndNeverThrow() {
        for (String reset : List.of(Long.toString(Long.MAX_VALUE), "99999999999999999")) {
            FastlyAnswer far = new FastlyAnswer(429, "", Optional.empty(), Optional.of(reset));
            assertThat(FastlyResponses.retryAfter(far, NOW))
                    .as(reset)
                    .contains(ProviderAnswers.WAIT_CEILING);
        }
        FastlyAnswer past =
                new FastlyAnswer(
                        429, "", Optional.empty(), Optional.of(Long.toString(Long.MIN_VALUE)));
        assertThat(FastlyResponses.retryAfter(past, NOW)).contains(Duration.ZERO);
        FastlyAnswer garbage = new FastlyAnswer(429, "", Optional.of("x"), Optional.of("soon"));
        assertThat(FastlyResponses.retryAfter(garbage, NOW)).isEmpty();
    }
}
