package dev.tagpurge.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tagpurge.testing.MutableClock;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Cloudflare's per-plan token buckets, on a clock the test moves. */
class CloudflareRateLimitTest {

    private static final String ZONE = "023e105f4ecef8ad9ca31a8372d0c353";
    private static final String PURGE = "/zones/" + ZONE + "/purge_cache";
    private static final String INVALIDATE = "/zones/" + ZONE + "/invalidate_cache";

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-02T10:15:00Z"));
    private Vertx vertx;
    private HttpServer server;
    private CloudflareEmulator emulator;
    private PurgeRecorder recorder;
    private SandboxHttp http;

    @BeforeEach
    void startVertx() {
        vertx = Vertx.vertx();
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close().toCompletionStage().toCompletableFuture().join();
        }
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }

    @Test
    void theFreePlanAllowsABurstOf25ThenOneRequestEvery12Seconds() {
        start(CloudflareEmulatorSettings.defaults().withPlan(CloudflareEmulatorSettings.Plan.FREE));
        for (int i = 0; i < 25; i++) {
            assertThat(tags("a", "t" + i).statusCode()).isEqualTo(200);
        }

        HttpResponse<String> throttled = tags("a", "late");

        assertThat(throttled.statusCode()).isEqualTo(429);
        assertThat(header(throttled, "Retry-After")).isEqualTo("12");
        assertThat(header(throttled, "x-ratelimit-limit")).isEqualTo("25");
        assertThat(header(throttled, "x-ratelimit-remaining")).isEqualTo("0");
        assertThat(new JsonObject(throttled.body()))
                .isEqualTo(
                        new JsonObject(
                                "{\"success\":false,\"errors\":[{\"code\":1134,"
                                        + "\"message\":\"Unable to purge, rate limit reached\"}],"
                                        + "\"messages\":[],\"result\":null}"));

        clock.advance(Duration.ofSeconds(11));
        assertThat(tags("a", "still-early").statusCode()).isEqualTo(429);
        clock.advance(Duration.ofSeconds(1));
        assertThat(tags("a", "refilled").statusCode()).isEqualTo(200);
        assertThat(tags("a", "empty-again").statusCode()).isEqualTo(429);
    }

    @Test
    void aScaledBucketRefillsAtItsRateAndNeverAboveItsCapacity() {
        start(
                CloudflareEmulatorSettings.defaults()
                        .withPlan(CloudflareEmulatorSettings.Plan.FREE)
                        .withRequestBucket(25, 5, Duration.ofSeconds(1)));
        IntStream.range(0, 25).forEach(i -> assertThat(tags("a", "t").statusCode()).isEqualTo(200));
        HttpResponse<String> throttled = tags("a", "t");
        assertThat(throttled.statusCode()).isEqualTo(429);
        assertThat(header(throttled, "Retry-After")).isEqualTo("1");

        clock.advance(Duration.ofSeconds(1));

        HttpResponse<String> first = tags("a", "t");
        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(header(first, "x-ratelimit-remaining")).isEqualTo("4");
        IntStream.range(0, 4).forEach(i -> assertThat(tags("a", "t").statusCode()).isEqualTo(200));
        assertThat(tags("a", "t").statusCode()).isEqualTo(429);

        clock.advance(Duration.ofHours(1));
        HttpResponse<String> full = tags("a", "t");
        assertThat(header(full, "x-ratelimit-remaining")).isEqualTo("24");
    }

    @Test
    void tagsHostsPrefixesAndEverythingShareOneBucketSoftOrHard() {
        start(CloudflareEmulatorSettings.defaults().withRequestBucket(4, 1, Duration.ofHours(1)));

        assertThat(tags("a", "t").statusCode()).isEqualTo(200);
        assertThat(post("a", INVALIDATE, "{\"hosts\":[\"www.example.com\"]}").statusCode())
                .isEqualTo(200);
        assertThat(post("a", PURGE, "{\"prefixes\":[\"www.example.com/p/\"]}").statusCode())
                .isEqualTo(200);
        assertThat(post("a", INVALIDATE, "{\"purge_everything\":true}").statusCode())
                .isEqualTo(200);

        assertThat(post("a", PURGE, "{\"purge_everything\":true}").statusCode()).isEqualTo(429);
        assertThat(recorder.purges().getLast().action()).isEqualTo("everything");
        assertThat(recorder.purges().getLast().status()).isEqualTo(429);
    }

    @Test
    void urlsHaveTheirOwnBucketCountedInUrlsAndADeniedRequestTakesNothing() {
        start(
                CloudflareEmulatorSettings.defaults()
                        .withRequestBucket(1, 1, Duration.ofHours(1))
                        .withUrlBucket(10, 10, Duration.ofSeconds(1)));
        assertThat(tags("a", "t").statusCode()).isEqualTo(200);
        assertThat(tags("a", "t").statusCode()).isEqualTo(429);

        HttpResponse<String> six = files("a", 6);
        HttpResponse<String> five = files("a", 5);
        HttpResponse<String> four = files("a", 4);

        assertThat(six.statusCode()).isEqualTo(200);
        assertThat(header(six, "x-ratelimit-limit")).isEqualTo("10");
        assertThat(header(six, "x-ratelimit-remaining")).isEqualTo("4");
        assertThat(five.statusCode()).isEqualTo(429);
        assertThat(header(five, "Retry-After")).isEqualTo("1");
        assertThat(header(five, "x-ratelimit-remaining")).isEqualTo("4");
        assertThat(four.statusCode()).isEqualTo(200);
        assertThat(header(four, "x-ratelimit-remaining")).isEqualTo("0");
    }

    @Test
    void eachTokenIsItsOwnAccountAndResetRefillsEveryBucket() {
        start(CloudflareEmulatorSettings.defaults().withRequestBucket(1, 1, Duration.ofHours(1)));
        assertThat(tags("a", "t").statusCode()).isEqualTo(200);
        assertThat(tags("a", "t").statusCode()).isEqualTo(429);
        assertThat(tags("b", "t").statusCode()).isEqualTo(200);

        emulator.reset();

        assertThat(tags("a", "t").statusCode()).isEqualTo(200);
    }

    @Test
    void anInvalidRequestConsumesNoToken() {
        start(CloudflareEmulatorSettings.defaults().withRequestBucket(1, 1, Duration.ofHours(1)));

        assertThat(post("a", PURGE, "{\"tags\":[\"a\"],\"hosts\":[\"h\"]}").statusCode())
                .isEqualTo(400);
        assertThat(tags("a", "t").statusCode()).isEqualTo(200);
    }

    @Test
    void planDefaultsAndOverridesResolveIndependently() {
        CloudflareEmulatorSettings settings =
                CloudflareEmulatorSettings.defaults()
                        .withUrlBucket(10, 10, Duration.ofSeconds(1))
                        .withPlan(CloudflareEmulatorSettings.Plan.PRO);

        assertThat(CloudflareEmulatorSettings.defaults().plan())
                .isEqualTo(CloudflareEmulatorSettings.Plan.ENTERPRISE);
        assertThat(settings.requestBucket())
                .isEqualTo(new CloudflareEmulatorSettings.Bucket(25, 5, Duration.ofSeconds(1)));
        assertThat(settings.urlBucket())
                .isEqualTo(new CloudflareEmulatorSettings.Bucket(10, 10, Duration.ofSeconds(1)));
        assertThat(CloudflareEmulatorSettings.Plan.ENTERPRISE.urlsPerRequest()).isEqualTo(500);
    }

    @Test
    void anOversizedCostWaitsForAFullBucket() {
        CloudflareTokenBucket bucket =
                new CloudflareTokenBucket(
                        new CloudflareEmulatorSettings.Bucket(3, 1, Duration.ofSeconds(2)), clock);

        assertThat(bucket.tryTake(5).allowed()).isTrue();
        CloudflareTokenBucket.Outcome denied = bucket.tryTake(5);
        assertThat(denied.allowed()).isFalse();
        assertThat(denied.retryAfter()).isEqualTo(Duration.ofSeconds(6));
        clock.advance(Duration.ofSeconds(6));
        assertThat(bucket.tryTake(5).allowed()).isTrue();
    }

    private void start(CloudflareEmulatorSettings settings) {
        recorder = new PurgeRecorder();
        emulator = new CloudflareEmulator(settings, recorder, new FaultInjector(), clock);
        Router router = Router.router(vertx);
        router.route("/cloudflare/*").handler(BodyHandler.create());
        emulator.mount(router, "/cloudflare");
        server =
                vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0))
                        .requestHandler(router)
                        .listen()
                        .toCompletionStage()
                        .toCompletableFuture()
                        .join();
        http = new SandboxHttp("http://127.0.0.1:" + server.actualPort() + "/cloudflare");
    }

    private HttpResponse<String> tags(String token, String tag) {
        return post(token, PURGE, new JsonObject().put("tags", new JsonArray().add(tag)).encode());
    }

    private HttpResponse<String> files(String token, int count) {
        JsonArray files = new JsonArray();
        IntStream.range(0, count).forEach(i -> files.add("https://www.example.com/p/" + i));
        return post(token, PURGE, new JsonObject().put("files", files).encode());
    }

    private HttpResponse<String> post(String token, String path, String body) {
        return http.post(
                path, body, "Authorization", "Bearer " + token, "Content-Type", "application/json");
    }

    private static String header(HttpResponse<String> response, String name) {
        return response.headers().firstValue(name).orElse(null);
    }
}
