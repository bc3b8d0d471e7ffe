package dev.tagpurge.purge.akamai;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tagpurge.domain.PurgeMode;
import dev.tagpurge.domain.RequestLimits;
import dev.tagpurge.domain.Selector;
import dev.tagpurge.domain.SelectorKind;
import dev.tagpurge.purge.PurgeResult;
import dev.tagpurge.purge.Purger;
import dev.tagpurge.sandbox.AkamaiEmulatorSettings;
import dev.tagpurge.sandbox.RecordedPurge;
import dev.tagpurge.testing.TestTargetConfig;
import dev.tagpurge.testing.TestTargets;
import io.vertx.mutiny.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * AkamaiPurger end to end against the Akamai emulator on a plain Vert.x HTTP server: what arrives
 * on the wire (method, path, headers, a signature the independent {@link EdgeGridReference}
 * accepts, body) and how each answer maps to a result.
 */
class AkamaiPurgerSandboxTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final String UUID_PATTERN =
            "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";

    private static Vertx vertx;
    private static final TestTargets TARGETS = new TestTargets();
    private static AkamaiPurgerFactory factory;
    private AkamaiTestServer server;

    @BeforeAll
    static void startVertx() {
        vertx = Vertx.vertx();
        factory =
                new AkamaiPurgerFactory(
                        vertx,
                        Duration.ofSeconds(10),
                        Duration.ofMinutes(5),
                        () -> TARGETS.keys(AkamaiTargets.class, AkamaiTargets::targets));
    }

    @AfterAll
    static void stopVertx() {
        factory.close();
        vertx.closeAndAwait();
    }

    @AfterEach
    void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void hardTagsAreDeletedInOneSignedRequest() {
        start(AkamaiEmulatorSettings.defaults());

        PurgeResult result =
                send(
                        purger(config()),
                        SelectorKind.TAG,
                        PurgeMode.HARD,
                        new Selector.Tag("product-42"),
                        new Selector.Tag("Product-42"),
                        new Selector.Tag("home"));

        assertThat(result)
                .isInstanceOfSatisfying(
                        PurgeResult.Accepted.class,
                        a -> {
                            assertThat(a.purgeIds())
                                    .singleElement()
                                    .asString()
                                    .matches(UUID_PATTERN);
                            assertThat(a.estimatedSeconds())
                                    .as("Fast Purge's estimate, from the 201 body")
                                    .hasValue(5);
                        });
        AkamaiTestServer.Received request = onlyRequest();
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.path()).isEqualTo("/akamai/ccu/v3/delete/tag/production");
        assertThat(request.header("Content-Type")).isEqualTo("application/json");
        assertThat(request.header("Host")).isEqualTo(server.host());
        assertThat(request.header("Authorization"))
                .startsWith(
                        "EG1-HMAC-SHA256 client_token=akab-sandbox-client-token;"
                                + "access_token=akab-sandbox-access-token;timestamp=");
        assertSignedWithTheSandboxCredential(request);
        assertThat(request.json().fieldNames()).containsExactly("objects");
        assertThat(request.json().getJsonArray("objects").getList())
                .containsExactly("product-42", "Product-42", "home");
        RecordedPurge purge = onlyPurge();
        assertThat(purge.provider()).isEqualTo("akamai");
        assertThat(purge.path()).isEqualTo("/ccu/v3/delete/tag/production");
        assertThat(purge.action()).isEqualTo("delete/tag");
        assertThat(purge.items()).containsExactly("product-42", "Product-42", "home");
        assertThat(purge.soft()).isFalse();
        assertThat(purge.authPresent()).isTrue();
        assertThat(purge.status()).isEqualTo(201);
        assertThat(purge.headers()).containsEntry("Content-Type", "application/json");
        assertThat(purge.toJson().encode()).doesNotContain("EG1-HMAC-SHA256");
    }

    @Test
    void softUrlsAreInvalidatedAbsoluteOrCompletedWithTheFirstHost() {
        start(AkamaiEmulatorSettings.defaults());

        PurgeResult result =
                send(
                        purger(config()),
                        SelectorKind.URL,
                        PurgeMode.SOFT,
                        new Selector.Url("http://shop.example.com/p/42?lang=en"),
                        new Selector.Url("/p/43"));

        assertThat(result).isInstanceOf(PurgeResult.Accepted.class);
        AkamaiTestServer.Received request = onlyRequest();
        assertThat(request.path()).isEqualTo("/akamai/ccu/v3/invalidate/url/production");
        assertSignedWithTheSandboxCredential(request);
        assertThat(request.json().getJsonArray("objects").getList())
                .containsExactly(
                        "http://shop.example.com/p/42?lang=en", "https://www.example.com/p/43");
        assertThat(onlyPurge().soft()).isTrue();
        assertThat(onlyPurge().action()).isEqualTo("invalidate/url");
    }

    @Test
    void everythingDeletesTheConfiguredCpCodesOnTheConfiguredNetwork() {
        start(AkamaiEmulatorSettings.defaults());

        PurgeResult result =
                send(
                        purger(config().with("network", "staging")),
                        SelectorKind.EVERYTHING,
                        PurgeMode.HARD,
                        new Selector.Everything());

        assertThat(result).isInstanceOf(PurgeResult.Accepted.class);
        AkamaiTestServer.Received request = onlyRequest();
        assertThat(request.path()).isEqualTo("/akamai/ccu/v3/delete/cpcode/staging");
        assertSignedWithTheSandboxCredential(request);
        assertThat(new String(request.body())).isEqualTo("{\"objects\":[12345,67890]}");
        assertThat(onlyPurge().items()).containsExactly("12345", "67890");
    }

    @Test
    void aBatchSizedByTheWindowsEstimateButTooLargeWhenCompletedIsSplit() {
        start(AkamaiEmulatorSettings.defaults());
        Purger purger = purger(config());
        // 85 paths of 580 characters: the window's estimate fits, but completing each with
        // https://www.example.com adds 23 bytes, and the real body would exceed 50,000 bytes.
        Selector[] urls =
                IntStream.range(0, 85)
                        .mapToObj(
                                i ->
                                        new Selector.Url(
                                                String.format("/p/%03d/", i) + "x".repeat(572)))
                        .toArray(Selector[]::new);
        int estimated = Arrays.stream(urls).mapToInt(RequestLimits::bodyBytes).sum();
        assertThat(estimated).isLessThanOrEqualTo(purger.limits().maxBytes());

        PurgeResult result = send(purger, SelectorKind.URL, PurgeMode.HARD, urls);

        List<AkamaiTestServer.Received> requests = server.received();
        assertThat(requests).hasSize(2);
        assertThat(requests)
                .allSatisfy(
                        r -> {
                            assertThat(r.body().length).isLessThanOrEqualTo(50_000);
                            assertThat(r.path()).isEqualTo("/akamai/ccu/v3/delete/url/production");
                            assertSignedWithTheSandboxCredential(r);
                        });
        assertThat(
                        requests.stream()
                                .flatMap(r -> r.json().getJsonArray("objects").stream())
                                .toList())
                .containsExactlyElementsOf(
                        Arrays.stream(urls)
                                .map(u -> "https://www.example.com" + u.value())
                                .toList());
        assertThat(server.recorder().purges()).extracting(RecordedPurge::status).containsOnly(201);
        assertThat(result)
                .isInstanceOfSatisfying(
                        PurgeResult.Accepted.class,
                        a -> {
                            assertThat(a.purgeIds()).hasSize(2).doesNotHaveDuplicates();
                            assertThat(a.estimatedSeconds())
                                    .as("the estimate carried through the split")
                                    .hasValue(5);
                        });
    }

    @Test
    void anExhaustedTagBucketIsThrottledWithTheWaitAkamaiAsksFor() {
        // A clock that never moves: the bucket does not refill during the test.
        start(
                AkamaiEmulatorSettings.defaults()
                        .withTags(AkamaiEmulatorSettings.Bucket.perMinute(3, 1)),
                Clock.fixed(Instant.parse("2026-11-02T10:15:00Z"), ZoneOffset.UTC));
        Purger purger = purger(config());
        PurgeResult first =
                send(
                        purger,
                        SelectorKind.TAG,
                        PurgeMode.HARD,
                        new Selector.Tag("a"),
                        new Selector.Tag("b"),
                        new Selector.Tag("c"));

        PurgeResult second = send(purger, SelectorKind.TAG, PurgeMode.HARD, new Selector.Tag("d"));

        assertThat(first).isInstanceOf(PurgeResult.Accepted.class);
        assertThat(second)
                .isInstanceOfSatisfying(
                        PurgeResult.Retryable.class,
                        r -> {
                            assertThat(r.throttled()).isTrue();
                            assertThat(r.reason()).isEqualTo("throttled");
                            assertThat(r.detail()).contains("Rate Limit exceeded");
                            assertThat(r.retryAfter()).contains(Duration.ofSeconds(60));
                        });
        assertThat(server.recorder().purges())
                .extracting(RecordedPurge::status)
                .containsExactly(201, 429);
    }

    @Test
    void aWrongSecretIsAPermanentAuthFailureThatNeverShowsTheSecret() {
        start(AkamaiEmulatorSettings.defaults());

        PurgeResult result =
                send(
                        purger(config().with("client-secret", "wrong-secret-123")),
                        SelectorKind.TAG,
                        PurgeMode.HARD,
                        new Selector.Tag("a"));

        assertThat(result)
                .isInstanceOfSatisfying(
                        PurgeResult.Permanent.class,
                        p -> {
                            assertThat(p.reason()).isEqualTo("auth");
                            assertThat(p.detail())
                                    .contains("The signature does not match")
                                    .doesNotContain("wrong-secret-123")
                                    .doesNotContain(AkamaiEmulatorSettings.DEFAULT_CLIENT_SECRET);
                        });
        assertThat(onlyPurge().status()).isEqualTo(401);
        assertThat(onlyPurge().authPresent()).isTrue();
    }

    @Test
    void faultsMapToRetryableResults() {
        start(AkamaiEmulatorSettings.defaults());
        Purger purger = purger(config());
        server.faults().failNext("akamai", 503, 1);
        PurgeResult unavailable =
                send(purger, SelectorKind.TAG, PurgeMode.HARD, new Selector.Tag("a"));
        server.faults().failNext("akamai", 429, 1);
        PurgeResult throttled =
                send(purger, SelectorKind.TAG, PurgeMode.HARD, new Selector.Tag("a"));

        assertThat(unavailable)
                .isInstanceOfSatisfying(
                        PurgeResult.Retryable.class,
                        r -> {
                            assertThat(r.reason()).isEqualTo("server-error");
                            assertThat(r.throttled()).isFalse();
                        });
        assertThat(throttled)
                .isInstanceOfSatisfying(
                        PurgeResult.Retryable.class,
                        r -> assertThat(r.retryAfter()).contains(Duration.ofSeconds(1)));
    }

    @Test
    void whatAkamaiCannotTakeIsAnsweredWithoutARequest() {
        start(AkamaiEmulatorSettings.defaults());
        Purger purger = purger(config());

        PurgeResult longTag =
                send(purger, SelectorKind.TAG, PurgeMode.HARD, new Selector.Tag("t".repeat(129)));
        PurgeResult prefix =
                send(purger, SelectorKind.PREFIX, PurgeMode.HARD, new Selector.Prefix("/p/"));

        assertThat(purger.rejectReason(new Selector.Tag("t".repeat(129)), PurgeMode.HARD))
                .isPresent();
        assertThat(longTag).isInstanceOf(PurgeResult.Permanent.class);
        assertThat(prefix)
                .isEqualTo(PurgeResult.permanent("bad-request", "akamai has no prefix purge"));
        assertThat(server.received()).isEmpty();
    }

    @Test
    void aRefusedConnectionIsRetryable() {
        start(AkamaiEmulatorSettings.defaults());
        TestTargetConfig dead = config();
        server.close();
        server = null;

        PurgeResult result =
                send(create("dead", dead), SelectorKind.TAG, PurgeMode.HARD, new Selector.Tag("a"));

        assertThat(result)
                .isInstanceOfSatisfying(
                        PurgeResult.Retryable.class,
                        r -> assertThat(r.reason()).isEqualTo("connection"));
    }

    private void start(AkamaiEmulatorSettings settings) {
        start(settings, Clock.systemUTC());
    }

    private void start(AkamaiEmulatorSettings settings, Clock clock) {
        server = AkamaiTestServer.start(vertx.getDelegate(), settings, clock);
    }

    private TestTargetConfig config() {
        return TestTargetConfig.of("akamai")
                .with("base-url", server.baseUrl())
                .with("client-token", AkamaiEmulatorSettings.DEFAULT_CLIENT_TOKEN)
                .with("client-secret", AkamaiEmulatorSettings.DEFAULT_CLIENT_SECRET)
                .with("access-token", AkamaiEmulatorSettings.DEFAULT_ACCESS_TOKEN)
                .with("cp-codes", "12345,67890")
                .with("hosts", "www.example.com");
    }

    private static Purger purger(TestTargetConfig config) {
        return create("edge", config);
    }

    private static PurgeResult send(
            Purger purger, SelectorKind kind, PurgeMode mode, Selector... selectors) {
        return purger.purge(AkamaiRequestsTest.request(kind, mode, selectors))
                .await()
                .atMost(TIMEOUT);
    }

    private void assertSignedWithTheSandboxCredential(AkamaiTestServer.Received request) {
        assertThat(
                        EdgeGridReference.verifies(
                                request.header("Authorization"),
                                AkamaiEmulatorSettings.DEFAULT_CLIENT_TOKEN,
                                AkamaiEmulatorSettings.DEFAULT_CLIENT_SECRET,
                                AkamaiEmulatorSettings.DEFAULT_ACCESS_TOKEN,
                                request.header("Host"),
                                request.method(),
                                request.path(),
                                request.body()))
                .as("signature of %s", request.path())
                .isTrue();
        assertThat(Optional.ofNullable(request.header("Authorization")))
                .hasValueSatisfying(
                        h ->
                                assertThat(EdgeGridReference.fields(h).get("nonce"))
                                        .matches(UUID_PATTERN));
    }

    private AkamaiTestServer.Received onlyRequest() {
        assertThat(server.received()).hasSize(1);
        return server.received().getFirst();
    }

    private RecordedPurge onlyPurge() {
        assertThat(server.recorder().purges()).hasSize(1);
        return server.recorder().purges().getFirst();
    }

    private static Purger create(String name, TestTargetConfig config) {
        return factory.create(name, TARGETS.put(name, config));
    }
}
