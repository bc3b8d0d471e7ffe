package dev.tagpurge.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.ext.web.Router;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The sandbox mounted below a prefix on someone else's router (a test's own Vert.x server, say),
 * also when that router is itself below a root path.
 */
class SandboxMountTest {

    private final CdnSandbox sandbox = new CdnSandbox();
    private Vertx vertx;
    private HttpServer server;

    @BeforeEach
    void start() throws Exception {
        vertx = Vertx.vertx();
        Router app = Router.router(vertx);
        sandbox.mount(app, "/sandbox");
        Router root = Router.router(vertx);
        root.route("/app/*").subRouter(app);
        server =
                vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0))
                        .requestHandler(root)
                        .listen()
                        .toCompletionStage()
                        .toCompletableFuture()
                        .get(10, TimeUnit.SECONDS);
    }

    @AfterEach
    void stop() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void pathsAreRecordedRelativeToTheProviderRoot() {
        SandboxHttp http =
                new SandboxHttp("http://127.0.0.1:" + server.actualPort() + "/app/sandbox");

        assertThat(http.post("/fastly/service/S/purge/k1", "", "Fastly-Key", "t").statusCode())
                .isEqualTo(200);
        assertThat(http.post("/fastly/purge/www.example.com/a", "", "Fastly-Key", "t").statusCode())
                .isEqualTo(200);
        assertThat(http.post("/fastly/purge/", "", "Fastly-Key", "t").statusCode()).isEqualTo(404);

        assertThat(sandbox.recorder().purges())
                .extracting(RecordedPurge::path)
                .containsExactly("/service/S/purge/k1", "/purge/www.example.com/a", "/purge/");
        assertThat(new JsonArray(http.get("/_sandbox/purges").body())).hasSize(3);
    }
}
