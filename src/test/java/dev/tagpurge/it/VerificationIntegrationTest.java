package dev.tagpurge.it;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tagpurge.sandbox.CdnEdge;
import dev.tagpurge.testing.KafkaBrokerResource;
import dev.tagpurge.testing.RedisServerResource;
import dev.tagpurge.testing.SandboxResource;
import dev.tagpurge.testing.TestRunResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The verification probe end to end: a change event purges two cached objects through the Fastly
 * emulator; the probe then fetches both through the sandbox's Fastly edge. The object the edge
 * really purged is a miss (verified); the one it serves stale, ignoring purges, is an hour-old hit
 * (stale-served); a URL on a host not allowed is unverifiable. The results are in the completion
 * event and in {@code tagpurge_purge_verifications_total}.
 */
@QuarkusTest
@TestProfile(VerificationProfile.class)
@WithTestResource(KafkaBrokerResource.class)
@WithTestResource(RedisServerResource.class)
@WithTestResource(SandboxResource.class)
@WithTestResource(TestRunResource.class)
class VerificationIntegrationTest extends IntegrationTestSupport {

    private static final String METRIC = "tagpurge_purge_verifications_total";

    @Test
    void aPurgedObjectIsVerifiedAndOneServedStaleIsCaught() {
        String run = UUID.randomUUID().toString().substring(0, 8);
        CdnEdge edge = SandboxResource.sandbox().edge("fastly");
        // both in cache for an hour already, tagged as the origin would tag them
        edge.define("/vp/fresh-" + run, List.of("vp-fresh-" + run), false, 3600);
        edge.define("/vp/stale-" + run, List.of("vp-stale-" + run), true, 3600);
        Map<String, Double> before = verifications();

        String id = "verify-" + run;
        send(
                TestRunResource.inputTopic(),
                null,
                """
                {"id":"%s","type":"price.changed","targets":["cdn"],
                 "tags":["vp-fresh-%s","vp-stale-%s","vx-%s"]}"""
                        .formatted(id, run, run, run));

        await().atMost(Duration.ofSeconds(60))
                .untilAsserted(() -> assertThat(completions(Set.of(id))).hasSize(1));
        JsonNode cdn = outcome(completions(Set.of(id)).get(id), "cdn");
        assertThat(cdn.get("status").asText()).as(cdn.toString()).isEqualTo("succeeded");

        Map<String, JsonNode> byUrl = new HashMap<>();
        cdn.get("verification").forEach(v -> byUrl.put(v.get("url").asText(), v));
        assertThat(byUrl).as(cdn.toString()).hasSize(3);
        JsonNode fresh = byUrl.get("https://www.example.com/vp/fresh-" + run);
        JsonNode stale = byUrl.get("https://www.example.com/vp/stale-" + run);
        JsonNode refused = byUrl.get("https://evil.example.net/vx/" + run);
        assertThat(fresh.get("result").asText()).as(fresh.toString()).isEqualTo("verified");
        assertThat(fresh.get("reason").asText()).startsWith("MISS");
        assertThat(stale.get("result").asText()).as(stale.toString()).isEqualTo("stale-served");
        assertThat(stale.get("reason").asText()).startsWith("HIT").contains("Age ");
        assertThat(refused.get("result").asText()).isEqualTo("unverifiable");
        assertThat(refused.get("reason").asText()).isEqualTo("host evil.example.net not allowed");

        Map<String, Double> after = verifications();
        assertThat(delta(before, after, "verified")).isEqualTo(1.0);
        assertThat(delta(before, after, "stale-served")).isEqualTo(1.0);
        assertThat(delta(before, after, "unverifiable")).isEqualTo(1.0);
    }

    private static double delta(Map<String, Double> before, Map<String, Double> after, String r) {
        return after.getOrDefault(r, 0.0) - before.getOrDefault(r, 0.0);
    }

    /** The target cdn's verification counters by result, from the Prometheus endpoint. */
    private static Map<String, Double> verifications() {
        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        Map<String, Double> byResult = new HashMap<>();
        for (String line : metrics.split("\n")) {
            if (line.startsWith(METRIC + "{") && line.contains("target=\"cdn\"")) {
                String result = line.replaceAll(".*result=\"([^\"]+)\".*", "$1");
                byResult.put(result, Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)));
            }
        }
        return byResult;
    }
}
