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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The verification probe end to end on each provider, through the service and that provider's
 * sandbox edge (same profile as {@link VerificationIntegrationTest}, so one Quarkus start): an
 * object cached for an hour and purged by URL or by tag is a miss afterwards (verified); one the
 * edge serves stale despite the purge is an hour-old hit (stale-served), except on Akamai, which
 * sends no {@code Age}: its hit cannot be judged (unverifiable). Each probe moves {@code
 * tagpurge_purge_verifications_total} of its target by exactly one, in its result only.
 */
@QuarkusTest
@TestProfile(VerificationProfile.class)
@WithTestResource(KafkaBrokerResource.class)
@WithTestResource(RedisServerResource.class)
@WithTestResource(SandboxResource.class)
@WithTestResource(TestRunResource.class)
class VerificationProvidersIntegrationTest extends IntegrationTestSupport {

    private static final String METRIC = "tagpurge_purge_verifications_total";
    private static final List<String> RESULTS = List.of("verified", "stale-served", "unverifiable");

    @ParameterizedTest(name = "{0} ({1}) by {3}")
    @CsvSource({
        "cdn,  fastly,     www.example.com,   url, MISS",
        "cdn,  fastly,     www.example.com,   tag, MISS",
        "zone, cloudflare, multi.example.com, url, MISS",
        "zone, cloudflare, multi.example.com, tag, MISS",
        "dist, cloudfront, multi.example.com, url, Miss from cloudfront",
        "dist, cloudfront, multi.example.com, tag, Miss from cloudfront",
        "edge, akamai,     multi.example.com, url, TCP_MISS",
        "edge, akamai,     multi.example.com, tag, TCP_MISS"
    })
    void aPurgedObjectIsAMissAfterwards(
            String target, String provider, String host, String by, String miss) {
        String run = UUID.randomUUID().toString().substring(0, 8);
        // cached for an hour already, tagged as the origin would tag it
        String tag = (target.equals("cdn") ? "vp-" : "multi-vp-") + run;
        SandboxResource.sandbox().edge(provider).define("/vp/" + run, List.of(tag), false, 3600);

        JsonNode probe =
                purgeAndProbe(
                        target,
                        by.equals("url") ? url(host, run) : null,
                        by.equals("tag") ? tag : null,
                        "verified");

        assertThat(probe.get("url").asText()).isEqualTo(url(host, run));
        assertThat(probe.get("reason").asText()).as(probe.toString()).startsWith(miss);
    }

    @ParameterizedTest(name = "{0} ({1})")
    @CsvSource({
        "cdn,  fastly,     www.example.com,   stale-served, HIT",
        "zone, cloudflare, multi.example.com, stale-served, HIT",
        "dist, cloudfront, multi.example.com, stale-served, Hit from cloudfront",
        // docs/verification.md: Akamai sends no Age, so its hit is unverifiable
        "edge, akamai,     multi.example.com, unverifiable, hit without Age (TCP_HIT"
    })
    void anObjectServedStaleDespiteThePurgeIsCaught(
            String target, String provider, String host, String result, String reason) {
        String run = UUID.randomUUID().toString().substring(0, 8);
        CdnEdge edge = SandboxResource.sandbox().edge(provider);
        edge.define("/vp/" + run, List.of(), true, 3600);

        JsonNode probe = purgeAndProbe(target, url(host, run), null, result);

        assertThat(probe.get("reason").asText()).as(probe.toString()).startsWith(reason);
        if (result.equals("stale-served")) {
            // the copy cached an hour before the purge, a little older by now
            String age = probe.get("reason").asText().replaceAll(".*, Age (\\d+) s,.*", "$1");
            assertThat(Long.parseLong(age)).as(probe.toString()).isGreaterThanOrEqualTo(3600);
        }
    }

    private static String url(String host, String run) {
        return "https://" + host + "/vp/" + run;
    }

    /**
     * Sends an event purging {@code url} or {@code tag} on {@code target} alone, waits for its
     * completion and returns its one probe result, checked to be {@code result} and to have moved
     * the target's counter of that result by one and the others not at all.
     */
    private JsonNode purgeAndProbe(String target, String url, String tag, String result) {
        Map<String, Double> before = verifications(target);
        String id = "verify-" + target + "-" + UUID.randomUUID();
        send(
                TestRunResource.inputTopic(),
                null,
                """
                {"id":"%s","type":"price.changed","targets":["%s"],"urls":[%s],"tags":[%s]}"""
                        .formatted(id, target, quoted(url), quoted(tag)));

        await().atMost(Duration.ofSeconds(60))
                .untilAsserted(() -> assertThat(completions(Set.of(id))).hasSize(1));
        JsonNode outcome = outcome(completions(Set.of(id)).get(id), target);
        assertThat(outcome.get("status").asText()).as(outcome.toString()).isEqualTo("succeeded");
        JsonNode verification = outcome.get("verification");
        assertThat(verification).as(outcome.toString()).isNotNull().hasSize(1);
        JsonNode probe = verification.get(0);
        assertThat(probe.get("result").asText()).as(probe.toString()).isEqualTo(result);

        Map<String, Double> after = verifications(target);
        for (String r : RESULTS) {
            assertThat(after.getOrDefault(r, 0.0) - before.getOrDefault(r, 0.0))
                    .as("%s %s", target, r)
                    .isEqualTo(r.equals(result) ? 1.0 : 0.0);
        }
        return probe;
    }

    private static String quoted(String value) {
        return value == null ? "" : "\"" + value + "\"";
    }

    /** {@code target}'s verification counters by result, from the Prometheus endpoint. */
    private static Map<String, Double> verifications(String target) {
        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        Map<String, Double> byResult = new HashMap<>();
        for (String line : metrics.split("\n")) {
            if (line.startsWith(METRIC + "{") && line.contains("target=\"" + target + "\"")) {
                String result = line.replaceAll(".*result=\"([^\"]+)\".*", "$1");
                byResult.put(result, Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)));
            }
        }
        return byResult;
    }
}
