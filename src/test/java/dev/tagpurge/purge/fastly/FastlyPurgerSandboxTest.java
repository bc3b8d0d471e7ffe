package dev.tagpurge.purge.fastly;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.tagpurge.domain.PurgeMode;
import dev.tagpurge.domain.Selector;
import dev.tagpurge.domain.SelectorKind;
import dev.tagpurge.purge.PurgeResult;
import dev.tagpurge.purge.Purger;
import dev.tagpurge.sandbox.CdnSandbox;
import dev.tagpurge.sandbox.FastlyEmulatorSettings;
import dev.tagpurge.sandbox.RecordedPurge;
import dev.tagpurge.sandbox.SandboxServer;
import dev.tagpurge.sandbox.SandboxSettings;
import dev.tagpurge.testing.TestTargetConfig;
import dev.tagpurge.testing.TestTargets;
import io.vertx.mutiny.core.Vertx;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** FastlyPurger end to end against the CDN sandbox's Fastly emulator. */
class FastlyPurgerSandboxTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final String TOKEN = "good-token";

    private static Vertx vertx;
    private static SandboxServer server;
    private static final TestTargets TARGETS = new TestTargets();
    private static FastlyPurgerFactory factory;

    @BeforeAll
    static void start() {
        vertx = Vertx.vertx();
        // One counted call per hour, so the second purge_all of a test is throttled.
        CdnSandbox sandbox =
                new CdnSandbox(
                        SandboxSettings.defaults()
                                .withFastly(
                                        FastlyEmulatorSettings.defaults()
                                                .withAcceptedTokens(TOKEN)
                                                .withHourlyLimit(1)));
        server = SandboxServer.start(vertx.getDelegate(), 0, sandbox);
        factory =
                new FastlyPurgerFactory(
                        vertx,
                        Duration.ofSeconds(10),
                        Duration.ofMinutes(5),
                        () -> TARGETS.keys(FastlyTargets.class, FastlyTargets::targets));
    }

    @AfterAll
    static void stop() {
        factory.close();
        server.close();
        vertx.closeAndAwait();
    }

    @BeforeEach
    void reset() {
        server.sandbox().reset();
    }

    @Test
    void tagsGoOutAsOneBulkPurge() {
        PurgeResult result =
                send(
                        purger(TOKEN),
                        SelectorKind.TAG,
                        PurgeMode.HARD,
                        new Selector.Tag("product-42"),
                        new Selector.Tag("category-7"),
                        new Selector.Tag("home"));

        assertThat(result)
                .isInstanceOfSatisfying(
                        PurgeResult.Accepted.class,
                        a -> {
                            assertThat(a.purgeIds()).hasSize(3).doesNotHaveDuplicates();
                            assertThat(a.idsByItem())
                                    .as("each key's own purge id, from the bulk answer")
                                    .containsOnlyKeys("product-42", "category-7", "home");
                            assertThat(a.purgeIdsFor("home"))
                                    .containsExactly(a.idsByItem().get("home"));
                        });
        RecordedPurge purge = onlyPurge();
        assertThat(purge.path()).isEqualTo("/service/SVC1/purge");
        assertThat(purge.action()).isEqualTo("bulk");
        assertThat(purge.items()).containsExactly("product-42", "category-7", "home");
        assertThat(purge.soft()).isFalse();
        assertThat(purge.authPresent()).isTrue();
        assertThat(purge.headers()).containsEntry("Content-Type", "application/json");
    }

    @Test
    void softTagPurgeSendsTheSoftHeader() {
        send(purger(TOKEN), SelectorKind.TAG, PurgeMode.SOFT, new Selector.Tag("product-42"));

        assertThat(onlyPurge().soft()).isTrue();
        assertThat(onlyPurge().headers()).containsEntry("Fastly-Soft-Purge", "1");
    }

    @Test
    void urlsArePurgedOneByOneWithoutScheme() {
        Purger purger = purger(TOKEN);

        PurgeResult absolute =
                send(
                        purger,
                        SelectorKind.URL,
                        PurgeMode.SOFT,
                        new Selector.Url("https://shop.example.com/p/42?lang=en"));
        PurgeResult path =
                send(purger, SelectorKind.URL, PurgeMode.HARD, new Selector.Url("/p/43"));

        assertThat(List.of(absolute, path))
                .allSatisfy(
                        r ->
                                assertThat(r)
                                        .isInstanceOfSatisfying(
                                                PurgeResult.Accepted.class,
                                                a -> assertThat(a.purgeIds()).hasSize(1)));
        assertThat(server.sandbox().recorder().purges())
                .extracting(RecordedPurge::items, RecordedPurge::soft)
                .containsExactly(
                        tuple(List.of("shop.example.com/p/42?lang=en"), true),
                        tuple(List.of("www.example.com/p/43"), false));
    }

    @Test
    void aHostileUrlReachesOnlyTheUrlPurgeEndpointAsOneEncodedSegment() {
        Purger purger = purger(TOKEN);

        PurgeResult climbing =
                send(
                        purger,
                        SelectorKind.URL,
                        PurgeMode.HARD,
                        new Selector.Url("https://x/../../service/SVC1/purge_all"));
        PurgeResult smuggled =
                send(
                        purger,
                        SelectorKind.URL,
                        PurgeMode.HARD,
                        new Selector.Url(
                                "https://Shop.Example.com/a/%2e%2e/p/42?q=/../../service/SVC1/purge_all#x"));

        assertThat(climbing).isInstanceOf(PurgeResult.Permanent.class);
        assertThat(smuggled).isInstanceOf(PurgeResult.Accepted.class);
        RecordedPurge purge = onlyPurge();
        assertThat(purge.action()).isEqualTo("url");
        assertThat(purge.path())
                .isEqualTo(
                        "/purge/shop.example.com%2Fp%2F42%3Fq%3D%2F..%2F..%2Fservice%2FSVC1%2Fpurge_all");
        assertThat(purge.items())
                .containsExactly("shop.example.com/p/42?q=/../../service/SVC1/purge_all");
    }

    @Test
    void purgeAllIsSentHardEvenForASoftRequest() {
        PurgeResult result =
                send(
                        purger(TOKEN),
                        SelectorKind.EVERYTHING,
                        PurgeMode.SOFT,
                        new Selector.Everything());

        // purge_all counts against the hourly limit (1 here): the answer says none is left
        assertThat(result).isEqualTo(new PurgeResult.Accepted(List.of(), OptionalLong.of(0)));
        assertThat(onlyPurge().path()).isEqualTo("/service/SVC1/purge_all");
        assertThat(onlyPurge().headers()).doesNotContainKey("Fastly-Soft-Purge");
        assertThat(onlyPurge().status()).isEqualTo(200);
    }

    @Test
    void exhaustedRateLimitIsThrottledWithTheWaitUntilTheReset() {
        Purger purger = purger(TOKEN);
        send(purger, SelectorKind.EVERYTHING, PurgeMode.HARD, new Selector.Everything());

        PurgeResult second =
                send(purger, SelectorKind.EVERYTHING, PurgeMode.HARD, new Selector.Everything());

        assertThat(second)
                .isInstanceOfSatisfying(
                        PurgeResult.Retryable.class,
                        r -> {
                            assertThat(r.throttled()).isTrue();
                            assertThat(r.retryAfter())
                                    .hasValueSatisfying(
                                            wait ->
                                                    assertThat(wait)
                                                            .isPositive()
                                                            .isLessThanOrEqualTo(
                                                                    Duration.ofHours(1)));
                        });
    }

    @Test
    void throttlingFaultCarriesRetryAfter() {
        server.sandbox().faults().failNext("fastly", 429, 1);

        PurgeResult result =
                send(purger(TOKEN), SelectorKind.TAG, PurgeMode.HARD, new Selector.Tag("a"));

        assertThat(result)
                .isEqualTo(
                        new PurgeResult.Retryable(
                                "throttled",
                                "fastly HTTP 429: sandbox injected fault (HTTP 429)",
                                Optional.of(Duration.ofSeconds(1)),
                                true));
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
                .isInstanceOfSatisfying(
                        PurgeResult.Permanent.class,
                        p -> {
                            assertThat(p.reason()).isEqualTo("auth");
                            assertThat(p.detail())
                                    .contains("Provided credentials are missing or invalid")
                                    .doesNotContain("wrong-token-123");
                        });
        assertThat(onlyPurge().status()).isEqualTo(401);
        assertThat(onlyPurge().toJson().encode()).doesNotContain("wrong-token-123");
    }

    @Test
    void serverErrorFaultIsRetryable() {
        server.sandbox().faults().failNext("fastly", 503, 1);

        PurgeResult result =
                send(purger(TOKEN), SelectorKind.TAG, PurgeMode.HARD, new Selector.Tag("a"));

        assertThat(result)
                .isInstanceOfSatisfying(
                        PurgeResult.Retryable.class,
                        r -> {
                            assertThat(r.reason()).isEqualTo("server-error");
                            assertThat(r.throttled()).isFalse();
                        });
    }

    @Test
    void refusedConnectionIsRetryable() {
        SandboxServer closed = SandboxServer.start(vertx.getDelegate(), 0);
        String deadUrl = closed.fastlyUrl();
        closed.close();

        Purger purger = create("dead", StubTargetConfig.fastly(deadUrl, "SVC1", TOKEN));
        PurgeResult result = send(purger, SelectorKind.TAG, PurgeMode.HARD, new Selector.Tag("a"));

        assertThat(result)
                .isInstanceOfSatisfying(
                        PurgeResult.Retryable.class,
                        r -> {
                            assertThat(r.reason()).isEqualTo("connection");
                            assertThat(r.detail()).doesNotContain(TOKEN);
                        });
    }

    @Test
    void factoryDescribesTheTargetAndValidatesItsKeys() {
        Purger purger = purger(TOKEN);

        assertThat(factory.provider()).isEqualTo("fastly");
        assertThat(purger.provider()).isEqualTo("fastly");
        assertThat(purger.caseInsensitiveTags()).isFalse();
        assertThat(purger.limits().maxTags()).isEqualTo(256);
        assertThat(purger.limits().maxUrls()).isEqualTo(1);
        assertThat(purger.rejectReason(new Selector.Prefix("/p/"), PurgeMode.HARD))
                .contains("fastly has no prefix purge");
        assertThatThrownBy(() -> create("web", StubTargetConfig.fastly(null, null, TOKEN)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("tagpurge.targets.web.service-id");
    }

    @Test
    void prefixRequestIsAnsweredPermanentWithoutCallingFastly() {
        PurgeResult result =
                send(
                        purger(TOKEN),
                        SelectorKind.PREFIX,
                        PurgeMode.HARD,
                        new Selector.Prefix("/p/"));

        assertThat(result)
                .isEqualTo(PurgeResult.permanent("bad-request", "fastly has no prefix purge"));
        assertThat(server.sandbox().recorder().purges()).isEmpty();
    }

    private static Purger purger(String token) {
        return create(
                "web",
                StubTargetConfig.fastly(server.fastlyUrl(), "SVC1", token)
                        .with("hosts", String.join(",", "www.example.com")));
    }

    private static PurgeResult send(
            Purger purger, SelectorKind kind, PurgeMode mode, Selector... selectors) {
        return purger.purge(FastlyRequestsTest.request(kind, mode, selectors))
                .await()
                .atMost(TIMEOUT);
    }

    private static RecordedPurge onlyPurge() {
        assertThat(server.sandbox().recorder().purges()).hasSize(1);
        return server.sandbox().recorder().purges().getFirst();
    }

    private static Purger create(String name, TestTargetConfig config) {
        return factory.create(name, TARGETS.put(name, config));
    }
}
