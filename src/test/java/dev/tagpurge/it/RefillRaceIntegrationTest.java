package dev.tagpurge.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tagpurge.metrics.MetricNames;
import dev.tagpurge.sandbox.RecordedPurge;
import dev.tagpurge.testing.KafkaBrokerResource;
import dev.tagpurge.testing.RedisServerResource;
import dev.tagpurge.testing.SandboxResource;
import dev.tagpurge.testing.TestRunResource;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The refill race, end to end against the real Redis and the CDN sandbox. An origin serves pages
 * from Redis (the application cache), loading them from a "database" on a miss; an edge cache in
 * front of it refills from the origin the moment the sandbox applies a Fastly purge (a visitor's
 * miss right after the purge). Redis' writes are held with {@code CLIENT PAUSE WRITE}, so the Redis
 * purge is certainly not done when the CDN's could land, whatever the machine's speed: the order is
 * controlled, not timed.
 *
 * <ul>
 *   <li>both targets in one layer: the CDN purge lands first and the edge caches the stale page;
 *   <li>Redis in layer 0, the CDN in layer 1: the CDN purge waits for Redis, the edge gets the new
 *       page;
 *   <li>one layer with {@code repurge-after}: the stale refill happens, and the second purge clears
 *       it.
 * </ul>
 */
@QuarkusTest
@TestProfile(RefillRaceIntegrationTest.ThreePairs.class)
@WithTestResource(KafkaBrokerResource.class)
@WithTestResource(RedisServerResource.class)
@WithTestResource(SandboxResource.class)
@WithTestResource(TestRunResource.class)
class RefillRaceIntegrationTest extends IntegrationTestSupport {

