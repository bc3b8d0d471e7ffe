package dev.tagpurge.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.tagpurge.purge.akamai.AkamaiTestServer;
import dev.tagpurge.purge.akamai.EdgeGridReference;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The Akamai Fast Purge emulator over HTTP: routes, EdgeGrid verification, body limits and
 * validation, problem+json errors, faults and what it records. Requests are signed with the
 * independent {@link EdgeGridReference}, not with the library the emulator verifies with.
 */
class AkamaiEmulatorTest {

    private static final String TAGS = "/ccu/v3/delete/tag/production";

    private static Vertx vertx;
    private static AkamaiTestServer server;
    private static SandboxHttp http;

    @BeforeAll
    static void start() {
        vertx = Vertx.vertx();
        server =
                AkamaiTestServer.start(vertx, AkamaiEmulatorSettings.defaults(), Clock.systemUTC());
        http = new SandboxHttp(server.baseUrl());
    }

    @AfterAll
    static void stop() {
        server.close();
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }

    @BeforeEach
    void reset() {
        server.reset();
    }

    @Test
    void anAcceptedPurgeAnswers201WithAPurgeIdAndIsRecorded() {
        HttpResponse<String> response = post(TAGS, objects("a", "B"));

        assertThat(response.statusCode()).isEqualTo(201);
        assertThat(response.headers().firstValue("Content-Type")).contains("application/json");
        JsonObject body = new JsonObject(response.body());
        assertThat(body.getInteger("httpStatus")).isEqualTo(201);
        assertThat(body.getString("detail")).isEqualTo("Request accepted");
        assertThat(body.getInteger("estimatedSeconds")).isEqualTo(5);
        assertThat(UUID.fromString(body.getString("purgeId"))).isNotNull();
        assertThat(body.getString("supportId")).isNotBlank();
        RecordedPurge purge = onlyPurge();
        assertThat(purge.provider()).isEqualTo("akamai");
        assertThat(purge.method()).isEqualTo("POST");
        assertThat(purge.path()).isEqualTo(TAGS);
        assertThat(purge.action()).isEqualTo("delete/tag");
        assertThat(purge.items()).containsExactly("a", "B");
        assertThat(purge.soft()).isFalse();
        assertThat(purge.authPresent()).isTrue();
        assertThat(purge.status()).isEqualTo(201);
        assertThat(purge.toJson().encode()).doesNotContain("EG1-HMAC-SHA256");
    }

    @Test
    void everyOperationObjectTypeAndNetworkIsServed() {
        assertThat(
                        post("/ccu/v3/invalidate/url/staging", objects("https://h.example/p"))
                                .statusCode())
                .isEqualTo(201);
        assertThat(
                        post("/ccu/v3/delete/cpcode/production", "{\"objects\":[12345,\"678\"]}")
                                .statusCode())
                .isEqualTo(201);
        assertThat(post("/ccu/v3/invalidate/tag/staging", objects("t")).statusCode())
                .isEqualTo(201);

        assertThat(server.recorder().purges())
                .extracting(RecordedPurge::action, RecordedPurge::soft)
                .containsExactly(
                        tuple("invalidate/url", true),
                        tuple("delete/cpcode", false),
                        tuple("invalidate/tag", true));
        assertThat(server.recorder().purges().get(1).items()).containsExactly("12345", "678");
    }

    @Test
    void aMissingOrWrongSignatureIs401ProblemJson() {
        String body = objects("a");
        String signed =
                sign(TAGS, body, server.host(), AkamaiEmulatorSettings.DEFAULT_CLIENT_SECRET);

        List<HttpResponse<String>> responses =
                List.of(
                        http.post(TAGS, body, "Content-Type", "application/json"),
                        http.post(
                                TAGS,
                                body,
                                "Authorization",
                                sign(TAGS, body, server.host(), "bad")),
                        // The body or the path changed after signing.
                        http.post(TAGS, objects("b"), "Authorization", signed),
                        http.post("/ccu/v3/delete/tag/staging", body, "Authorization", signed),
                        // Signed for another host.
                        http.post(
                                TAGS, body, "Authorization", sign(TAGS, body, "127.0.0.1:1", null)),
                        http.post(
                                TAGS,
                                body,
                                "Authorization",
                                signed.replace("client_token=akab-sandbox", "client_token=other")));

        for (HttpResponse<String> response : responses) {
            assertThat(response.statusCode()).isEqualTo(401);
            assertProblem(response, 401);
        }
        assertThat(new JsonObject(responses.get(0).body()).getString("detail"))
                .contains("Missing or malformed");
        assertThat(new JsonObject(responses.get(1).body()).getString("detail"))
                .isEqualTo("The signature does not match");
        assertThat(new JsonObject(responses.get(5).body()).getString("detail"))
                .isEqualTo("Invalid authorization client token");
        assertThat(server.recorder().purges())
                .extracting(RecordedPurge::authPresent)
                .containsExactly(false, true, true, true, true, true);
        assertThat(responses.stream().map(HttpResponse::body).toList().toString())
                .doesNotContain(AkamaiEmulatorSettings.DEFAULT_CLIENT_SECRET);
    }

