package dev.tagpurge.sandbox;

import static dev.tagpurge.sandbox.AkamaiEmulatorTest.objects;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tagpurge.purge.akamai.AkamaiTestServer;
import dev.tagpurge.testing.MutableClock;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Akamai's four account-wide token buckets, on a clock the test moves. */
class AkamaiRateLimitTest {

    private static final String TAGS = "/ccu/v3/delete/tag/production";
    private static final String URLS = "/ccu/v3/delete/url/production";
    private static final String CPCODES = "/ccu/v3/delete/cpcode/production";

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-02T10:15:00Z"));
    private Vertx vertx;
    private AkamaiTestServer server;
    private SandboxHttp http;

    @BeforeEach
    void startVertx() {
        vertx = Vertx.vertx();
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }

    @Test
    void apiRequestsBurst100AndRefill50PerSecond() {
        start(AkamaiEmulatorSettings.defaults());
        for (int i = 0; i < 100; i++) {
            assertThat(post(TAGS, objects("t" + i)).statusCode()).isEqualTo(201);
        }

        HttpResponse<String> throttled = post(TAGS, objects("x"));

        assertThrottled(throttled, "100", "0", "1");
        assertThat(new JsonObject(throttled.body()).getString("detail")).contains("requests");
        clock.advance(Duration.ofMillis(25));
        assertThat(post(TAGS, objects("x")).statusCode()).isEqualTo(201);
    }

    @Test
    void cacheTagsBurst5000AndRefill500PerMinute() {
        start(AkamaiEmulatorSettings.defaults());
        assertThat(post(TAGS, tags(5_000)).statusCode()).isEqualTo(201);

        assertThrottled(post(TAGS, objects("x")), "5000", "0", "1");
        clock.advance(Duration.ofMillis(6_100));
        // 6.1 s refill 50.8 tags.
        assertThrottled(post(TAGS, tags(51)), "5000", "50", "1");
        assertThat(post(TAGS, tags(50)).statusCode()).isEqualTo(201);
    }

    @Test
    void cpCodesBurst300AndRefill30PerMinute() {
        start(AkamaiEmulatorSettings.defaults());
        JsonArray codes = new JsonArray();
        IntStream.rangeClosed(1, 300).forEach(codes::add);
        assertThat(post(CPCODES, new JsonObject().put("objects", codes).encode()).statusCode())
                .isEqualTo(201);

        assertThrottled(post(CPCODES, "{\"objects\":[1]}"), "300", "0", "2");
        clock.advance(Duration.ofMillis(2_100));
        assertThat(post(CPCODES, "{\"objects\":[1]}").statusCode()).isEqualTo(201);
    }

    @Test
    void urlObjectsBurst10000AndRefill200PerSecond() {
        start(AkamaiEmulatorSettings.defaults());
        for (int batch = 0; batch < 10; batch++) {
            int first = batch * 1_000;
            String[] urls =
                    IntStream.range(first, first + 1_000)
                            .mapToObj(i -> "https://h.example/" + i)
                            .toArray(String[]::new);
            assertThat(post(URLS, objects(urls)).statusCode()).isEqualTo(201);
        }

        assertThrottled(post(URLS, objects("https://h.example/x")), "10000", "0", "1");
        clock.advance(Duration.ofMillis(60));
        assertThat(post(URLS, objects(urlList(10))).statusCode()).isEqualTo(201);
    }

    @Test
    void aDeniedRequestConsumesNothing() {
        start(
                AkamaiEmulatorSettings.defaults()
                        .withRequests(AkamaiEmulatorSettings.Bucket.perSecond(2, 1))
                        .withTags(AkamaiEmulatorSettings.Bucket.perMinute(10, 1)));
        assertThat(post(TAGS, tags(6)).statusCode()).isEqualTo(201);

        // 5 tags cannot pass the 4 left: neither the request token nor the 4 tags are taken.
        assertThrottled(post(TAGS, tags(5)), "10", "4", "60");

        assertThat(post(TAGS, tags(4)).statusCode()).isEqualTo(201);
        HttpResponse<String> noRequestsLeft = post(TAGS, objects("x"));
        // Denied by the request bucket; admitted only once the tag bucket has refilled too.
        assertThrottled(noRequestsLeft, "2", "0", "60");
        assertThat(new JsonObject(noRequestsLeft.body()).getString("detail")).contains("requests");
    }

    @Test
    void resetRefillsEveryBucket() {
        start(
                AkamaiEmulatorSettings.defaults()
                        .withTags(AkamaiEmulatorSettings.Bucket.perMinute(1, 1)));
        assertThat(post(TAGS, objects("a")).statusCode()).isEqualTo(201);
        assertThat(post(TAGS, objects("b")).statusCode()).isEqualTo(429);

        server.emulator().reset();

        assertThat(post(TAGS, objects("b")).statusCode()).isEqualTo(201);
    }

    private void start(AkamaiEmulatorSettings settings) {
        server = AkamaiTestServer.start(vertx, settings, clock);
        http = new SandboxHttp(server.baseUrl());
    }

    private HttpResponse<String> post(String path, String body) {
        return http.post(
                path,
                body,
                "Authorization",
                AkamaiEmulatorTest.sign(path, body, server.host(), null),
                "Content-Type",
                "application/json");
    }

    private static String tags(int count) {
        // Short names, so that 5,000 of them fit in one 50,000-byte body.
        return objects(
                IntStream.range(0, count)
                        .mapToObj(i -> "t" + Integer.toString(i, 36))
                        .toArray(String[]::new));
    }

    private static String[] urlList(int count) {
        return IntStream.range(0, count)
                .mapToObj(i -> "https://h.example/r" + i)
                .toArray(String[]::new);
    }

    private static void assertThrottled(
            HttpResponse<String> response, String limit, String remaining, String retryAfter) {
        assertThat(response.statusCode()).isEqualTo(429);
        assertThat(response.headers().firstValue("Content-Type"))
                .contains("application/problem+json");
        assertThat(response.headers().firstValue("X-Ratelimit-Limit")).contains(limit);
        assertThat(response.headers().firstValue("X-Ratelimit-Remaining")).contains(remaining);
        assertThat(response.headers().firstValue("Retry-After")).contains(retryAfter);
        assertThat(new JsonObject(response.body()).getInteger("status")).isEqualTo(429);
    }
}
