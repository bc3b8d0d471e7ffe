package dev.tagpurge.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tagpurge.testing.ServiceProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;

/**
 * The packaged production application ({@code target/quarkus-app}, what the image ships) holds no
 * CDN sandbox: no jar entry of {@code dev.tagpurge.sandbox}, no such class loaded at run time, and
 * every {@code /sandbox} path unknown, even with {@code TAGPURGE_SANDBOX_ENABLED=true} in the
 * environment (the switch of the versions that mounted it). The sandbox runs as its own process
 * only ({@code target/tagpurge-sandbox.jar}); here it is the one the service's target points at.
 */
class NoSandboxInProductionIT extends ProcessTestSupport {

    private static final Path APP = Path.of("target", "quarkus-app");
    private static final String SANDBOX_PACKAGE = "dev.tagpurge.sandbox.";

    @Test
    void noJarOfTheApplicationHoldsASandboxClass() throws IOException {
        List<Path> jars;
        try (Stream<Path> files = Files.walk(APP)) {
            jars = files.filter(f -> f.toString().endsWith(".jar")).toList();
        }
        List<String> appEntries = new ArrayList<>();
        List<String> sandboxEntries = new ArrayList<>();
        for (Path jar : jars) {
            try (ZipFile zip = new ZipFile(jar.toFile())) {
                zip.stream()
                        .map(e -> jar.getFileName() + "!" + e.getName())
                        .forEach(
                                entry -> {
                                    if (entry.contains("!dev/tagpurge/sandbox/")) {
                                        sandboxEntries.add(entry);
                                    }
                                    if (entry.contains("!dev/tagpurge/event/")) {
                                        appEntries.add(entry);
                                    }
                                });
            }
        }
        assertThat(appEntries).as("the service's own classes, found by the same scan").isNotEmpty();
        assertThat(sandboxEntries).isEmpty();
    }

    @Test
    void everySandboxPathIsUnknownAndNoSandboxClassIsLoaded() throws IOException {
        Run run = Run.fresh();
        Path classLoads =
                Path.of("target", "no-sandbox-class-load-" + run.id() + ".log").toAbsolutePath();
        try (ServiceProcess service =
                ServiceProcess.start(
                        "no-sandbox",
                        serviceConfig(run),
                        List.of("-Xmx256m", "-Xlog:class+load=info:file=" + classLoads),
                        Map.of("TAGPURGE_SANDBOX_ENABLED", "true"))) {
            String root = "http://127.0.0.1:" + service.port();

            assertThat(status("GET", root + "/q/health/ready"))
                    .as("the same server answers its own paths")
                    .isEqualTo(200);
            for (String path :
                    List.of(
                            "/sandbox/fastly/service/x/purge",
                            "/sandbox/fastly/purge/www.example.com/a",
                            "/sandbox/cloudflare/zones/023e105f4ecef8ad9ca31a8372d0c353/purge_cache",
                            "/sandbox/cloudfront/2020-05-31/distribution/D/invalidation",
                            "/sandbox/akamai/ccu/v3/invalidate/tag/staging",
                            "/sandbox/_sandbox/faults",
                            "/sandbox/_sandbox/reset",
                            "/sandbox/events")) {
                assertThat(status("POST", root + path)).as("POST " + path).isEqualTo(404);
            }
            for (String path :
                    List.of("/sandbox/_sandbox/purges", "/sandbox/_sandbox/faults", "/sandbox")) {
                assertThat(status("GET", root + path)).as("GET " + path).isEqualTo(404);
            }
            assertThat(status("DELETE", root + "/sandbox/_sandbox/purges")).isEqualTo(404);

            // it purges as usual, on the sandbox that runs beside it
            kafka.send(run.input(), null, event("evt-" + run.id(), "product-" + run.id()));
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> completionCounts(run).containsKey("evt-" + run.id()));
            assertThat(sandbox.sandbox().recorder().purges("fastly"))
                    .anyMatch(p -> p.items().contains("product-" + run.id()));
        }

        List<String> loaded = Files.readAllLines(classLoads);
        assertThat(loaded)
                .as("the class-load log records the service's own classes")
                .anyMatch(l -> l.contains(" dev.tagpurge.event."));
        assertThat(loaded).noneMatch(l -> l.contains(SANDBOX_PACKAGE));
    }

    private static int status(String method, String url) {
        try (HttpClient http = HttpClient.newHttpClient()) {
            HttpRequest request =
                    HttpRequest.newBuilder(URI.create(url))
                            .header("Content-Type", "application/json")
                            .header("Fastly-Key", "token")
                            .method(method, HttpRequest.BodyPublishers.ofString("{}"))
                            .build();
            return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
