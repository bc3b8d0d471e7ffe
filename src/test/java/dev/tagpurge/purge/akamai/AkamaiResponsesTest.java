package dev.tagpurge.purge.akamai;

import static org.assertj.core.api.Assertions.assertThat;

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

class AkamaiResponsesTest {

    private static final Instant NOW = Instant.parse("2026-11-02T10:00:00Z");
    private static final String ACCEPTED =
            "{\"httpStatus\":201,\"detail\":\"Request accepted\",\"estimatedSeconds\":5,"
                    + "\"purgeId\":\"e535071c-26b2-11e7-94d7-276f2f54d938\","
                    + "\"supportId\":\"17PY1492793544958045-219026624\"}";

    @Test
    void createdYieldsThePurgeIdAndTheEstimate() {
        assertThat(AkamaiResponses.toResult(answer(201, ACCEPTED), NOW))
                .isEqualTo(
                        new PurgeResult.Accepted(
                                List.of("e535071c-26b2-11e7-94d7-276f2f54d938"),
                                Map.of(),
                                OptionalLong.empty(),
                                OptionalLong.of(5)));
        assertThat(AkamaiResponses.estimatedSeconds(ACCEPTED)).contains(5L);
        assertThat(AkamaiResponses.toResult(answer(201, "not json"), NOW))
                .isEqualTo(PurgeResult.accepted(List.of()));
        assertThat(AkamaiResponses.estimatedSeconds("not json")).isEmpty();
    }

    @Test
    void throttlingPrefersRetryAfterThenTheRateLimitReset() {
        String problem =
                "{\"type\":\"x\",\"title\":\"Rate Limit exceeded\",\"status\":429,"
                        + "\"detail\":\"The tag rate limit is exceeded\"}";
        AkamaiAnswer seconds =
                new AkamaiAnswer(
                        429,
                        problem,
                        Optional.of("7"),
                        Optional.of(Long.toString(NOW.getEpochSecond() + 600)));
        AkamaiAnswer date =
                new AkamaiAnswer(
                        429, "", Optional.of("Mon, 02 Nov 2026 10:00:30 GMT"), Optional.empty());
        AkamaiAnswer resetEpoch =
                new AkamaiAnswer(
                        429,
                        "",
                        Optional.empty(),
                        Optional.of(Long.toString(NOW.getEpochSecond() + 90)));
        AkamaiAnswer resetMillis =
                new AkamaiAnswer(
                        429,
                        "",
                        Optional.empty(),
                        Optional.of(Long.toString(NOW.toEpochMilli() + 2_500)));
        AkamaiAnswer resetDelta = new AkamaiAnswer(429, "", Optional.empty(), Optional.of("12"));
        AkamaiAnswer none = new AkamaiAnswer(429, "", Optional.empty(), Optional.empty());

        assertThat(AkamaiResponses.toResult(seconds, NOW))
                .isEqualTo(
                        PurgeResult.throttled(
                                "akamai HTTP 429: Rate Limit exceeded"
                                        + " (The tag rate limit is exceeded)",
                                Optional.of(Duration.ofSeconds(7))));
        assertThat(AkamaiResponses.retryAfter(date, NOW)).contains(Duration.ofSeconds(30));
        assertThat(AkamaiResponses.retryAfter(resetEpoch, NOW)).contains(Duration.ofSeconds(90));
        assertThat(AkamaiResponses.retryAfter(resetMillis, NOW)).contains(Duration.ofMillis(2_500));
        assertThat(AkamaiResponses.retryAfter(resetDelta, NOW)).contains(Duration.ofSeconds(12));
        assertThat(AkamaiResponses.retryAfter(none, NOW)).isEmpty();
    }

    @Test
    void problemsOfTheClientArePermanentWithTitleAndDetail() {
        String badRequest =
                "{\"type\":\"https://problems.purge.akamaiapis.net/-/ccu/v3/bad-request\","
                        + "\"title\":\"Bad request\",\"status\":400,"
                        + "\"detail\":\"Cache tag exceeds 128 characters\"}";
        String unauthorized =
                "{\"title\":\"Not authorized\",\"status\":401,"
                        + "\"detail\":\"The signature does not match\"}";

        assertThat(AkamaiResponses.toResult(answer(400, badRequest), NOW))
                .isEqualTo(
                        PurgeResult.permanent(
                                "bad-request",
                                "akamai HTTP 400: Bad request (Cache tag exceeds 128 characters)"));
        assertThat(AkamaiResponses.toResult(answer(401, unauthorized), NOW))
                .isEqualTo(
                        PurgeResult.permanent(
                                "auth",
                                "akamai HTTP 401: Not authorized (The signature does not match)"));
        assertThat(AkamaiResponses.toResult(answer(403, "{\"title\":\"Forbidden\"}"), NOW))
                .isEqualTo(PurgeResult.permanent("auth", "akamai HTTP 403: Forbidden"));
        assertThat(AkamaiResponses.toResult(answer(413, ""), NOW))
                .isEqualTo(PurgeResult.permanent("too-large", "akamai HTTP 413"));
        assertThat(AkamaiResponses.toResult(answer(404, "gone"), NOW))
                .isEqualTo(PurgeResult.permanent("bad-request", "akamai HTTP 404: gone"));
    }

    @Test
    void serverErrorsAndTransportFailuresAreRetryable() {
        assertThat(AkamaiResponses.toResult(answer(503, "{\"title\":\"Unavailable\"}"), NOW))
                .isEqualTo(PurgeResult.retryable("server-error", "akamai HTTP 503: Unavailable"));
        assertThat(AkamaiResponses.toResult(answer(507, ""), NOW))
                .isInstanceOf(PurgeResult.Retryable.class);
        assertThat(ProviderAnswers.transportFailure("akamai", new ConnectException("refused")))
                .isEqualTo(
                        PurgeResult.retryable(
                                "connection", "akamai request failed: ConnectException: refused"));
        assertThat(ProviderAnswers.transportFailure("akamai", new TimeoutException()))
                .isEqualTo(
                        PurgeResult.retryable(
                                "timeout", "akamai request failed: TimeoutException"));
    }

    @Test
    void longDetailsAreTruncated() {
        PurgeResult result = AkamaiResponses.toResult(answer(400, "x".repeat(1_000)), NOW);

        assertThat(((PurgeResult.Permanent) result).detail()).hasSizeLessThan(310);
    }

    private static AkamaiAnswer answer(int status, String body) {
        return new AkamaiAnswer(status, body, Optional.empty(), Optional.empty());
    }

    @Test
    void hostileResetHeadersAreBoundedAndNeverThrow() {
        for (String reset :
                List.of(Long.toString(Long.MAX_VALUE), "99999999999999999", "999999999")) {
            AkamaiAnswer far = new AkamaiAnswer(429, "", Optional.empty(), Optional.of(reset));
            assertThat(AkamaiResponses.retryAfter(far, NOW))
                    .as(reset)
                    .hasValueSatisfying(
                            wait ->
                                    assertThat(wait)
                                            .isLessThanOrEqualTo(ProviderAnswers.WAIT_CEILING));
        }
        AkamaiAnswer negative = new AkamaiAnswer(429, "", Optional.empty(), Optional.of("-5"));
        assertThat(AkamaiResponses.retryAfter(negative, NOW)).contains(Duration.ZERO);
    }
}
