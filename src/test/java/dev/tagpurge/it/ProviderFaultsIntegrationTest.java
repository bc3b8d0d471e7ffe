package dev.tagpurge.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tagpurge.sandbox.FaultInjector;
import dev.tagpurge.testing.KafkaBrokerResource;
import dev.tagpurge.testing.RedisServerResource;
import dev.tagpurge.testing.SandboxResource;
import dev.tagpurge.testing.TestRunResource;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The provider fails 30% of requests, mixing 429, 500 and timeouts: every event still succeeds, the
 * retries show in the metrics, nothing is dead-lettered.
 */
@QuarkusTest
@WithTestResource(KafkaBrokerResource.class)
@WithTestResource(RedisServerResource.class)
@WithTestResource(SandboxResource.class)
@WithTestResource(TestRunResource.class)
class ProviderFaultsIntegrationTest extends IntegrationTestSupport {

    @Inject MeterRegistry registry;

    @AfterEach
    void recover() {
        SandboxResource.sandbox().faults().clear();
    }

    @Test
    void thirtyPercentMixedFailuresAreRetriedUntilEveryEventSucceeds() {
        // timeouts: the sandbox answers after 3 s, the test profile gives up after 2 s
        SandboxResource.sandbox()
                .faults()
                .failMixed(
                        "fastly",
                        0.3,
                        List.of(429, 500, 503, FaultInjector.HANG),
                        Duration.ofSeconds(3));
        double retriesBefore = count("tagpurge.retries");
        String run = UUID.randomUUID().toString().substring(0, 8);
        List<String> ids = new ArrayList<>();
        List<String> events = new ArrayList<>();
        for (int i = 0; i < 600; i++) {
            String id = "faulty-" + run + "-" + i;
            ids.add(id);
            // a URL each (one request per URL at Fastly) gives the faults many requests to hit
            events.add(
                    """
                    {"id":"%s","type":"x","tags":["faulty-%s-%d"],"urls":["https://www.example.com/f/%s/%d"],"targets":["cdn"]}"""
                            .formatted(id, run, i % 100, run, i % 60));
        }
        sendAll(TestRunResource.inputTopic(), events);

        await().atMost(Duration.ofSeconds(120))
                .pollInterval(Duration.ofSeconds(1))
                .untilAsserted(() -> assertThat(completions(new HashSet<>(ids))).hasSize(600));

        Map<String, JsonNode> done = completions(new HashSet<>(ids));
        assertThat(done.values())
                .allSatisfy(c -> assertThat(c.get("status").asText()).isEqualTo("succeeded"));
        long faulted =
                SandboxResource.sandbox().recorder().purges().stream()
                        .filter(r -> r.provider().equals("fastly") && r.status() >= 400)
                        .filter(r -> r.items().stream().anyMatch(i -> i.contains(run)))
                        .count();
        assertThat(faulted).as("the sandbox really failed requests").isPositive();
        assertThat(count("tagpurge.retries") - retriesBefore).isGreaterThanOrEqualTo(faulted);
        assertThat(registry.find("tagpurge.retries").tag("reason", "throttled").counters())
                .isNotEmpty();
        assertThat(registry.find("tagpurge.retries").tag("reason", "timeout").counters())
                .isNotEmpty();
        assertThat(registry.find("tagpurge.retries").tag("reason", "server-error").counters())
                .isNotEmpty();
        assertThat(readAll(TestRunResource.dlqTopic(), r -> new String(r.value()).contains(run)))
                .isEmpty();
    }

    private double count(String name) {
        return registry.find(name).tag("target", "cdn").counters().stream()
                .mapToDouble(c -> c.count())
                .sum();
    }
}
