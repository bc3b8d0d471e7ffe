package dev.tagpurge.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.tagpurge.testing.MutableClock;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The CloudFront emulator over HTTP: REST-XML shapes, validation, idempotency, limits, faults. */
class CloudFrontEmulatorTest {

    private static final String AUTH = "Authorization";
    private static final String SIGV4 =
            "AWS4-HMAC-SHA256 Credential=test/20261101/us-east-1/cloudfront/aws4_request,"
                    + " SignedHeaders=host;x-amz-date, Signature=abc";
    private static final String DIST = "EDFDVBD6EXAMPLE";
    private static final String CREATE = "/2020-05-31/distribution/" + DIST + "/invalidation";

    private static final MutableClock CLOCK =
            new MutableClock(Instant.parse("2026-11-02T10:00:00Z"));
    private static Vertx vertx;
    private static HttpServer server;
    private static PurgeRecorder recorder;
    private static FaultInjector faults;
    private static CloudFrontEmulator emulator;
    private static SandboxHttp http;

    @BeforeAll
    static void start() throws Exception {
        vertx = Vertx.vertx();
        recorder = new PurgeRecorder();
        faults = new FaultInjector();
        emulator =
                new CloudFrontEmulator(
                        CloudFrontEmulatorSettings.defaults()
                                .withCompletionDelay(Duration.ofSeconds(20))
                                .withMaxPathsInProgress(5)
                                .withMaxWildcardsInProgress(2),
                        recorder,
                        faults,
                        CLOCK);
        Router router = Router.router(vertx);
        router.route("/cloudfront/*").handler(BodyHandler.create());
        emulator.mount(router, "/cloudfront");
        server =
                vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0))
                        .requestHandler(router)
                        .listen()
                        .toCompletionStage()
                        .toCompletableFuture()
                        .get(10, TimeUnit.SECONDS);
        http = new SandboxHttp("http://127.0.0.1:" + server.actualPort() + "/cloudfront");
    }

    @AfterAll
    static void stop() throws Exception {
        server.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @BeforeEach
    void reset() {
        recorder.clear();
        faults.clear();
        emulator.reset();
    }

    @Test
    void createAnswers201WithLocationAndTheInvalidationInProgress() {
        HttpResponse<String> response = create("ref-1", "/a", "#product-42");

        assertThat(response.statusCode()).isEqualTo(201);
        String id = text(response.body(), "Id");
        assertThat(id).matches("I[A-Z0-9]{13}");
        assertThat(response.headers().firstValue("Location"))
                .hasValue(
                        "http://127.0.0.1:"
                                + server.actualPort()
                                + "/cloudfront"
                                + CREATE
                                + "/"
                                + id);
        assertThat(response.headers().firstValue("x-amzn-RequestId")).isPresent();
        assertThat(response.headers().firstValue("Content-Type")).hasValue("text/xml");
        assertThat(response.body())
                .contains(
                        "<Invalidation xmlns=\"http://cloudfront.amazonaws.com/doc/2020-05-31/\">",
                        "<Status>InProgress</Status>",
                        "<CreateTime>" + CLOCK.instant() + "</CreateTime>",
                        "<Paths><Quantity>2</Quantity><Items><Path>/a</Path>"
                                + "<Path>#product-42</Path></Items></Paths>",
                        "<CallerReference>ref-1</CallerReference>");
        RecordedPurge purge = recorder.purges().getFirst();
        assertThat(purge.provider()).isEqualTo("cloudfront");
        assertThat(purge.method()).isEqualTo("POST");
        assertThat(purge.path()).isEqualTo(CREATE);
        assertThat(purge.action()).isEqualTo("create-invalidation");
        assertThat(purge.items()).containsExactly("/a", "#product-42");
        assertThat(purge.headers()).containsEntry("CallerReference", "ref-1");
        assertThat(purge.authPresent()).isTrue();
        assertThat(purge.soft()).isFalse();
        assertThat(purge.status()).isEqualTo(201);
        assertThat(purge.toJson().encode()).doesNotContain("Signature=abc");
    }

    @Test
    void getSaysInProgressUntilTheCompletionDelayHasPassed() {
        String id = text(create("ref-1", "/a").body(), "Id");

        HttpResponse<String> early = http.send("GET", CREATE + "/" + id, "", AUTH, SIGV4);
        CLOCK.advance(Duration.ofSeconds(20));
        HttpResponse<String> late = http.send("GET", CREATE + "/" + id, "", AUTH, SIGV4);

        assertThat(early.statusCode()).isEqualTo(200);
        assertThat(text(early.body(), "Status")).isEqualTo("InProgress");
        assertThat(text(late.body(), "Status")).isEqualTo("Completed");
        assertThat(text(late.body(), "Id")).isEqualTo(id);
        assertThat(recorder.purges())
                .extracting(RecordedPurge::action)
                .containsExactly("create-invalidation", "get-invalidation", "get-invalidation");
        assertThat(recorder.purges().getLast().items()).isEmpty();
        assertThat(emulator.invalidations().getFirst().status(CLOCK.instant()))
                .isEqualTo("Completed");
    }

    @Test
    void sameReferenceWithTheSamePathsReturnsTheExistingInvalidation() {
        String id = text(create("ref-1", "/a", "/b").body(), "Id");

        HttpResponse<String> again = create("ref-1", "/b", "/a");

        assertThat(again.statusCode()).isEqualTo(201);
        assertThat(text(again.body(), "Id")).isEqualTo(id);
        assertThat(emulator.invalidations()).hasSize(1);
    }

    @Test
    void sameReferenceWithOtherPathsIsInvalidationBatchAlreadyExists() {
        create("ref-1", "/a");

        HttpResponse<String> conflict = create("ref-1", "/other");

        assertError(conflict, 409, "InvalidationBatchAlreadyExists");
        assertThat(emulator.invalidations()).hasSize(1);
    }

    @Test
    void quantityMustMatchTheItems() {
        HttpResponse<String> response =
                http.send(
                        "POST",
                        CREATE,
                        "<InvalidationBatch><Paths><Quantity>3</Quantity><Items><Path>/a</Path>"
                                + "</Items></Paths><CallerReference>r</CallerReference>"
                                + "</InvalidationBatch>",
                        AUTH,
                        SIGV4);

        assertError(response, 400, "InconsistentQuantities");
    }

    @Test
    void invalidPathsAndTagsAreInvalidArgument() {
        for (String bad :
                List.of(
                        "no-slash",
                        "/a*b",
                        "/" + "a".repeat(4000),
                        "/ü",
                        "/with space",
                        "#" + "t".repeat(257),
                        "#tag*",
                        "#a,b",
                        "#")) {
            HttpResponse<String> response = create("ref-" + bad.hashCode(), bad);
            assertError(response, 400, "InvalidArgument");
            assertThat(text(response.body(), "Message"))
                    .startsWith("Your request contains one or more invalid invalidation paths.");
        }
        assertThat(create("ok-1", "/" + "a".repeat(3999)).statusCode()).isEqualTo(201);
        CLOCK.advance(Duration.ofSeconds(20));
        assertThat(create("ok-2", "#" + "t".repeat(256), "/p/*").statusCode()).isEqualTo(201);
        assertThat(emulator.invalidations()).hasSize(2);
    }

    @Test
    void inProgressPathsAndWildcardsAreLimitedPerDistribution() {
        assertThat(create("r1", "/a", "/b", "#c").statusCode()).isEqualTo(201);
        assertThat(create("r2", "/d/*", "/*").statusCode()).isEqualTo(201);

        HttpResponse<String> paths = create("r3", "/e");
        HttpResponse<String> otherDistribution =
                http.send(
                        "POST",
                        "/2020-05-31/distribution/EOTHER/invalidation",
                        batch("r3", "/e"),
                        AUTH,
                        SIGV4);
        CLOCK.advance(Duration.ofSeconds(20));
        HttpResponse<String> afterCompletion = create("r4", "/e", "/f/*", "/*");

        assertError(paths, 400, "TooManyInvalidationsInProgress");
        assertThat(otherDistribution.statusCode()).isEqualTo(201);
        assertThat(afterCompletion.statusCode()).isEqualTo(201);
        assertError(create("r5", "/g*"), 400, "TooManyInvalidationsInProgress");
    }

    @Test
    void aBatchLargerThanTheLimitIsBatchTooLarge() {
        String[] six = IntStream.range(0, 6).mapToObj(i -> "/p" + i).toArray(String[]::new);

        assertError(create("r", six), 413, "BatchTooLarge");
    }

    @Test
    void requestsWithoutSigV4AreRefused() {
        HttpResponse<String> none = http.send("POST", CREATE, batch("r", "/a"));
        HttpResponse<String> bearer = http.send("POST", CREATE, batch("r", "/a"), AUTH, "Bearer x");

        assertError(none, 403, "MissingAuthenticationToken");
        assertError(bearer, 403, "IncompleteSignature");
        assertThat(recorder.purges())
                .extracting(RecordedPurge::authPresent, RecordedPurge::status)
                .containsExactly(tuple(false, 403), tuple(true, 403));
        assertThat(emulator.invalidations()).isEmpty();
    }

    @Test
    void missingMalformedAndDtdBodiesAreRefused() {
        assertError(http.send("POST", CREATE, "", AUTH, SIGV4), 400, "MissingBody");
        assertError(http.send("POST", CREATE, "<Invalid", AUTH, SIGV4), 400, "MalformedInput");
        String xxe =
                "<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]>"
                        + "<InvalidationBatch><CallerReference>&e;</CallerReference>"
                        + "</InvalidationBatch>";
        HttpResponse<String> dtd = http.send("POST", CREATE, xxe, AUTH, SIGV4);
        assertError(dtd, 400, "MalformedInput");
        assertThat(dtd.body()).doesNotContain("root:");
        assertError(
                http.send(
                        "POST",
                        CREATE,
                        "<InvalidationBatch><Paths><Quantity>1</Quantity><Items><Path>/a</Path>"
                                + "</Items></Paths></InvalidationBatch>",
                        AUTH,
                        SIGV4),
                400,
                "InvalidArgument");
    }

    @Test
    void unknownInvalidationIsNoSuchInvalidation() {
        assertError(
                http.send("GET", CREATE + "/INOPE", "", AUTH, SIGV4), 404, "NoSuchInvalidation");
    }

    @Test
    void faultsComeFirstAndAreRecordedWithTheRequestedPaths() {
        faults.failNext("cloudfront", 503, 1);

        HttpResponse<String> failed = create("ref-1", "/a");
        HttpResponse<String> ok = create("ref-1", "/a");

        assertError(failed, 503, "ServiceUnavailable");
        assertThat(text(failed.body(), "Type")).isEqualTo("Receiver");
        assertThat(ok.statusCode()).isEqualTo(201);
        assertThat(recorder.purges())
                .extracting(RecordedPurge::status, RecordedPurge::items)
                .containsExactly(tuple(503, List.of("/a")), tuple(201, List.of("/a")));
    }

    @Test
    void completionDelayCanBeChangedAndResetRestoresIt() {
        emulator.completionDelay(Duration.ZERO);
        String id = text(create("r", "/a").body(), "Id");

        assertThat(text(http.send("GET", CREATE + "/" + id, "", AUTH, SIGV4).body(), "Status"))
                .isEqualTo("Completed");
        emulator.reset();
        assertThat(emulator.completionDelay()).isEqualTo(Duration.ofSeconds(20));
        assertThat(emulator.invalidations()).isEmpty();
    }

    @Test
    void unknownPathsAreNotFoundAndNotRecorded() {
        assertThat(
                        http.send("GET", "/2020-05-31/distribution/" + DIST, "", AUTH, SIGV4)
                                .statusCode())
                .isEqualTo(404);
        assertThat(http.send("DELETE", CREATE, "", AUTH, SIGV4).statusCode()).isEqualTo(404);
        assertThat(recorder.purges()).isEmpty();
    }

    private static HttpResponse<String> create(String reference, String... paths) {
        return http.send("POST", CREATE, batch(reference, paths), AUTH, SIGV4);
    }

    /** The body exactly as the AWS SDK for Java v2 writes it. */
    private static String batch(String reference, String... paths) {
        String items =
                List.of(paths).stream()
                        .map(p -> "<Path>" + CloudFrontXml.escape(p) + "</Path>")
                        .collect(Collectors.joining());
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?><InvalidationBatch"
                + " xmlns=\"http://cloudfront.amazonaws.com/doc/2020-05-31/\"><Paths><Quantity>"
                + paths.length
                + "</Quantity><Items>"
                + items
                + "</Items></Paths><CallerReference>"
                + reference
                + "</CallerReference></InvalidationBatch>";
    }

    private static void assertError(HttpResponse<String> response, int status, String code) {
        assertThat(response.statusCode()).isEqualTo(status);
        assertThat(response.headers().firstValue("x-amzn-RequestId")).isPresent();
        assertThat(response.body())
                .startsWith("<?xml version=\"1.0\" encoding=\"UTF-8\"?><ErrorResponse")
                .contains("<Code>" + code + "</Code>");
        assertThat(text(response.body(), "RequestId"))
                .isEqualTo(response.headers().firstValue("x-amzn-RequestId").orElseThrow());
        assertThat(text(response.body(), "Type")).isIn("Sender", "Receiver");
    }

    private static String text(String xml, String element) {
        Matcher m = Pattern.compile("<" + element + ">([^<]*)</" + element + ">").matcher(xml);
        assertThat(m.find()).as("<%s> in %s", element, xml).isTrue();
        return m.group(1);
    }
}
