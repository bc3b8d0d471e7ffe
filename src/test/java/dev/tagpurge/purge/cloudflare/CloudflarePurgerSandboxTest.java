package dev.tagpurge.purge.cloudflare;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.tagpurge.domain.PurgeMode;
import dev.tagpurge.domain.Selector;
import dev.tagpurge.domain.SelectorKind;
import dev.tagpurge.purge.ProviderHttpClient;
import dev.tagpurge.purge.PurgeResult;
import dev.tagpurge.purge.Purger;
import dev.tagpurge.sandbox.CloudflareEmulatorSettings;
import dev.tagpurge.sandbox.RecordedPurge;
import dev.tagpurge.testing.TestTargetConfig;
import dev.tagpurge.testing.TestTargets;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.ext.web.client.WebClient;
import java.time.Duration;
import java.util.Optional;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** CloudflarePurger end to end against the sandbox's Cloudflare emulator, over HTTP. */
class CloudflarePurgerSandboxTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final String TOKEN = "good-token";
    private static final String ZONE = CloudflareRequestsTest.ZONE;
    private static final String PURGE = "/cloudflare/zones/" + ZONE + "/purge_cache";
    private static final String INVALIDATE = "/cloudflare/zones/" + ZONE + "/invalidate_cache";

    private static Vertx vertx;
    private static CloudflareEmulatorServer server;
    private static final TestTargets TARGETS = new TestTargets();
    private static CloudflarePurgerFactory factory;

    @BeforeAll
    static void start() {
        vertx = Vertx.vertx();
        // Enterprise limits per request; a shared bucket of 4 that never refills within a test
        // and 600 URLs, so throttling is reached quickly and deterministically.
        server =
                CloudflareEmulatorServer.start(
                        vertx.getDelegate(),
                        CloudflareEmulatorSettings.defaults()
                                .withAcceptedTokens(TOKEN)
                                .withRequestBucket(4, 1, Duration.ofHours(1))
                                .withUrlBucket(600, 1, Duration.ofHours(1)));
        factory =
                new CloudflarePurgerFactory(
                        vertx,
                        Duration.ofSeconds(10),
                        // max-retry-after above the hour-long wait one test reads back
                        Duration.ofHours(2),
                        () -> TARGETS.keys(CloudflareTargets.class, CloudflareTargets::targets));
    }

    @AfterAll
    static void stop() {
        factory.close();
        server.close();
        vertx.closeAndAwait();
    }

    @BeforeEach
    void reset() {
        server.reset();
    }

    @Test
    void tagsGoOutAsOnePurgeCacheRequestWithBearerAuth() {
        PurgeResult result =
                send(
                        purger(TOKEN),
                        SelectorKind.TAG,
                        PurgeMode.HARD,
                        new Selector.Tag("product-42"),
                        new Selector.Tag("Category-7"));

        assertThat(result)
                .isInstanceOfSatisfying(
                        PurgeResult.Accepted.class,
                        a ->
                                assertThat(a.purgeIds())
                                        .singleElement()
                                        .asString()
                                        .matches("[0-9a-f]{32}"));
        CloudflareEmulatorServer.Received request = onlyRequest();
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.path()).isEqualTo(PURGE);
        assertThat(request.headers())
                .containsEntry("authorization", "Bearer " + TOKEN)
                .containsEntry("content-type", "application/json");
        assertThat(new JsonObject(request.body()))
                .isEqualTo(
                        new JsonObject()
                                .put("tags", new JsonArray().add("product-42").add("Category-7")));
        RecordedPurge purge = onlyPurge();
        assertThat(purge.action()).isEqualTo("tags");
        assertThat(purge.items()).containsExactly("product-42", "Category-7");
        assertThat(purge.soft()).isFalse();
        assertThat(purge.status()).isEqualTo(200);
    }

    @Test
    void softPurgesGoToInvalidateCacheEverythingIncluded() {
        Purger purger = purger(TOKEN);

        send(purger, SelectorKind.TAG, PurgeMode.SOFT, new Selector.Tag("a"));
        PurgeResult everything =
                send(purger, SelectorKind.EVERYTHING, PurgeMode.SOFT, new Selector.Everything());

        assertThat(everything).isInstanceOf(PurgeResult.Accepted.class);
        assertThat(server.received())
                .extracting(CloudflareEmulatorServer.Received::path, r -> r.body())
                .containsExactly(
                        tuple(INVALIDATE, "{\"tags\":[\"a\"]}"),
                        tuple(INVALIDATE, "{\"purge_everything\":true}"));
        assertThat(server.recorder().purges())
                .extracting(RecordedPurge::action, RecordedPurge::soft, RecordedPurge::status)
                .containsExactly(tuple("tags", true, 200), tuple("everything", true, 200));
    }

    @Test
    void hardEverythingIsPurgeEverythingAlone() {
        PurgeResult result =
                send(
                        purger(TOKEN),
                        SelectorKind.EVERYTHING,
                        PurgeMode.HARD,
                        new Selector.Everything());

        assertThat(result).isInstanceOf(PurgeResult.Accepted.class);
        assertThat(onlyRequest().path()).isEqualTo(PURGE);
        assertThat(onlyRequest().body()).isEqualTo("{\"purge_everything\":true}");
        assertThat(onlyPurge().action()).isEqualTo("everything");
    }

    @Test
    void urlsGoOutAsAbsoluteFilesFiveHundredPerEnterpriseRequest() {
        Purger purger = purger(TOKEN, "enterprise");
        Selector[] urls =
                IntStream.range(0, 500)
                        .mapToObj(
                                i ->
                                        new Selector.Url(
                                                i == 0 ? "http://a.example/x?y=1" : "/p/" + i))
                        .toArray(Selector[]::new);

        assertThat(purger.limits().maxUrls()).isEqualTo(500);
        PurgeResult result = send(purger, SelectorKind.URL, PurgeMode.HARD, urls);

        assertThat(result).isInstanceOf(PurgeResult.Accepted.class);
        JsonArray files = new JsonObject(onlyRequest().body()).getJsonArray("files");
        assertThat(files).hasSize(500);
        assertThat(files.getString(0)).isEqualTo("http://a.example/x?y=1");
        assertThat(files.getString(1)).isEqualTo("https://www.example.com/p/1");
        assertThat(onlyPurge().action()).isEqualTo("files");
        assertThat(onlyPurge().items()).hasSize(500);
    }

    @Test
    void prefixesGoOutAsHostAndPathWithoutScheme() {
        send(
                purger(TOKEN),
                SelectorKind.PREFIX,
                PurgeMode.HARD,
                new Selector.Prefix("https://shop.example.com/p/"),
                new Selector.Prefix("/c/"));

        assertThat(onlyRequest().body())
                .isEqualTo("{\"prefixes\":[\"shop.example.com/p/\",\"www.example.com/c/\"]}");
        assertThat(onlyPurge().status()).isEqualTo(200);
        assertThat(onlyPurge().items())
                .containsExactly("shop.example.com/p/", "www.example.com/c/");
    }

    @Test
    void anEmptyBucketIsThrottledWithCloudflaresRetryAfterAndQuota() {
        Purger purger = purger(TOKEN);
        for (int i = 0; i < 4; i++) {
            assertThat(send(purger, SelectorKind.TAG, PurgeMode.HARD, new Selector.Tag("t" + i)))
                    .isInstanceOf(PurgeResult.Accepted.class);
        }

        PurgeResult throttled =
                send(purger, SelectorKind.PREFIX, PurgeMode.HARD, new Selector.Prefix("/p/"));

        assertThat(throttled)
                .isInstanceOfSatisfying(
                        PurgeResult.Retryable.class,
                        r -> {
                            assertThat(r.reason()).isEqualTo("throttled");
                            assertThat(r.throttled()).isTrue();
                            assertThat(r.detail())
                                    .isEqualTo(
                                            "cloudflare HTTP 429 (x-ratelimit-remaining=0"
                                                    + " x-ratelimit-limit=4): 1134 Unable to"
                                                    + " purge, rate limit reached");
                            // One token an hour; the real clock moved a little since the start.
                            assertThat(r.retryAfter())
                                    .hasValueSatisfying(
                                            wait ->
                                                    assertThat(wait)
                                                            .isBetween(
                                                                    Duration.ofMinutes(59),
                                                                    Duration.ofHours(1)));
                        });
        // URLs have their own bucket.
        assertThat(send(purger, SelectorKind.URL, PurgeMode.HARD, new Selector.Url("/p/1")))
                .isInstanceOf(PurgeResult.Accepted.class);
    }

    @Test
    void throttlingFaultCarriesRetryAfter() {
        server.faults().failNext("cloudflare", 429, 1);

        PurgeResult result =
                send(purger(TOKEN), SelectorKind.TAG, PurgeMode.HARD, new Selector.Tag("a"));

        assertThat(result)
                .isInstanceOfSatisfying(
                        PurgeResult.Retryable.class,
                        r -> {
                            assertThat(r.throttled()).isTrue();
                            assertThat(r.retryAfter()).contains(Duration.ofSeconds(1));
                        });
    }

    @Test
    void badTokenIsAPermanentAuthFailureThatNeverShowsTheToken() {
        PurgeResult result =
                send(
                        purger("wrong-token-123"),
                        SelectorKind.TAG,
                        PurgeMode.HARD,
                        new Selector.Tag("a"));

        assertThat(result)
                .isEqualTo(
                        PurgeResult.permanent(
                                "auth", "cloudflare HTTP 403: 10000 Authentication error"));
        assertThat(onlyPurge().status()).isEqualTo(403);
        assertThat(onlyPurge().authPresent()).isTrue();
        assertThat(onlyPurge().toJson().encode()).doesNotContain("wrong-token-123");
    }

    @Test
    void serverErrorFaultIsRetryable() {
        server.faults().failNext("cloudflare", 503, 1);

        PurgeResult result =
                send(purger(TOKEN), SelectorKind.TAG, PurgeMode.HARD, new Selector.Tag("a"));

        assertThat(result)
                .isInstanceOfSatisfying(
                        PurgeResult.Retryable.class,
                        r -> {
                            assertThat(r.reason()).isEqualTo("server-error");
                            assertThat(r.throttled()).isFalse();
                            assertThat(r.detail()).contains("sandbox injected fault (HTTP 503)");
                        });
    }

    @Test
    void aBatchOverThePlansLimitIsRefusedAsABadRequest() {
        // Settings built by hand can exceed the plan; the emulator refuses like Cloudflare.
        CloudflareSettings tooBig =
                new CloudflareSettings(
                        "zone",
                        server.baseUrl(),
                        ZONE,
                        TOKEN,
                        Optional.empty(),
                        CloudflarePlan.ENTERPRISE,
                        101,
                        500,
                        100);
        WebClient client = WebClient.create(vertx);
        try {
            Selector[] tags =
                    IntStream.range(0, 101)
                            .mapToObj(i -> new Selector.Tag("t" + i))
                            .toArray(Selector[]::new);

            PurgeResult result =
                    send(
                            new CloudflarePurger(
                                    tooBig,
                                    new ProviderHttpClient(
                                            client, Duration.ofSeconds(10), Duration.ofMinutes(5))),
                            SelectorKind.TAG,
                            PurgeMode.HARD,
                            tags);

            assertThat(result)
                    .isInstanceOfSatisfying(
                            PurgeResult.Permanent.class,
                            p -> {
                                assertThat(p.reason()).isEqualTo("bad-request");
                                assertThat(p.detail())
                                        .startsWith("cloudflare HTTP 400")
                                        .contains("Too many tags");
                            });
        } finally {
            client.close();
        }
    }

    @Test
    void refusedConnectionIsRetryable() {
        CloudflareEmulatorServer closed =
                CloudflareEmulatorServer.start(
                        vertx.getDelegate(), CloudflareEmulatorSettings.defaults());
        String deadUrl = closed.baseUrl();
        closed.close();

        Purger purger = create("dead", CloudflareSettingsTest.config().with("base-url", deadUrl));
        PurgeResult result = send(purger, SelectorKind.TAG, PurgeMode.HARD, new Selector.Tag("a"));

        assertThat(result)
                .isInstanceOfSatisfying(
                        PurgeResult.Retryable.class,
                        r -> {
                            assertThat(r.reason()).isEqualTo("connection");
                            assertThat(r.detail()).doesNotContain("secret-token");
                        });
    }

    @Test
    void factoryDescribesTheTargetAndValidatesItsKeys() {
        Purger purger = purger(TOKEN);

        assertThat(factory.provider()).isEqualTo("cloudflare");
        assertThat(purger.provider()).isEqualTo("cloudflare");
        assertThat(purger.caseInsensitiveTags()).isTrue();
        assertThat(purger.limits().maxTags()).isEqualTo(100);
        assertThat(purger.limits().maxUrls()).isEqualTo(100);
        assertThat(purger.limits().maxPrefixes()).isEqualTo(100);
        assertThat(purger.rejectReason(new Selector.Tag("t".repeat(1025)), PurgeMode.HARD))
                .isPresent();
        assertThat(purger.rejectReason(new Selector.Prefix("/p?x=1"), PurgeMode.SOFT))
                .contains("cloudflare prefix purge takes no query string");
        assertThatThrownBy(
                        () -> create("web", CloudflareSettingsTest.config().with("zone-id", null)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("tagpurge.targets.web.zone-id");
        assertThatThrownBy(
                        () ->
                                create(
                                        "web",
                                        CloudflareSettingsTest.config().with("api-token", null)))
                .hasMessageContaining("tagpurge.targets.web.api-token");
    }

    @Test
    void rejectedSelectorIsAnsweredPermanentWithoutCallingCloudflare() {
        PurgeResult result =
                send(
                        purger(TOKEN),
                        SelectorKind.PREFIX,
                        PurgeMode.HARD,
                        new Selector.Prefix("/p/?page=2"));

        assertThat(result)
                .isEqualTo(
                        PurgeResult.permanent(
                                "bad-request", "cloudflare prefix purge takes no query string"));
        assertThat(server.received()).isEmpty();
    }

    private static Purger purger(String token) {
        return purger(token, "free");
    }

    private static Purger purger(String token, String plan) {
        return create(
                "zone",
                CloudflareSettingsTest.config()
                        .with("api-token", token)
                        .with("plan", plan)
                        .with("base-url", server.baseUrl())
                        .with("hosts", "www.example.com"));
    }

    private static PurgeResult send(
            Purger purger, SelectorKind kind, PurgeMode mode, Selector... selectors) {
        return purger.purge(CloudflareRequestsTest.request(kind, mode, selectors))
                .await()
                .atMost(TIMEOUT);
    }

    private static CloudflareEmulatorServer.Received onlyRequest() {
        assertThat(server.received()).hasSize(1);
        return server.received().getFirst();
    }

    private static RecordedPurge onlyPurge() {
        assertThat(server.recorder().purges()).hasSize(1);
        return server.recorder().purges().getFirst();
    }

    private static Purger create(String name, TestTargetConfig config) {
        return factory.create(name, TARGETS.put(name, config));
    }
}
