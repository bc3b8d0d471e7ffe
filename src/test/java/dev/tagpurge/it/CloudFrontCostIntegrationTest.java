package dev.tagpurge.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tagpurge.purge.BilledPaths;
import dev.tagpurge.purge.PurgeDispatcher;
import dev.tagpurge.sandbox.RecordedPurge;
import dev.tagpurge.testing.KafkaBrokerResource;
import dev.tagpurge.testing.RedisServerResource;
import dev.tagpurge.testing.SandboxResource;
import dev.tagpurge.testing.TestRunResource;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * CloudFront cost control through the service: an event with many URLs in one directory reaches the
 * CloudFront emulator as that directory's wildcard, and the paths billed this month are counted in
 * the real Redis and exported as gauges with the target's budget.
 */
@QuarkusTest
@TestProfile(CloudFrontCostProfile.class)
@WithTestResource(KafkaBrokerResource.class)
@WithTestResource(RedisServerResource.class)
@WithTestResource(SandboxResource.class)
@WithTestResource(TestRunResource.class)
class CloudFrontCostIntegrationTest extends IntegrationTestSupport {

    private static final String DISTRIBUTION = "EDFDVBD6EXAMPLE";

    @Inject MeterRegistry registry;
    @Inject PurgeDispatcher dispatcher;
    @Inject Redis redis;

    @Test
    void manyUrlsInOneDirectoryAreOneWildcardAndTheMonthCountsTwoPaths() {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String key =
                "tagpurge:cloudfront:paths:" + DISTRIBUTION + ":" + YearMonth.now(ZoneOffset.UTC);
        long before = stored(key);
        List<String> urls = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            urls.add("\"https://multi.example.com/cost-" + run + "/products/" + i + "\"");
        }
        urls.add("\"https://multi.example.com/cost-" + run + "/about\"");
        String id = "cost-" + run;
        send(
                TestRunResource.inputTopic(),
                null,
                """
                {"id":"%s","type":"x","urls":[%s],"targets":["dist"]}"""
                        .formatted(id, String.join(",", urls)));

        await().atMost(Duration.ofSeconds(60))
                .untilAsserted(() -> assertThat(completions(Set.of(id))).hasSize(1));
        JsonNode completion = completions(Set.of(id)).get(id);
        assertThat(outcome(completion, "dist").get("status").asText())
                .as(completion.toString())
                .isEqualTo("succeeded");
        List<RecordedPurge> creates =
                SandboxResource.sandbox().recorder().purges().stream()
                        .filter(p -> p.provider().equals("cloudfront"))
                        .filter(p -> p.action().equals("create-invalidation"))
                        .filter(p -> p.items().stream().anyMatch(i -> i.contains(run)))
                        .toList();
        assertThat(creates).hasSize(1);
        assertThat(creates.getFirst().items())
                .containsExactlyInAnyOrder(
                        "/cost-" + run + "/products/*", "/cost-" + run + "/about");

        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(
                        () -> assertThat(stored(key)).as("shared in Redis").isEqualTo(before + 2));
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(
                        () ->
                                assertThat(gauge("tagpurge.cloudfront.paths.billed"))
                                        .isEqualTo(before + 2.0));
        assertThat(gauge("tagpurge.cloudfront.estimated.cost.usd"))
                .isEqualTo(Math.max(0, before + 2 - 1000) * 0.005);
        assertThat(gauge("tagpurge.cloudfront.budget.usd")).isEqualTo(25.0);
        Optional<BilledPaths> month =
                dispatcher
                        .pipelines()
                        .get("dist")
                        .purger()
                        .billedPathsThisMonth()
                        .await()
                        .atMost(Duration.ofSeconds(10));
        assertThat(month).isPresent();
        assertThat(month.get().paths()).isEqualTo(before + 2);
        assertThat(month.get().countedBy()).contains("every replica");
    }

    private double gauge(String name) {
        return registry.get(name)
                .tag("target", "dist")
                .tag("distribution", DISTRIBUTION)
                .gauge()
                .value();
    }

    private long stored(String key) {
        Response value =
                redis.send(Request.cmd(Command.GET).arg(key))
                        .await()
                        .atMost(Duration.ofSeconds(10));
        return value == null ? 0 : value.toLong();
    }
}
