package dev.tagpurge.purge.cloudfront;

import static dev.tagpurge.purge.cloudfront.CloudFrontRequestsTest.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.tagpurge.domain.PurgeMode;
import dev.tagpurge.domain.Selector;
import dev.tagpurge.domain.SelectorKind;
import dev.tagpurge.purge.PurgeRequest;
import dev.tagpurge.purge.PurgeResult;
import dev.tagpurge.purge.Purger;
import dev.tagpurge.sandbox.CloudFrontEmulator;
import dev.tagpurge.sandbox.CloudFrontEmulatorSettings;
import dev.tagpurge.sandbox.CloudFrontInvalidation;
import dev.tagpurge.sandbox.FaultInjector;
import dev.tagpurge.sandbox.PurgeRecorder;
import dev.tagpurge.sandbox.RecordedPurge;
import dev.tagpurge.testing.TestTargetConfig;
import dev.tagpurge.testing.TestTargets;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * CloudFrontPurger end to end, through the real AWS SDK (Netty), against the sandbox's CloudFront
 * emulator on a plain Vert.x server: what the emulator received, when the purge completes, the
 * in-progress budget and CloudFront's own limit.
 */
class CloudFrontPurgerSandboxTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(15);
    private static final Duration POLL = Duration.ofMillis(50);
    private static final Duration COMPLETION = Duration.ofMillis(300);
    private static final String DISTRIBUTION = "EDFDVBD6EXAMPLE";
    private static final String INVALIDATIONS =
            "/2020-05-31/distribution/" + DISTRIBUTION + "/invalidation";

    private static Vertx vertx;
    private static HttpServer server;
    private static PurgeRecorder recorder;
    private static FaultInjector faults;
    private static CloudFrontEmulator emulator;
    private static PurgeRecorder tightRecorder;
    private static CloudFrontEmulator tight;

    // One factory for the class: closing its Netty client takes a graceful two seconds.
    private static SimpleMeterRegistry registry;
    private static final TestTargets TARGETS = new TestTargets();
    private static CloudFrontPurgerFactory factory;
    private static int runs;
    private String run;

    @BeforeAll
    static void start() throws Exception {
        vertx = Vertx.vertx();
        recorder = new PurgeRecorder();
        faults = new FaultInjector();
        emulator =
                new CloudFrontEmulator(
                        CloudFrontEmulatorSettings.defaults().withCompletionDelay(COMPLETION),
                        recorder,
                        faults,
                        Clock.systemUTC());
        // A second distribution API whose CloudFront limit (2 paths) is below the adapter's budget.
        tightRecorder = new PurgeRecorder();
        tight =
                new CloudFrontEmulator(
                        CloudFrontEmulatorSettings.defaults()
                                .withCompletionDelay(Duration.ofSeconds(1))
                                .withMaxPathsInProgress(2),
                        tightRecorder,
                        new FaultInjector(),
                        Clock.systemUTC());
        Router router = Router.router(vertx);
        router.route("/cloudfront/*").handler(BodyHandler.create());
        emulator.mount(router, "/cloudfront");
        router.route("/tight/*").handler(BodyHandler.create());
        tight.mount(router, "/tight");
        server =
                vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0))
                        .requestHandler(router)
                        .listen()
                        .toCompletionStage()
                        .toCompletableFuture()
                        .get(10, TimeUnit.SECONDS);
        registry = new SimpleMeterRegistry();
        factory =
                new CloudFrontPurgerFactory(
                        registry,
                        () -> TARGETS.keys(CloudFrontTargets.class, CloudFrontTargets::targets));
    }

    @AfterAll
    static void stop() throws Exception {
        factory.close();
        server.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @BeforeEach
    void setUp() {
        recorder.clear();
        tightRecorder.clear();
        faults.clear();
        emulator.reset();
        tight.reset();
        // Each test has target names of its own, so their meters start from zero.
        run = "r" + ++runs;
    }

    @Test
    void tagsAreOneInvalidationAcceptedOnlyOnceGetInvalidationSaysCompleted() {
        PurgeResult result =
                send(
                        purger("dist"),
                        request(
                                "b-tags",
                                SelectorKind.TAG,
                                PurgeMode.HARD,
                                new Selector.Tag("product-42"),
                                new Selector.Tag("category-7")));
        Instant answered = Instant.now();

        CloudFrontInvalidation invalidation = onlyInvalidation();
        assertThat(result).isEqualTo(PurgeResult.accepted(List.of(invalidation.id())));
        assertThat(answered).isAfterOrEqualTo(invalidation.completeTime());
        List<RecordedPurge> records = recorder.purges();
        RecordedPurge create = records.getFirst();
        assertThat(create.provider()).isEqualTo("cloudfront");
        assertThat(create.method()).isEqualTo("POST");
        assertThat(create.path()).isEqualTo(INVALIDATIONS);
        assertThat(create.action()).isEqualTo("create-invalidation");
        assertThat(create.items()).containsExactly("#product-42", "#category-7");
        assertThat(create.headers().get("CallerReference")).startsWith("tagpurge-b-tags-");
        assertThat(create.authPresent()).isTrue();
        assertThat(create.status()).isEqualTo(201);
        List<RecordedPurge> polls = records.subList(1, records.size());
        assertThat(polls)
                .hasSizeGreaterThanOrEqualTo(2)
                .allSatisfy(
                        get -> {
                            assertThat(get.method()).isEqualTo("GET");
                            assertThat(get.path())
                                    .isEqualTo(INVALIDATIONS + "/" + invalidation.id());
                            assertThat(get.action()).isEqualTo("get-invalidation");
                            assertThat(get.status()).isEqualTo(200);
                        });
        assertThat(polls.getLast().at()).isAfterOrEqualTo(invalidation.completeTime());
        assertThat(billed("dist")).isEqualTo(2.0);
        assertThat(inProgress("dist")).isZero();
    }

    @Test
    void urlsAreSentAsTheirEncodedPathAndQuery() {
        send(
                purger("dist"),
                request(
                        "b-urls",
                        SelectorKind.URL,
                        PurgeMode.HARD,
                        new Selector.Url("https://shop.example.com/p/42?lang=en"),
                        new Selector.Url("/p/größe")));

        assertThat(creates().getFirst().items())
                .containsExactly("/p/42?lang=en", "/p/gr%C3%B6%C3%9Fe");
        assertThat(onlyInvalidation().paths())
                .containsExactly("/p/42?lang=en", "/p/gr%C3%B6%C3%9Fe");
    }

    @Test
    void prefixesAreSentAsWildcardPaths() {
        send(
                purger("dist"),
                request(
                        "b-prefixes",
                        SelectorKind.PREFIX,
                        PurgeMode.HARD,
                        new Selector.Prefix("/products/"),
                        new Selector.Prefix("https://shop.example.com/cat/")));

        assertThat(creates().getFirst().items()).containsExactly("/products/*", "/cat/*");
    }

    @Test
    void everythingIsTheRootWildcardAndSoftIsSentHard() {
        PurgeResult result =
                send(
                        purger("dist"),
                        request(
                                "b-all",
                                SelectorKind.EVERYTHING,
                                PurgeMode.SOFT,
                                new Selector.Everything()));

        assertThat(result).isInstanceOf(PurgeResult.Accepted.class);
        assertThat(creates().getFirst().items()).containsExactly("/*");
        assertThat(creates().getFirst().soft()).isFalse();
    }

    @Test
    void aRetriedBatchReusesItsCallerReferenceAndGetsTheSameInvalidation() {
        Purger purger = purger("dist");
        faults.failNext("cloudfront", 503, 1);

        PurgeResult failed = send(purger, attempt("b-retry", 1));
        PurgeResult retried = send(purger, attempt("b-retry", 2));
        PurgeResult repeated = send(purger, attempt("b-retry", 3));

        assertThat(failed)
                .isInstanceOfSatisfying(
                        PurgeResult.Retryable.class,
                        r -> {
                            assertThat(r.reason()).isEqualTo("server-error");
                            assertThat(r.detail()).contains("503", "ServiceUnavailable");
                        });
        String id = onlyInvalidation().id();
        assertThat(retried).isEqualTo(PurgeResult.accepted(List.of(id)));
        assertThat(repeated).isEqualTo(retried);
        assertThat(creates()).extracting(RecordedPurge::status).containsExactly(503, 201, 201);
        assertThat(creates())
                .extracting(c -> c.headers().get("CallerReference"))
                .containsOnly(onlyInvalidation().callerReference());
        assertThat(creates()).allSatisfy(c -> assertThat(c.items()).containsExactly("#x"));
        // The repeat came after completion, so this replica counted it again (the README says so).
        assertThat(billed("dist")).isEqualTo(2.0);
    }

    @Test
    void aRequestBeyondTheInProgressBudgetIsHeldBackWithoutCallingCloudFront() throws Exception {
        emulator.completionDelay(Duration.ofSeconds(1));
        Purger small = purger("small");
        assertThat(small.limits().maxTags()).isEqualTo(3);

        CompletableFuture<PurgeResult> first =
                small.purge(
                                request(
                                        "b-1",
                                        SelectorKind.TAG,
                                        PurgeMode.HARD,
                                        new Selector.Tag("a"),
                                        new Selector.Tag("b"),
                                        new Selector.Tag("c")))
                        .subscribeAsCompletionStage();
        await().atMost(TIMEOUT).until(() -> creates().size() == 1);
        await().atMost(TIMEOUT).until(() -> inProgress("small") == 1.0);

        PurgeRequest next = request("b-2", SelectorKind.TAG, PurgeMode.HARD, new Selector.Tag("d"));
        PurgeResult held = send(small, next);

        assertThat(held)
                .isInstanceOfSatisfying(
                        PurgeResult.Retryable.class,
                        r -> {
                            assertThat(r.reason()).isEqualTo("in-progress-limit");
                            assertThat(r.throttled()).isFalse();
                            assertThat(r.retryAfter()).contains(POLL);
                            assertThat(r.detail()).contains("3/3 paths");
                        });
        assertThat(creates()).hasSize(1);
        assertThat(first.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS))
                .isInstanceOf(PurgeResult.Accepted.class);
        assertThat(inProgress("small")).isZero();

        assertThat(send(small, next)).isInstanceOf(PurgeResult.Accepted.class);
        assertThat(creates()).hasSize(2);
        assertThat(billed("small")).isEqualTo(4.0);
    }

    @Test
    void tooManyInvalidationsInProgressFromCloudFrontIsThrottled() throws Exception {
        Purger purger = purger("tight", "/tight");
        CompletableFuture<PurgeResult> first =
                purger.purge(
                                request(
                                        "b-1",
                                        SelectorKind.TAG,
                                        PurgeMode.HARD,
                                        new Selector.Tag("a"),
                                        new Selector.Tag("b")))
                        .subscribeAsCompletionStage();
        await().atMost(TIMEOUT).until(() -> tight.invalidations().size() == 1);

        PurgeResult second =
                send(
                        purger,
                        request("b-2", SelectorKind.TAG, PurgeMode.HARD, new Selector.Tag("c")));

        assertThat(second)
                .isInstanceOfSatisfying(
                        PurgeResult.Retryable.class,
                        r -> {
                            assertThat(r.reason()).isEqualTo("too-many-invalidations");
                            assertThat(r.throttled()).isTrue();
                            assertThat(r.retryAfter()).contains(POLL);
                            assertThat(r.detail()).contains("TooManyInvalidationsInProgress");
                        });
        assertThat(
                        tightRecorder.purges().stream()
                                .filter(p -> p.action().equals("create-invalidation"))
                                .map(RecordedPurge::status))
                .containsExactly(201, 400);
        assertThat(first.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS))
                .isInstanceOf(PurgeResult.Accepted.class);
    }

    @Test
    void aCallerThatStopsWaitingLeavesTheInvalidationFollowedAndARetryJoinsIt() {
        emulator.completionDelay(Duration.ofMillis(800));
        Purger purger = purger("dist");
        PurgeRequest request = attempt("b-cancel", 1);

        PurgeResult timedOut =
                purger.purge(request)
                        .ifNoItem()
                        .after(Duration.ofMillis(150))
                        .recoverWithItem(() -> PurgeResult.retryable("timeout", "gave up"))
                        .await()
                        .atMost(TIMEOUT);
        assertThat(timedOut).isEqualTo(PurgeResult.retryable("timeout", "gave up"));
        assertThat(inProgress("dist")).isEqualTo(1.0);

        PurgeResult joined = send(purger, attempt("b-cancel", 2));

        assertThat(joined).isEqualTo(PurgeResult.accepted(List.of(onlyInvalidation().id())));
        assertThat(creates()).hasSize(1);
        assertThat(inProgress("dist")).isZero();
        assertThat(billed("dist")).isEqualTo(1.0);
    }

    @Test
    void anInvalidationNotCompletedInTimeIsRetryable() {
        emulator.completionDelay(Duration.ofMinutes(5));

        PurgeResult result = send(purger("slow"), attempt("b-slow", 1));

        assertThat(result)
                .isInstanceOfSatisfying(
                        PurgeResult.Retryable.class,
                        r -> {
                            assertThat(r.reason()).isEqualTo("completion-timeout");
                            assertThat(r.throttled()).isFalse();
                            assertThat(r.detail()).contains(onlyInvalidation().id());
                        });
        assertThat(inProgress("slow")).isZero();
    }

    @Test
    void accessDeniedAndInvalidArgumentArePermanent() {
        Purger purger = purger("dist");

        faults.failNext("cloudfront", 403, 1);
        PurgeResult denied = send(purger, attempt("b-403", 1));
        faults.failNext("cloudfront", 400, 1);
        PurgeResult invalid = send(purger, attempt("b-400", 1));

        assertThat(denied)
                .isInstanceOfSatisfying(
                        PurgeResult.Permanent.class, p -> assertThat(p.reason()).isEqualTo("auth"));
        assertThat(invalid)
                .isInstanceOfSatisfying(
                        PurgeResult.Permanent.class,
                        p -> {
                            assertThat(p.reason()).isEqualTo("bad-request");
                            assertThat(p.detail()).contains("InvalidArgument");
                        });
        assertThat(inProgress("dist")).isZero();
    }

    @Test
    void refusedConnectionIsRetryable() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            port = socket.getLocalPort();
        }
        Purger purger =
                create(
                        target("dead"),
                        TestTargetConfig.of("cloudfront")
                                .with("distribution-id", DISTRIBUTION)
                                .with("base-url", "http://127.0.0.1:" + port + "/cloudfront"));

        PurgeResult result = send(purger, attempt("b-dead", 1));

        assertThat(result)
                .isInstanceOfSatisfying(
                        PurgeResult.Retryable.class,
                        r -> assertThat(r.reason()).isEqualTo("connection"));
    }

    @Test
    void factoryDescribesTheTargetAndValidatesItsKeys() {
        Purger purger = purger("dist");

        assertThat(factory.provider()).isEqualTo("cloudfront");
        assertThat(purger.provider()).isEqualTo("cloudfront");
        assertThat(purger.caseInsensitiveTags()).isTrue();
        assertThat(purger.defaultMaxInFlight()).isEqualTo(50);
        assertThat(purger.limits().maxTags()).isEqualTo(1000);
        assertThat(purger.limits().maxUrls()).isEqualTo(1000);
        assertThat(purger.limits().maxPrefixes()).isEqualTo(15);
        assertThat(purger.limits().maxItems(SelectorKind.EVERYTHING)).isEqualTo(1);
        assertThat(purger.rejectReason(new Selector.Tag("t".repeat(257)), PurgeMode.HARD))
                .isPresent();
        assertThat(purger.rejectReason(new Selector.Url("/a"), PurgeMode.SOFT)).isEmpty();
        assertThatThrownBy(() -> create("web", TestTargetConfig.of("cloudfront")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("tagpurge.targets.web.distribution-id");
    }

    @Test
    void aSelectorCloudFrontCannotTakeIsPermanentWithoutARequest() {
        PurgeResult result =
                send(
                        purger("dist"),
                        request("b", SelectorKind.URL, PurgeMode.HARD, new Selector.Url("/a*b")));

        assertThat(result)
                .isInstanceOfSatisfying(
                        PurgeResult.Permanent.class,
                        p -> assertThat(p.reason()).isEqualTo("bad-request"));
        assertThat(recorder.purges()).isEmpty();
    }

    private Purger purger(String name) {
        return purger(name, "/cloudfront");
    }

    private Purger purger(String name, String root) {
        return create(
                target(name),
                TestTargetConfig.of("cloudfront")
                        .with("distribution-id", DISTRIBUTION)
                        .with("base-url", "http://127.0.0.1:" + server.actualPort() + root));
    }

    private static PurgeRequest attempt(String batchId, int attempt) {
        return new PurgeRequest(
                batchId,
                "dist",
                SelectorKind.TAG,
                PurgeMode.HARD,
                List.of(new Selector.Tag("x")),
                attempt);
    }

    private static PurgeResult send(Purger purger, PurgeRequest request) {
        return purger.purge(request).await().atMost(TIMEOUT);
    }

    private static List<RecordedPurge> creates() {
        return recorder.purges().stream()
                .filter(p -> p.action().equals("create-invalidation"))
                .toList();
    }

    private static CloudFrontInvalidation onlyInvalidation() {
        assertThat(emulator.invalidations()).hasSize(1);
        return emulator.invalidations().getFirst();
    }

    private String target(String name) {
        return name + "-" + run;
    }

    private double billed(String name) {
        return registry.get(CloudFrontMetrics.PATHS_BILLED)
                .tag("target", target(name))
                .tag("distribution", DISTRIBUTION)
                .gauge()
                .value();
    }

    private double inProgress(String name) {
        return registry.get(CloudFrontMetrics.INVALIDATIONS_IN_PROGRESS)
                .tag("target", target(name))
                .gauge()
                .value();
    }

    /**
     * The purger of target {@code name}, polling every 50 ms; target {@code small-*} keeps 3 paths
     * in progress, {@code slow-*} waits 300 ms.
     */
    private static Purger create(String name, TestTargetConfig config) {
        TestTargetConfig timed = config.with("poll-interval", "50ms");
        if (name.startsWith("small-")) {
            timed = timed.with("max-paths-in-progress", "3");
        }
        if (name.startsWith("slow-")) {
            timed = timed.with("completion-timeout", "300ms");
        }
        return factory.create(name, TARGETS.put(name, timed));
    }
}
