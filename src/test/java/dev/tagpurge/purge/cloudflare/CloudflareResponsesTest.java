package dev.tagpurge.purge.cloudflare;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tagpurge.purge.ProviderAnswers;
import dev.tagpurge.purge.PurgeResult;
import java.net.ConnectException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

class CloudflareResponsesTest {

    private static final Instant NOW = Instant.parse("2026-11-02T10:00:00Z");

    @Test
    void successYieldsThePurgeId() {
        PurgeResult result =
                CloudflareResponses.toResult(
                        answer(
                                200,
                                "{\"success\":true,\"errors\":[],\"messages\":[],"
                                        + "\"result\":{\"id\":\"9a7806061c88ada191ed06f989cc3dac\"}}"),
                        NOW);

        assertThat(result)
                .isEqualTo(PurgeResult.accepted(List.of("9a7806061c88ada191ed06f989cc3dac")));
    }

    @Test
    void successWithoutIdOrBodyIsStillAccepted() {
        assertThat(CloudflareResponses.toResult(answer(200, ""), NOW))
                .isEqualTo(PurgeResult.accepted(List.of()));
        assertThat(
                        CloudflareResponses.toResult(
                                answer(200, "{\"success\":true,\"result\":null}"), NOW))
                .isEqualTo(PurgeResult.accepted(List.of()));
    }

    @Test
    void http429IsThrottledWithRetryAfterSecondsAndTheQuotaInTheDetail() {
        CloudflareAnswer answer =
                new CloudflareAnswer(
                        429,
                        errorBody(1134, "Unable to purge, rate limit reached"),
                        Optional.of("12"),
                        Optional.of("25"),
                        Optional.of("0"));

        assertThat(CloudflareResponses.toResult(answer, NOW))
                .isEqualTo(
                        new PurgeResult.Retryable(
                                "throttled",
                                "cloudflare HTTP 429 (x-ratelimit-remaining=0 x-ratelimit-limit=25):"
                                        + " 1134 Unable to purge, rate limit reached",
                                Optional.of(Duration.ofSeconds(12)),
                                true,
                                OptionalLong.of(0)));
        assertThat(answer.remaining()).isEqualTo(OptionalLong.of(0));
    }

    @Test
    void error1134IsThrottledWhateverTheStatus() {
        PurgeResult result =
                CloudflareResponses.toResult(
                        answer(400, errorBody(1134, "Unable to purge, rate limit reached")), NOW);

        assertThat(result)
                .isInstanceOfSatisfying(
                        PurgeResult.Retryable.class,
                        r -> {
                            assertThat(r.throttled()).isTrue();
                            assertThat(r.retryAfter()).isEmpty();
                        });
    }

    @Test
    void retryAfterMayBeAnHttpDate() {
        CloudflareAnswer answer =
                new CloudflareAnswer(
                        429,
                        "",
                        Optional.of("Mon, 02 Nov 2026 10:00:30 GMT"),
                        Optional.empty(),
                        Optional.empty());

        assertThat(CloudflareResponses.retryAfter(answer, NOW)).contains(Duration.ofSeconds(30));
    }

    @Test
    void authFailuresArePermanent() {
        PurgeResult forbidden =
                CloudflareResponses.toResult(
                        answer(403, errorBody(10000, "Authentication error")), NOW);
        PurgeResult unauthorized = CloudflareResponses.toResult(answer(401, ""), NOW);
        PurgeResult codeOnly =
                CloudflareResponses.toResult(answer(400, errorBody(9109, "Unauthorized")), NOW);

        assertThat(forbidden)
                .isEqualTo(
                        PurgeResult.permanent(
                                "auth", "cloudflare HTTP 403: 10000 Authentication error"));
        assertThat(List.of(unauthorized, codeOnly))
                .allSatisfy(
                        r ->
                                assertThat(r)
                                        .isInstanceOfSatisfying(
                                                PurgeResult.Permanent.class,
                                                p -> assertThat(p.reason()).isEqualTo("auth")));
    }

    @Test
    void otherClientErrorsArePermanentBadRequestsWithEveryMessage() {
        String body =
                "{\"success\":false,\"errors\":[{\"code\":1092,\"message\":\"mixed\"},"
                        + "{\"code\":1014,\"message\":\"not an array\"}],\"messages\":[],"
                        + "\"result\":null}";

        assertThat(CloudflareResponses.toResult(answer(400, body), NOW))
                .isEqualTo(
                        PurgeResult.permanent(
                                "bad-request",
                                "cloudflare HTTP 400: 1092 mixed; 1014 not an array"));
    }

    @Test
    void successFalseOnA200IsARefusal() {
        assertThat(CloudflareResponses.toResult(answer(200, errorBody(1092, "mixed")), NOW))
                .isEqualTo(PurgeResult.permanent("bad-request", "cloudflare HTTP 200: 1092 mixed"));
    }

    @Test
    void serverErrorsAreRetryable() {
        assertThat(CloudflareResponses.toResult(answer(502, "<html>bad gateway</html>"), NOW))
                .isEqualTo(
                        PurgeResult.retryable(
                                "server-error", "cloudflare HTTP 502: <html>bad gateway</html>"));
    }

    @Test
    void transportFailuresAreRetryable() {
        assertThat(ProviderAnswers.transportFailure("cloudflare", new ConnectException("refused")))
                .isEqualTo(
                        PurgeResult.retryable(
                                "connection",
                                "cloudflare request failed: ConnectException: refused"));
        assertThat(ProviderAnswers.transportFailure("cloudflare", new TimeoutException()))
                .isInstanceOfSatisfying(
                        PurgeResult.Retryable.class,
                        r -> assertThat(r.reason()).isEqualTo("timeout"));
    }

    @Test
    void longErrorListsAreTruncatedButKeepTheQuota() {
        StringBuilder errors = new StringBuilder();
        for (int i = 0; i < 50; i++) {
            errors.append(i == 0 ? "" : ",")
                    .append("{\"code\":1012,\"message\":\"problem number ")
                    .append(i)
                    .append("\"}");
        }
        CloudflareAnswer answer =
                new CloudflareAnswer(
                        400,
                        "{\"success\":false,\"errors\":[" + errors + "]}",
                        Optional.empty(),
                        Optional.of("500"),
                        Optional.of("499"));

        PurgeResult result = CloudflareResponses.toResult(answer, NOW);

        assertThat(result)
                .isInstanceOfSatisfying(
                        PurgeResult.Permanent.class,
                        p ->
                                assertThat(p.detail())
                                        .hasSizeLessThanOrEqualTo(301)
                                        .startsWith(
                                                "cloudflare HTTP 400 (x-ratelimit-remaining=499"
                                                        + " x-ratelimit-limit=500)")
                                        .endsWith("…"));
    }

    private static CloudflareAnswer answer(int status, String body) {
        return new CloudflareAnswer(
                status, body, Optional.empty(), Optional.empty(), Optional.empty());
    }

    private static String errorBody(int code, String message) {
        return "{\"success\":false,\"errors\":[{\"code\":"
                + code
                + ",\"message\":\""
                + message
                + "\"}],\"messages\":[],\"result\":null}";
    }
}
