package dev.tagpurge.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The Fastly emulator over HTTP: paths, auth, validation, soft purge and what it records. */
class SandboxFastlyTest {

    private static final String KEY = "Fastly-Key";
    private static final String TOKEN = "tok-1";

    private static Vertx vertx;
    private static SandboxServer server;
    private static SandboxHttp http;

    @BeforeAll
    static void start() {
        vertx = Vertx.vertx();
        server =
                SandboxServer.start(
                        vertx,
                        0,
                        new CdnSandbox(
                                SandboxSettings.defaults()
                                        .withFastly(
                                                FastlyEmulatorSettings.defaults()
                                                        .withAcceptedTokens(TOKEN))));
        http = new SandboxHttp(server.fastlyUrl());
    }

    @AfterAll
    static void stop() {
        server.close();
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }

    @BeforeEach
    void reset() {
        server.sandbox().reset();
    }

    @Test
    void bulkPurgeAnswersAPurgeIdPerKey() {
        HttpResponse<String> response =
                http.post(
                        "/service/SVC/purge",
                        keysBody(3),
                        KEY,
                        TOKEN,
                        "Content-Type",
                        "application/json");

        assertThat(response.statusCode()).isEqualTo(200);
        JsonObject ids = new JsonObject(response.body());
        assertThat(ids.fieldNames()).containsExactlyInAnyOrder("k0", "k1", "k2");
        assertThat(ids.getString("k0")).matches("\\d+-\\d+-\\d+");
        RecordedPurge purge = onlyPurge();
        assertThat(purge.provider()).isEqualTo("fastly");
        assertThat(purge.method()).isEqualTo("POST");
        assertThat(purge.action()).isEqualTo("bulk");
        assertThat(purge.items()).containsExactly("k0", "k1", "k2");
        assertThat(purge.status()).isEqualTo(200);
    }

    @Test
    void bulkPurgeTakes256KeysButNot257() {
        assertThat(http.post("/service/SVC/purge", keysBody(256), KEY, TOKEN).statusCode())
                .isEqualTo(200);

        HttpResponse<String> tooMany = http.post("/service/SVC/purge", keysBody(257), KEY, TOKEN);

        assertThat(tooMany.statusCode()).isEqualTo(400);
        assertThat(new JsonObject(tooMany.body()).getString("msg"))
                .isEqualTo("Batch surrogate key request only supports up to 256 surrogate keys");
        assertThat(server.sandbox().recorder().purges())
                .extracting(RecordedPurge::status)
                .containsExactly(200, 400);
    }

    @Test
    void bulkPurgeAcceptsTheSurrogateKeyHeader() {
        HttpResponse<String> response =
                http.post("/service/SVC/purge", "", KEY, TOKEN, "Surrogate-Key", "a b  c");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(onlyPurge().items()).containsExactly("a", "b", "c");
    }

    @Test
    void invalidJsonIsABadRequest() {
        HttpResponse<String> response = http.post("/service/SVC/purge", "{not json", KEY, TOKEN);

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(new JsonObject(response.body()).getString("msg")).isNotBlank();
        assertThat(onlyPurge().status()).isEqualTo(400);
    }

    @Test
    void missingOrUnknownKeyIsUnauthorized() {
        HttpResponse<String> missing = http.post("/service/SVC/purge", keysBody(1));
        HttpResponse<String> unknown =
                http.post("/service/SVC/purge", keysBody(1), KEY, "other-token");

        for (HttpResponse<String> response : List.of(missing, unknown)) {
            assertThat(response.statusCode()).isEqualTo(401);
            assertThat(new JsonObject(response.body()).getString("msg"))
                    .isEqualTo("Provided credentials are missing or invalid");
        }
        assertThat(server.sandbox().recorder().purges())
                .extracting(RecordedPurge::authPresent)
                .containsExactly(false, true);
    }

    @Test
    void recordsNeverHoldTheKey() {
        http.post("/service/SVC/purge", keysBody(1), KEY, TOKEN);

        JsonArray listed =
                new JsonArray(new SandboxHttp(server.baseUrl()).get("/_sandbox/purges").body());

        assertThat(listed.encode()).doesNotContain(TOKEN).contains("\"authPresent\":true");
        assertThat(onlyPurge().headers()).doesNotContainKey(KEY);
    }

    @Test
    void singleKeyAndUrlPurgesAnswerStatusAndId() {
        HttpResponse<String> key = http.post("/service/SVC/purge/product%2F42", "", KEY, TOKEN);
        HttpResponse<String> url =
                http.post(
                        "/purge/www.example.com/p/42?lang=en",
                        "",
                        KEY,
                        TOKEN,
                        "Fastly-Soft-Purge",
                        "1");

        for (HttpResponse<String> response : List.of(key, url)) {
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(new JsonObject(response.body()).getString("status")).isEqualTo("ok");
            assertThat(new JsonObject(response.body()).getString("id")).isNotBlank();
        }
        List<RecordedPurge> purges = server.sandbox().recorder().purges();
        assertThat(purges).extracting(RecordedPurge::action).containsExactly("key", "url");
        assertThat(purges.get(0).items()).containsExactly("product/42");
        assertThat(purges.get(1).items()).containsExactly("www.example.com/p/42?lang=en");
        assertThat(purges.get(1).path()).isEqualTo("/purge/www.example.com/p/42?lang=en");
        assertThat(purges.get(1).soft()).isTrue();
    }

    @Test
    void purgeAllAnswersOkAndRefusesSoft() {
        HttpResponse<String> hard = http.post("/service/SVC/purge_all", "", KEY, TOKEN);
        HttpResponse<String> soft =
                http.post("/service/SVC/purge_all", "", KEY, TOKEN, "Fastly-Soft-Purge", "1");

        assertThat(hard.statusCode()).isEqualTo(200);
        assertThat(new JsonObject(hard.body()).getString("status")).isEqualTo("ok");
        assertThat(soft.statusCode()).isEqualTo(400);
        assertThat(server.sandbox().recorder().purges())
                .extracting(RecordedPurge::action, RecordedPurge::soft)
                .containsExactly(tuple("purge_all", false), tuple("purge_all", true));
    }

    @Test
    void keysOver1024BytesAreRefused() {
        String body =
                new JsonObject()
                        .put("surrogate_keys", new JsonArray().add("k".repeat(1025)))
                        .encode();

        assertThat(http.post("/service/SVC/purge", body, KEY, TOKEN).statusCode()).isEqualTo(400);
    }

    @Test
    void unknownPathsAreNotFoundAndNotRecorded() {
        assertThat(http.post("/service/SVC/unknown", "", KEY, TOKEN).statusCode()).isEqualTo(404);
        assertThat(http.get("/service/SVC/purge").statusCode()).isEqualTo(404);
        assertThat(server.sandbox().recorder().purges()).isEmpty();
    }

    private static String keysBody(int count) {
        JsonArray keys = new JsonArray();
        IntStream.range(0, count).forEach(i -> keys.add("k" + i));
        return new JsonObject().put("surrogate_keys", keys).encode();
    }

    private static RecordedPurge onlyPurge() {
        assertThat(server.sandbox().recorder().purges()).hasSize(1);
        return server.sandbox().recorder().purges().getFirst();
    }
}
