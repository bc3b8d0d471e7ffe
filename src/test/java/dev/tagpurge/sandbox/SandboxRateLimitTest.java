package dev.tagpurge.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tagpurge.testing.MutableClock;
import io.vertx.core.Vertx;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Fastly's hourly budget of counted calls, on a clock the test moves. */
class SandboxRateLimitTest {

    private static final Instant START = Instant.parse("2026-11-02T10:15:00Z");
    private static final long NEXT_HOUR = Instant.parse("2026-11-02T11:00:00Z").getEpochSecond();

    private final MutableClock clock = new MutableClock(START);
    private Vertx vertx;
    private SandboxServer server;
    private SandboxHttp http;

    @BeforeEach
    void start() {
        vertx = Vertx.vertx();
        server =
                SandboxServer.start(
                        vertx,
                        0,
                        new CdnSandbox(
                                SandboxSettings.defaults()
                                        .withClock(clock)
                                        .withFastly(
                                                FastlyEmulatorSettings.defaults()
                                                        .withHourlyLimit(2))));
        http = new SandboxHttp(server.fastlyUrl());
    }

    @AfterEach
    void stop() {
        server.close();
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }

    @Test
    void purgeAllIsCountedAndThrottledWhenTheHourIsUsedUp() {
        HttpResponse<String> first = purgeAll("a");
        HttpResponse<String> second = purgeAll("a");
        HttpResponse<String> third = purgeAll("a");

        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(header(first, "Fastly-RateLimit-Remaining")).isEqualTo("1");
        assertThat(header(first, "Fastly-RateLimit-Reset")).isEqualTo(Long.toString(NEXT_HOUR));
        assertThat(header(second, "Fastly-RateLimit-Remaining")).isEqualTo("0");
        assertThat(third.statusCode()).isEqualTo(429);
        assertThat(header(third, "Fastly-RateLimit-Remaining")).isEqualTo("0");
        assertThat(header(third, "Fastly-RateLimit-Reset")).isEqualTo(Long.toString(NEXT_HOUR));
        assertThat(header(third, "Retry-After"))
                .isEqualTo(Long.toString(Duration.ofMinutes(45).toSeconds()));
        assertThat(server.sandbox().recorder().purges())
                .extracting(RecordedPurge::status)
                .containsExactly(200, 200, 429);
    }

    @Test
    void theBudgetRefillsInTheNextHour() {
        purgeAll("a");
        purgeAll("a");
        assertThat(purgeAll("a").statusCode()).isEqualTo(429);

        clock.advance(Duration.ofMinutes(45));

        HttpResponse<String> refilled = purgeAll("a");
        assertThat(refilled.statusCode()).isEqualTo(200);
        assertThat(header(refilled, "Fastly-RateLimit-Remaining")).isEqualTo("1");
    }

    @Test
    void eachTokenHasItsOwnBudget() {
        purgeAll("a");
        purgeAll("a");

        assertThat(purgeAll("b").statusCode()).isEqualTo(200);
    }

    @Test
    void keyAndUrlPurgesAreNotCounted() {
        for (int i = 0; i < 3; i++) {
            HttpResponse<String> bulk =
                    http.post(
                            "/service/SVC/purge",
                            "{\"surrogate_keys\":[\"k\"]}",
                            "Fastly-Key",
                            "a");
            HttpResponse<String> url = http.post("/purge/www.example.com/x", "", "Fastly-Key", "a");
            assertThat(bulk.statusCode()).isEqualTo(200);
            assertThat(url.statusCode()).isEqualTo(200);
            assertThat(bulk.headers().firstValue("Fastly-RateLimit-Remaining")).isEmpty();
        }

        assertThat(purgeAll("a").statusCode()).isEqualTo(200);
    }

    @Test
    void resetForgetsUsedBudget() {
        purgeAll("a");
        purgeAll("a");

        server.sandbox().reset();

        assertThat(purgeAll("a").statusCode()).isEqualTo(200);
    }

    private HttpResponse<String> purgeAll(String token) {
        return http.post("/service/SVC/purge_all", "", "Fastly-Key", token);
    }

    private static String header(HttpResponse<String> response, String name) {
        return response.headers().firstValue(name).orElse(null);
    }
}
