package dev.tagpurge.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The test resource outside Quarkus: one sandbox per JVM, reset by each start. */
class SandboxResourceTest {

    @Test
    void startsOnceAndProvidesItsUrl() throws Exception {
        SandboxResource resource = new SandboxResource();

        Map<String, String> first = resource.start();
        SandboxResource.sandbox().faults().failAlways("fastly", 503);
        Map<String, String> second = resource.start();

        assertThat(first).containsOnlyKeys(SandboxResource.SANDBOX_URL);
        assertThat(second).isEqualTo(first);
        assertThat(first.get(SandboxResource.SANDBOX_URL))
                .isEqualTo(SandboxResource.baseUrl())
                .startsWith("http://127.0.0.1:");
        assertThat(SandboxResource.sandbox().faults().rules()).isEmpty();

        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        HttpResponse<String> purges =
                client.send(
                        HttpRequest.newBuilder(
                                        URI.create(SandboxResource.baseUrl() + "/_sandbox/purges"))
                                .timeout(Duration.ofSeconds(10))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(purges.statusCode()).isEqualTo(200);
        assertThat(purges.body()).isEqualTo("[]");
    }
}
