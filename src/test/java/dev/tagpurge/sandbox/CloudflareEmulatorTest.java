package dev.tagpurge.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The Cloudflare emulator over HTTP: paths, auth, body validation, envelopes and records. */
class CloudflareEmulatorTest {

    private static final String TOKEN = "tok-1";
    private static final String ZONE = "023e105f4ecef8ad9ca31a8372d0c353";
    private static final String PURGE = "/zones/" + ZONE + "/purge_cache";
    private static final String INVALIDATE = "/zones/" + ZONE + "/invalidate_cache";
    private static final String[] AUTH = {
        "Authorization", "Bearer " + TOKEN, "Content-Type", "application/json"
    };

    private static Vertx vertx;
    private static HttpServer server;
    private static PurgeRecorder recorder;
    private static FaultInjector faults;
    private static CloudflareEmulator emulator;
    private static SandboxHttp http;

    @BeforeAll
    static void start() {
        vertx = Vertx.vertx();
        recorder = new PurgeRecorder();
        faults = new FaultInjector();
        emulator =
                new CloudflareEmulator(
                        CloudflareEmulatorSettings.defaults().withAcceptedTokens(TOKEN),
                        recorder,
                        faults,
                        Clock.systemUTC());
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

    @AfterAll
    static void stop() {
        server.close().toCompletionStage().toCompletableFuture().join();
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }

    @BeforeEach
    void reset() {
        recorder.clear();
        faults.clear();
        emulator.reset();
    }

    @Test
    void tagPurgeAnswersTheSuccessEnvelopeWithAHexId() {
        HttpResponse<String> response = http.post(PURGE, list("tags", 3), AUTH);

        assertThat(response.statusCode()).isEqualTo(200);
        JsonObject body = new JsonObject(response.body());
        assertThat(body.getBoolean("success")).isTrue();
        assertThat(body.getJsonArray("errors")).isEmpty();
        assertThat(body.getJsonArray("messages")).isEmpty();
        assertThat(body.getJsonObject("result").getString("id")).matches("[0-9a-f]{32}");
        assertThat(response.headers().firstValue("x-ratelimit-limit")).contains("500");
        assertThat(response.headers().firstValue("x-ratelimit-remaining")).contains("499");
        RecordedPurge purge = onlyPurge();
        assertThat(purge.provider()).isEqualTo("cloudflare");
        assertThat(purge.method()).isEqualTo("POST");
        assertThat(purge.path()).isEqualTo(PURGE);
        assertThat(purge.action()).isEqualTo("tags");
        assertThat(purge.items()).containsExactly("i0", "i1", "i2");
        assertThat(purge.soft()).isFalse();
        assertThat(purge.authPresent()).isTrue();
        assertThat(purge.headers()).containsEntry("Content-Type", "application/json");
        assertThat(purge.status()).isEqualTo(200);
    }

    @Test
    void everySelectorTypeIsRecordedUnderItsActionAndInvalidateIsSoft() {
        http.post(
                PURGE,
                "{\"files\":[\"https://www.example.com/a\","
                        + "{\"url\":\"https://www.example.com/b\",\"headers\":{\"CF-IPCountry\":\"US\"}}]}",
                AUTH);
        http.post(INVALIDATE, "{\"prefixes\":[\"www.example.com/p/\"]}", AUTH);
        http.post(PURGE, "{\"hosts\":[\"www.example.com\"]}", AUTH);
        http.post(INVALIDATE, "{\"purge_everything\":true}", AUTH);

        assertThat(recorder.purges())
                .extracting(
                        RecordedPurge::action,
                        RecordedPurge::items,
                        RecordedPurge::soft,
                        RecordedPurge::status)
                .containsExactly(
                        tuple(
                                "files",
                                List.of("https://www.example.com/a", "https://www.example.com/b"),
                                false,
                                200),
                        tuple("prefixes", List.of("www.example.com/p/"), true, 200),
                        tuple("hosts", List.of("www.example.com"), false, 200),
                        tuple("everything", List.of(), true, 200));
    }

    @Test
    void missingWrongOrNonBearerCredentialsAreAnAuthenticationError() {
        HttpResponse<String> missing = http.post(PURGE, list("tags", 1));
        HttpResponse<String> wrong =
                http.post(PURGE, list("tags", 1), "Authorization", "Bearer other-token");
        HttpResponse<String> basic =
                http.post(PURGE, list("tags", 1), "Authorization", "Basic " + TOKEN);

        for (HttpResponse<String> response : List.of(missing, wrong, basic)) {
            assertThat(response.statusCode()).isEqualTo(403);
            assertThat(new JsonObject(response.body()))
                    .isEqualTo(
                            new JsonObject(
                                    "{\"success\":false,\"errors\":[{\"code\":10000,"
                                            + "\"message\":\"Authentication error\"}],"
                                            + "\"messages\":[],\"result\":null}"));
        }
        assertThat(recorder.purges())
                .extracting(RecordedPurge::authPresent, RecordedPurge::status)
                .containsExactly(tuple(false, 403), tuple(true, 403), tuple(true, 403));
        assertThat(recorder.purges().toString()).doesNotContain("other-token");
    }

    @Test
    void purgeEverythingMixedWithAnotherTypeIsError1092() {
        HttpResponse<String> mixed =
                http.post(PURGE, "{\"purge_everything\":true,\"tags\":[\"a\"]}", AUTH);
        HttpResponse<String> twoTypes =
                http.post(PURGE, "{\"tags\":[\"a\"],\"files\":[\"https://h/a\"]}", AUTH);
        HttpResponse<String> none = http.post(PURGE, "{}", AUTH);

        for (HttpResponse<String> response : List.of(mixed, twoTypes, none)) {
            assertThat(response.statusCode()).isEqualTo(400);
            assertThat(errorCode(response)).isEqualTo(1092);
            assertThat(new JsonObject(response.body()).getBoolean("success")).isFalse();
        }
        assertThat(recorder.purges()).extracting(RecordedPurge::action).containsOnly("invalid");
    }

    @Test
    void malformedBodiesAreBadRequests() {
        assertThat(errorCode(http.post(PURGE, "{\"tags\":\"a\"}", AUTH))).isEqualTo(1014);
        assertThat(http.post(PURGE, "{not json", AUTH).statusCode()).isEqualTo(400);
        assertThat(http.post(PURGE, "[\"a\"]", AUTH).statusCode()).isEqualTo(400);
        assertThat(http.post(PURGE, "{\"tags\":[]}", AUTH).statusCode()).isEqualTo(400);
        assertThat(http.post(PURGE, "{\"tags\":[1]}", AUTH).statusCode()).isEqualTo(400);
        assertThat(http.post(PURGE, "{\"purge_everything\":false}", AUTH).statusCode())
                .isEqualTo(400);
        assertThat(recorder.purges()).extracting(RecordedPurge::status).containsOnly(400);
    }

    @Test
    void itemsPerRequestFollowThePlan() {
        assertThat(http.post(PURGE, list("tags", 100), AUTH).statusCode()).isEqualTo(200);
        assertThat(http.post(PURGE, list("prefixes", 100), AUTH).statusCode()).isEqualTo(200);
        assertThat(http.post(PURGE, urls(500), AUTH).statusCode()).isEqualTo(200);

        HttpResponse<String> tags = http.post(PURGE, list("tags", 101), AUTH);
        HttpResponse<String> files = http.post(PURGE, urls(501), AUTH);

        assertThat(tags.statusCode()).isEqualTo(400);
        assertThat(errorMessage(tags))
                .isEqualTo("Too many tags in one request: 101, the enterprise plan allows 100");
        assertThat(files.statusCode()).isEqualTo(400);
        assertThat(errorMessage(files)).contains("allows 500");
    }

    @Test
    void prefixesMustBeHostAndPathWithoutSchemeOrQuery() {
        HttpResponse<String> scheme =
                http.post(PURGE, "{\"prefixes\":[\"https://www.example.com/p/\"]}", AUTH);
        HttpResponse<String> query =
                http.post(PURGE, "{\"prefixes\":[\"www.example.com/p/?a=1\"]}", AUTH);
        HttpResponse<String> path = http.post(PURGE, "{\"prefixes\":[\"/p/\"]}", AUTH);

        assertThat(List.of(scheme, query, path))
                .extracting(HttpResponse::statusCode)
                .containsOnly(400);
        assertThat(errorMessage(scheme)).startsWith("prefixes must not include a scheme");
        assertThat(errorMessage(query)).startsWith("prefixes must not include a query string");
        assertThat(errorMessage(path)).startsWith("prefixes must start with a host name");
    }

    @Test
    void tagsOver1024CharactersAndRelativeFilesAreRefused() {
        assertThat(http.post(PURGE, one("tags", "t".repeat(1024)), AUTH).statusCode())
                .isEqualTo(200);
        assertThat(http.post(PURGE, one("tags", "t".repeat(1025)), AUTH).statusCode())
                .isEqualTo(400);
        assertThat(http.post(PURGE, one("files", "/p/1"), AUTH).statusCode()).isEqualTo(400);
        assertThat(http.post(PURGE, one("files", "www.example.com/p/1"), AUTH).statusCode())
                .isEqualTo(400);
    }

    @Test
    void anInvalidZoneIdCannotBeRouted() {
        HttpResponse<String> response =
                http.post("/zones/example.com/purge_cache", list("tags", 1), AUTH);

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(errorCode(response)).isEqualTo(7003);
    }

    @Test
    void faultsApplyBeforeValidationAndAreRecorded() {
        faults.failNext("cloudflare", 429, 1);

        HttpResponse<String> throttled = http.post(PURGE, list("tags", 1));
        HttpResponse<String> normal = http.post(PURGE, list("tags", 1), AUTH);

        assertThat(throttled.statusCode()).isEqualTo(429);
        assertThat(throttled.headers().firstValue("Retry-After")).contains("1");
        assertThat(errorCode(throttled)).isEqualTo(1134);
        assertThat(normal.statusCode()).isEqualTo(200);
        assertThat(recorder.purges()).extracting(RecordedPurge::status).containsExactly(429, 200);

        faults.failNext("cloudflare", 503, 1);
        HttpResponse<String> unavailable = http.post(PURGE, list("tags", 1), AUTH);
        assertThat(unavailable.statusCode()).isEqualTo(503);
        assertThat(new JsonObject(unavailable.body()).getBoolean("success")).isFalse();
    }

    @Test
    void unknownPathsAndMethodsAreNotFoundAndNotRecorded() {
        HttpResponse<String> unknown = http.post("/zones/" + ZONE + "/purge", "{}", AUTH);
        HttpResponse<String> get = http.get(PURGE);

        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(errorCode(unknown)).isEqualTo(7000);
        assertThat(get.statusCode()).isEqualTo(404);
        assertThat(recorder.purges()).isEmpty();
    }

    private static String list(String field, int count) {
        JsonArray items = new JsonArray();
        IntStream.range(0, count)
                .forEach(i -> items.add(field.equals("prefixes") ? "h.example/i" + i : "i" + i));
        return new JsonObject().put(field, items).encode();
    }

    private static String urls(int count) {
        JsonArray files = new JsonArray();
        IntStream.range(0, count).forEach(i -> files.add("https://www.example.com/p/" + i));
        return new JsonObject().put("files", files).encode();
    }

    private static String one(String field, String item) {
        return new JsonObject().put(field, new JsonArray().add(item)).encode();
    }

    private static int errorCode(HttpResponse<String> response) {
        return new JsonObject(response.body())
                .getJsonArray("errors")
                .getJsonObject(0)
                .getInteger("code");
    }

    private static String errorMessage(HttpResponse<String> response) {
        return new JsonObject(response.body())
                .getJsonArray("errors")
                .getJsonObject(0)
                .getString("message");
    }

    private static RecordedPurge onlyPurge() {
        assertThat(recorder.purges()).hasSize(1);
        return recorder.purges().getFirst();
    }
}