    /** Three pairs of Redis and Fastly targets: flat (one layer), layered, again (re-purge). */
    public static class ThreePairs implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> c = new HashMap<>();
            for (String pair : List.of("flat", "layered", "again")) {
                String cache = "tagpurge.targets." + pair + "-cache.";
                c.put(cache + "provider", "redis");
                c.put(cache + "tag-prefixes", pair + "-");
                String cdn = "tagpurge.targets." + pair + "-cdn.";
                c.put(cdn + "provider", "fastly");
                c.put(cdn + "service-id", pair.toUpperCase());
                c.put(cdn + "api-token", "test-token");
                c.put(cdn + "base-url", "${test.tagpurge.sandbox-url}/fastly");
                c.put(cdn + "sandbox", "true");
                c.put(cdn + "tag-prefixes", pair + "-");
            }
            // the default CDN layer is 1; "flat" and "again" put the CDN beside Redis
            c.put("tagpurge.targets.flat-cdn.layer", "0");
            c.put("tagpurge.targets.again-cdn.layer", "0");
            c.put("tagpurge.targets.again-cdn.repurge-after", "3s");
            return c;
        }
    }

    private static final String OLD = "price 10";
    private static final String NEW = "price 12";

    @Inject MeterRegistry registry;

    private RespClient redis;
    private final Map<String, String> database = new ConcurrentHashMap<>();
    private final Map<String, String> edge = new ConcurrentHashMap<>();
    private final List<String> refills = new CopyOnWriteArrayList<>();

    @BeforeEach
    void origin() {
        redis = new RespClient(RedisServerResource.redisUri());
        SandboxResource.sandbox().recorder().onRecord(this::cdnPurged);
    }

    @AfterEach
    void stop() throws IOException {
        SandboxResource.sandbox().recorder().onRecord(null);
        redis.call("CLIENT", "UNPAUSE");
        redis.close();
    }

    /** The origin: the page from the application cache, else from the database (then cached). */
    private String origin(String tag) {
        String page = "page:" + tag;
        String cached = redis.call("GET", page);
        if (cached != null) {
            return cached;
        }
        String fresh = database.get(tag);
        redis.call("SET", page, fresh);
        redis.call("SADD", "tagpurge:tag:" + tag, page);
        return fresh;
    }

    /** The edge applies a purge of its tags, and a visitor's miss refills them at once. */
    private void cdnPurged(RecordedPurge purge) {
        if (!"fastly".equals(purge.provider()) || purge.status() != 200) {
            return;
        }
        for (String tag : purge.items()) {
            if (edge.remove(tag) != null) {
                String page = origin(tag);
                edge.put(tag, page);
                refills.add(page);
            }
        }
    }

    /** The page is at OLD everywhere; the database then changes to NEW and the event is sent. */
    private String changeWhileRedisWritesAreHeld(String pair) {
        String tag = pair + "-" + UUID.randomUUID().toString().substring(0, 8);
        database.put(tag, OLD);
        edge.put(tag, origin(tag));
        assertThat(edge.get(tag)).isEqualTo(OLD);
        database.put(tag, NEW);
        redis.call("CLIENT", "PAUSE", "60000", "WRITE");
        send(
                TestRunResource.inputTopic(),
                null,
                """
                {"id":"%s","type":"price.changed","tags":["%s"],"targets":["%s-cache","%s-cdn"]}"""
                        .formatted(tag, tag, pair, pair));
        // Tagpurge's Redis purge is now held by the pause
        await().atMost(Duration.ofSeconds(30)).until(() -> blockedClients() >= 1);
        return tag;
    }

    private int blockedClients() {
        for (String line : redis.call("INFO", "clients").split("\r\n")) {
            if (line.startsWith("blocked_clients:")) {
                return Integer.parseInt(line.substring("blocked_clients:".length()));
            }
        }
        return 0;
    }

    private JsonNode completion(String id) {
        await().atMost(Duration.ofSeconds(60))
                .untilAsserted(() -> assertThat(completions(Set.of(id))).hasSize(1));
        return completions(Set.of(id)).get(id);
    }

    private List<RecordedPurge> cdnPurgesOf(String tag) {
        return SandboxResource.sandbox().recorder().purges("fastly").stream()
                .filter(p -> p.items().contains(tag))
                .toList();
    }

    @Test
    void inOneLayerTheCdnRefillsFromTheStaleApplicationCache() {
        String tag = changeWhileRedisWritesAreHeld("flat");
        // the CDN's purge is not held back: it lands, and the edge refills while Redis is stale
        await().atMost(Duration.ofSeconds(30)).until(() -> !refills.isEmpty());
        redis.call("CLIENT", "UNPAUSE");

        JsonNode done = completion(tag);
        assertThat(done.get("status").asText()).as(done.toString()).isEqualTo("succeeded");
        assertThat(redis.call("GET", "page:" + tag)).as("Redis was purged").isNull();
        assertThat(refills).containsExactly(OLD);
        assertThat(edge.get(tag)).as("the CDN serves the old price").isEqualTo(OLD);
    }

    @Test
    void withRedisInTheInnerLayerTheCdnPurgeWaitsAndTheEdgeGetsTheNewPage() {
        String tag = changeWhileRedisWritesAreHeld("layered");
        assertThat(cdnPurgesOf(tag)).as("no CDN purge while the Redis purge is held").isEmpty();
        redis.call("CLIENT", "UNPAUSE");

        JsonNode done = completion(tag);
        assertThat(done.get("status").asText()).as(done.toString()).isEqualTo("succeeded");
        assertThat(cdnPurgesOf(tag)).hasSize(1);
        assertThat(refills).containsExactly(NEW);
        assertThat(edge.get(tag)).isEqualTo(NEW);
        assertThat(outcome(done, "layered-cdn").get("startedAfterMs").asLong())
                .isGreaterThanOrEqualTo(
                        outcome(done, "layered-cache").get("completedAfterMs").asLong());
    }

    @Test
    void aSecondPurgeClearsTheStaleRefillBetweenTheTwo() {
        double before = repurged();
        String tag = changeWhileRedisWritesAreHeld("again");
        await().atMost(Duration.ofSeconds(30)).until(() -> !refills.isEmpty());
        redis.call("CLIENT", "UNPAUSE");

        JsonNode done = completion(tag);
        assertThat(done.get("status").asText()).as(done.toString()).isEqualTo("succeeded");
        assertThat(refills.get(0)).as("the first purge let a stale copy in").isEqualTo(OLD);

        await().atMost(Duration.ofSeconds(30)).until(() -> refills.size() >= 2);
        assertThat(refills).containsExactly(OLD, NEW);
        assertThat(edge.get(tag)).isEqualTo(NEW);
        assertThat(cdnPurgesOf(tag)).hasSize(2);
        await().atMost(Duration.ofSeconds(10)).until(() -> repurged() >= before + 1);
    }

    private double repurged() {
        Counter c =
                registry.find(MetricNames.REPURGES)
                        .tags("target", "again-cdn", "outcome", "succeeded")
                        .counter();
        return c == null ? 0 : c.count();
    }
}
