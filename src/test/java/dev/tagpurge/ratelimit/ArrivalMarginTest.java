package dev.tagpurge.ratelimit;

import static dev.tagpurge.domain.SelectorKind.TAG;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tagpurge.domain.RequestLimits;
import dev.tagpurge.purge.cloudflare.CloudflarePlan;
import dev.tagpurge.sandbox.CdnSandbox;
import dev.tagpurge.sandbox.CloudflareEmulatorSettings;
import dev.tagpurge.sandbox.SandboxServer;
import dev.tagpurge.sandbox.SandboxSettings;
import dev.tagpurge.testing.MutableClock;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The local buckets against the sandbox's Cloudflare emulator on the Pro plan (25, then 5 a
 * second), which counts a request when it arrives. Requests are taken from the limiter and arrive
 * later, up to {@value #MAX_IN_FLIGHT} at once, as in a target's pipeline; one clock, moved by the
 * test, drives both buckets, so what is counted is exact and reproducible.
 */
class ArrivalMarginTest {

    private static final String ZONE = "023e105f4ecef8ad9ca31a8372d0c353";
    private static final String TOKEN = "good-token";
    private static final int MAX_IN_FLIGHT = 4;
    private static final RequestLimits LIMITS = new RequestLimits(100, 30, 30, Integer.MAX_VALUE);
    private static final Duration STEP = Duration.ofMillis(50);

    private static final Instant START = Instant.parse("2026-11-22T10:00:00Z");
    private final MutableClock clock = new MutableClock(START);
    private final HttpClient http = HttpClient.newHttpClient();
    private Vertx vertx;
    private SandboxServer server;

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
                                        .withCloudflare(
                                                CloudflareEmulatorSettings.defaults()
                                                        .withPlan(
                                                                CloudflareEmulatorSettings.Plan.PRO)
                                                        .withAcceptedTokens(TOKEN))));
    }

    @AfterEach
    void stop() {
        server.close();
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }

    @Test
    void theDocumentedLimitTakenLiterallyIsRefusedWhenSlowRequestsArriveWithABurst()
            throws Exception {
        assertThat(slowThenBurst(0.0))
                .as(
                        "429s from the emulator with margin 0: the requests held in flight arrive"
                                + " together with a full bucket's burst")
                .isPositive();
    }

    @Test
    void theMarginKeepsTheSameTrafficWithinTheProvidersBucket() throws Exception {
        assertThat(slowThenBurst(0.1)).as("429s from the emulator with margin 0.1").isZero();
    }

    @Test
    void theMarginLowersRateAndCapacityAndSetsInFlightRequestsAside() {
        BucketRule pro = CloudflarePlan.PRO.rateLimits().getFirst();

        BucketRule held = pro.withMargin(0.1, MAX_IN_FLIGHT);

        assertThat(held.capacity()).as("25 × 0.9 = 22.5, less 4 in flight").isEqualTo(18);
        assertThat(held.refillTokens()).isEqualTo(5);
        assertThat(held.refillPeriod()).isEqualTo(Duration.ofNanos(1_111_111_112));
        assertThat(pro.withMargin(0, MAX_IN_FLIGHT)).isSameAs(pro);
        assertThat(pro.withMargin(0.5, 1_000).capacity())
                .as("in flight takes at most half")
                .isEqualTo(6);
    }

    /**
     * {@value #MAX_IN_FLIGHT} requests leave at once and take a second to arrive; meanwhile the
     * limiter refills to full while the provider's bucket, already full, wastes its refill. Then a
     * burst of 40 goes as fast as the limiter allows, each arriving one step later.
     *
     * @return the requests the emulator refused
     */
    private long slowThenBurst(double margin) throws Exception {
        LocalRateLimiter limiter = limiter(margin);
        List<Long> arrivals = new ArrayList<>();
        for (int i = 0; i < MAX_IN_FLIGHT; i++) {
            assertThat(limiter.acquireNow(TAG, 1)).isZero();
            arrivals.add(Duration.ofSeconds(1).toNanos());
        }
        int burst = 40;
        for (long now = 0; now <= Duration.ofSeconds(15).toNanos(); now += STEP.toNanos()) {
            deliverDue(arrivals, now);
            while (now >= Duration.ofSeconds(1).toNanos()
                    && burst > 0
                    && arrivals.size() < MAX_IN_FLIGHT
                    && limiter.acquireNow(TAG, 1) == 0) {
                arrivals.add(now);
                burst--;
            }
            clock.advance(STEP);
        }
        assertThat(burst).as("the whole burst went out").isZero();
        return throttled();
    }

    private LocalRateLimiter limiter(double margin) {
        List<BucketRule> rules =
                BucketMargins.withMargin(
                        CloudflarePlan.PRO.rateLimits(), margin, MAX_IN_FLIGHT, LIMITS);
        return new LocalRateLimiter(rules, this::elapsedNanos);
    }

    private long elapsedNanos() {
        return Duration.between(START, clock.instant()).toNanos();
    }

    // The requests due by now arrive at the emulator, in the order they were sent.
    private void deliverDue(List<Long> arrivals, long now)
            throws IOException, InterruptedException {
        var it = arrivals.iterator();
        while (it.hasNext()) {
            if (it.next() <= now) {
                it.remove();
                purgeTag();
            }
        }
    }

    private void purgeTag() throws IOException, InterruptedException {
        HttpResponse<String> response =
                http.send(
                        HttpRequest.newBuilder(
                                        URI.create(
                                                server.cloudflareUrl()
                                                        + "/zones/"
                                                        + ZONE
                                                        + "/purge_cache"))
                                .header("Authorization", "Bearer " + TOKEN)
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString("{\"tags\":[\"t\"]}"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isIn(200, 429);
    }

    private long throttled() {
        return server.sandbox().recorder().purges("cloudflare").stream()
                .filter(r -> r.status() == 429)
                .count();
    }

    /** One clock for the emulator and the limiter, moved by the test. */
}