    @Test
    void bodiesOver50000BytesAre413() {
        // {"objects":["<url>"]} is the URL plus 16 bytes.
        String url = "https://h.example/" + "x".repeat(50_000 - 16 - 18);
        String atLimit = objects(url);
        String overLimit = objects(url + "y");
        assertThat(atLimit.getBytes(StandardCharsets.UTF_8)).hasSize(50_000);

        HttpResponse<String> accepted = post("/ccu/v3/delete/url/production", atLimit);
        HttpResponse<String> tooLarge = post("/ccu/v3/delete/url/production", overLimit);

        assertThat(accepted.statusCode()).isEqualTo(201);
        assertThat(tooLarge.statusCode()).isEqualTo(413);
        assertProblem(tooLarge, 413);
    }

    @Test
    void malformedBodiesAndBadObjectsAre400AndOneBadObjectFailsTheRequest() {
        List<HttpResponse<String>> bad =
                List.of(
                        post(TAGS, "{not json"),
                        post(TAGS, "{\"objects\":[]}"),
                        post(TAGS, "{\"items\":[\"a\"]}"),
                        post(TAGS, objects("ok", "t".repeat(129))),
                        post(TAGS, "{\"objects\":[\"a\",42]}"),
                        post("/ccu/v3/delete/cpcode/production", "{\"objects\":[123,\"abc\"]}"),
                        post("/ccu/v3/delete/cpcode/production", "{\"objects\":[1.5]}"),
                        post(
                                "/ccu/v3/delete/url/production",
                                objects("/relative/without/hostname")));

        for (HttpResponse<String> response : bad) {
            assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
            assertProblem(response, 400);
        }
        assertThat(new JsonObject(bad.get(3).body()).getString("detail")).contains("128");
        assertThat(post(TAGS, objects("t".repeat(128))).statusCode()).isEqualTo(201);
        assertThat(
                        post(
                                        "/ccu/v3/delete/url/production",
                                        "{\"hostname\":\"h.example\",\"objects\":[\"/p\"]}")
                                .statusCode())
                .isEqualTo(201);
    }

    @Test
    void unknownRoutesAre404AndNotRecorded() {
        assertThat(post("/ccu/v3/remove/tag/production", objects("a")).statusCode()).isEqualTo(404);
        assertThat(post("/ccu/v3/delete/prefix/production", objects("a")).statusCode())
                .isEqualTo(404);
        assertThat(post("/ccu/v3/delete/tag/prod", objects("a")).statusCode()).isEqualTo(404);
        assertThat(http.get(TAGS).statusCode()).isEqualTo(404);
        assertThat(server.recorder().purges()).isEmpty();
    }

    @Test
    void faultsApplyBeforeAuthenticationAndAreRecorded() {
        server.faults().failNext("akamai", 503, 1);

        HttpResponse<String> unsigned = http.post(TAGS, objects("a"));

        assertThat(unsigned.statusCode()).isEqualTo(503);
        assertProblem(unsigned, 503);
        assertThat(onlyPurge().status()).isEqualTo(503);
        server.faults().failNext("akamai", 429, 1);
        HttpResponse<String> throttled = post(TAGS, objects("a"));
        assertThat(throttled.statusCode()).isEqualTo(429);
        assertThat(throttled.headers().firstValue("Retry-After")).contains("1");
    }

    /** A POST signed with the sandbox's default credential, as a client would send it. */
    private static HttpResponse<String> post(String path, String body) {
        return http.post(
                path,
                body,
                "Authorization",
                sign(path, body, server.host(), AkamaiEmulatorSettings.DEFAULT_CLIENT_SECRET),
                "Content-Type",
                "application/json");
    }

    static String sign(String path, String body, String host, String secret) {
        return EdgeGridReference.authorization(
                AkamaiEmulatorSettings.DEFAULT_CLIENT_TOKEN,
                secret == null ? AkamaiEmulatorSettings.DEFAULT_CLIENT_SECRET : secret,
                AkamaiEmulatorSettings.DEFAULT_ACCESS_TOKEN,
                host,
                "POST",
                AkamaiTestServer.ROOT + path,
                body.getBytes(StandardCharsets.UTF_8),
                EdgeGridReference.timestamp(Instant.now()),
                UUID.randomUUID().toString(),
                EdgeGridReference.MAX_BODY);
    }

    static String objects(String... values) {
        return new JsonObject().put("objects", new JsonArray(List.of((Object[]) values))).encode();
    }

    private static void assertProblem(HttpResponse<String> response, int status) {
        assertThat(response.headers().firstValue("Content-Type"))
                .contains("application/problem+json");
        JsonObject problem = new JsonObject(response.body());
        assertThat(problem.getString("type")).startsWith("https://");
        assertThat(problem.getString("title")).isNotBlank();
        assertThat(problem.getString("detail")).isNotBlank();
        assertThat(problem.getInteger("status")).isEqualTo(status);
    }

    private static RecordedPurge onlyPurge() {
        assertThat(server.recorder().purges()).hasSize(1);
        return server.recorder().purges().getFirst();
    }
}
