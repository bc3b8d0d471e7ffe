package dev.tagpurge.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Fault injection and the admin API over HTTP. */
class SandboxFaultsTest {

    private static final String BULK_BODY = "{\"surrogate_keys\":[\"a\"]}";

    private static Vertx vertx;
    private static SandboxServer server;
    private static SandboxHttp fastly;
    private static SandboxHttp admin;

    @BeforeAll
    static void start() {
        vertx = Vertx.vertx();
        server = SandboxServer.start(vertx, 0);
        fastly = new SandboxHttp(server.fastlyUrl());
        admin = new SandboxHttp(server.baseUrl() + CdnSandbox.ADMIN_PATH);
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
    void failNextAppliesBeforeValidationAndIsRecorded() {
        server.sandbox().faults().failNext("fastly", 503, 2);

        // Even a request without credentials gets the fault: faults come first.
        HttpResponse<String> first = fastly.post("/service/SVC/purge", BULK_BODY);
        HttpResponse<String> second = bulk();
        HttpResponse<String> third = bulk();

        assertThat(first.statusCode()).isEqualTo(503);
        assertThat(new JsonObject(first.body()).getString("msg")).contains("injected");
        assertThat(second.statusCode()).isEqualTo(503);
        assertThat(third.statusCode()).isEqualTo(200);
        assertThat(server.sandbox().recorder().purges())
                .extracting(RecordedPurge::status)
                .containsExactly(503, 503, 200);
    }

    @Test
    void throttlingFaultCarriesRetryAfter() {
        server.sandbox().faults().failAlways("fastly", 429);

        HttpResponse<String> response = bulk();

        assertThat(response.statusCode()).isEqualTo(429);
        assertThat(response.headers().firstValue("Retry-After")).contains("1");
    }

    @Test
    void faultsAreSetListedAndClearedOverHttp() {
        HttpResponse<String> set =
                admin.post(
                        "/faults",
                        "{\"provider\":\"fastly\",\"status\":500,\"count\":1}",
                        "Content-Type",
                        "application/json");

        assertThat(set.statusCode()).isEqualTo(201);
        assertThat(
                        new JsonObject(admin.get("/faults").body())
                                .getJsonObject("fastly")
                                .getInteger("status"))
                .isEqualTo(500);
        assertThat(bulk().statusCode()).isEqualTo(500);

        admin.post("/faults", "{\"provider\":\"fastly\",\"status\":502}");
        assertThat(admin.delete("/faults").statusCode()).isEqualTo(204);
        assertThat(bulk().statusCode()).isEqualTo(200);
    }

    @Test
    void invalidFaultRequestsAreBadRequests() {
        assertThat(admin.post("/faults", "{\"provider\":\"nope\",\"status\":500}").statusCode())
                .isEqualTo(400);
        assertThat(admin.post("/faults", "{\"provider\":\"fastly\",\"status\":\"x\"}").statusCode())
                .isEqualTo(400);
        assertThat(admin.post("/faults", "not json").statusCode()).isEqualTo(400);
        assertThat(server.sandbox().faults().rules()).isEmpty();
    }

    @Test
    void latencyDelaysTheAnswer() {
        server.sandbox().faults().addLatency("fastly", Duration.ofMillis(300));

        long started = System.nanoTime();
        HttpResponse<String> response = bulk();
        Duration elapsed = Duration.ofNanos(System.nanoTime() - started);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(elapsed).isGreaterThanOrEqualTo(Duration.ofMillis(300));
        assertThat(server.sandbox().recorder().purges()).hasSize(1);
    }

    @Test
    void recordedPurgesAreListedFilteredAndCleared() {
        bulk();
        fastly.post("/purge/www.example.com/a", "", "Fastly-Key", "t");

        JsonArray all = new JsonArray(admin.get("/purges").body());
        JsonArray fastlyOnly = new JsonArray(admin.get("/purges?provider=fastly").body());
        JsonArray none = new JsonArray(admin.get("/purges?provider=cloudflare").body());

        assertThat(all).hasSize(2);
        assertThat(all.getJsonObject(1).getJsonArray("items").getString(0))
                .isEqualTo("www.example.com/a");
        assertThat(all.getJsonObject(0).getString("at")).isNotBlank();
        assertThat(fastlyOnly).hasSize(2);
        assertThat(none).isEmpty();
        assertThat(admin.delete("/purges").statusCode()).isEqualTo(204);
        assertThat(server.sandbox().recorder().purges()).isEmpty();
    }

    private HttpResponse<String> bulk() {
        return fastly.post(
                "/service/SVC/purge",
                BULK_BODY,
                "Fastly-Key",
                "t",
                "Content-Type",
                "application/json");
    }
}
