package dev.tagpurge.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tagpurge.purge.akamai.EdgeGridReference;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The standalone jar the build makes ({@code target/tagpurge-sandbox.jar}) runs with {@code java
 * -jar} alone and serves every provider and the admin API: a library missing from the jar (it
 * bundles only what src/sandbox/assembly.xml lists) fails here, not at a user's.
 */
class SandboxJarIT {

    private static final Path JAR = Path.of("target", "tagpurge-sandbox.jar");

    private Process process;
    private Path log;
    private String root;
    private SandboxHttp http;

    @BeforeEach
    void start() throws IOException {
        assertThat(JAR).as("built by package").isRegularFile();
        log = Files.createTempFile(Path.of("target"), "sandbox-jar-", ".log");
        process =
                new ProcessBuilder(
                                ProcessHandle.current().info().command().orElse("java"),
                                "-jar",
                                JAR.toString(),
                                "--port",
                                "0")
                        .redirectErrorStream(true)
                        .redirectOutput(log.toFile())
                        .start();
        root = awaitRoot(Duration.ofSeconds(60));
        http = new SandboxHttp(root);
    }

    @AfterEach
    void stop() throws InterruptedException {
        process.destroy();
        assertThat(process.waitFor(20, TimeUnit.SECONDS)).as("stops on SIGTERM").isTrue();
    }

    @Test
    void servesEveryProviderAndRecordsThem() throws IOException {
        assertThat(
                        http.post(
                                        "/fastly/service/S/purge",
                                        "",
                                        "Fastly-Key",
                                        "t",
                                        "Surrogate-Key",
                                        "a b")
                                .statusCode())
                .isEqualTo(200);
        assertThat(
                        http.post(
                                        "/cloudflare/zones/023e105f4ecef8ad9ca31a8372d0c353/purge_cache",
                                        "{\"tags\":[\"a\"]}",
                                        "Authorization",
                                        "Bearer t",
                                        "Content-Type",
                                        "application/json")
                                .statusCode())
                .isEqualTo(200);
        assertThat(
                        http.post(
                                        "/cloudfront/2020-05-31/distribution/D/invalidation",
                                        "<InvalidationBatch><Paths><Quantity>1</Quantity><Items>"
                                                + "<Path>/a</Path></Items></Paths>"
                                                + "<CallerReference>r1</CallerReference>"
                                                + "</InvalidationBatch>",
                                        "Authorization",
                                        "AWS4-HMAC-SHA256 Credential=test/20261101/us-east-1/"
                                                + "cloudfront/aws4_request, SignedHeaders=host,"
                                                + " Signature=abc")
                                .statusCode())
                .isEqualTo(201);
        String path = "/akamai/ccu/v3/invalidate/tag/staging";
        String body = "{\"objects\":[\"a\"]}";
        String host = root.substring("http://".length());
        assertThat(
                        http.post(
                                        path,
                                        body,
                                        "Content-Type",
                                        "application/json",
                                        "Authorization",
                                        EdgeGridReference.authorization(
                                                AkamaiEmulatorSettings.DEFAULT_CLIENT_TOKEN,
                                                AkamaiEmulatorSettings.DEFAULT_CLIENT_SECRET,
                                                AkamaiEmulatorSettings.DEFAULT_ACCESS_TOKEN,
                                                host,
                                                "POST",
                                                path,
                                                body.getBytes(StandardCharsets.UTF_8),
                                                EdgeGridReference.timestamp(Instant.now()),
                                                UUID.randomUUID().toString(),
                                                EdgeGridReference.MAX_BODY))
                                .statusCode())
                .as(Files.readString(log))
                .isEqualTo(201);

        JsonArray purges = new JsonArray(http.get("/_sandbox/purges").body());
        assertThat(purges.stream().map(p -> ((JsonObject) p).getString("provider")))
                .containsExactly("fastly", "cloudflare", "cloudfront", "akamai");
        assertThat(Files.readString(log)).doesNotContain("Exception", "SEVERE");
    }

    private String awaitRoot(Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            List<String> lines = Files.readAllLines(log);
            for (String line : lines) {
                if (line.startsWith(SandboxMain.READY)) {
                    return line.substring(SandboxMain.READY.length()).trim();
                }
            }
            assertThat(process.isAlive()).as("sandbox jar exited: " + lines).isTrue();
            LockSupport.parkNanos(Duration.ofMillis(200).toNanos());
        }
        throw new IllegalStateException("no ready line within " + timeout);
    }
}
