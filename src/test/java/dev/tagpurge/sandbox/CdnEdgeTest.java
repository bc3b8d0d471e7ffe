package dev.tagpurge.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tagpurge.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The cached edges: a miss, then hits with a growing Age in each provider's headers; a purge the
 * provider's API accepted makes the next GET a miss, unless the object serves stale.
 */
class CdnEdgeTest {

    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final CdnSandbox sandbox = new CdnSandbox(SandboxSettings.defaults().withClock(clock));

    private void purge(String provider, String action, String... items) {
        sandbox.recorder()
                .record(
                        new RecordedPurge(
                                provider,
                                "POST",
                                "/",
                                Map.of(),
                                true,
                                action,
                                List.of(items),
                                false,
                                200,
                                clock.instant()));
    }

    @Test
    void fastlyMissThenHitWithAgeThenMissAfterAKeyPurge() {
        CdnEdge edge = sandbox.edge("fastly");
        edge.define("/p/1", List.of("product-1"), false, -1);

        assertThat(edge.serve("/p/1", null)).containsEntry("X-Cache", "MISS");
        clock.advance(Duration.ofSeconds(5));
        Map<String, String> hit = edge.serve("/p/1", null);
        assertThat(hit).containsEntry("X-Cache", "HIT").containsEntry("Age", "5");
        assertThat(hit).containsKey("X-Served-By");

        purge("fastly", "key", "product-1");
        assertThat(edge.serve("/p/1", null)).containsEntry("X-Cache", "MISS");
    }

    @Test
    void aFailedPurgeOrAnotherProvidersPurgeLeavesTheObject() {
        CdnEdge edge = sandbox.edge("fastly");
        edge.serve("/p/2", null);
        purge("cloudflare", "everything");
        sandbox.recorder()
                .record(
                        new RecordedPurge(
                                "fastly",
                                "POST",
                                "/",
                                Map.of(),
                                true,
                                "purge_all",
                                List.of(),
                                false,
                                500,
                                clock.instant()));
        assertThat(edge.serve("/p/2", null)).containsEntry("X-Cache", "HIT");
    }

    @Test
    void aStaleServingObjectIgnoresPurges() {
        CdnEdge edge = sandbox.edge("cloudflare");
        edge.define("/old", List.of("t"), true, 3600);
        purge("cloudflare", "tags", "T");
        purge("cloudflare", "everything");
        assertThat(edge.serve("/old", null))
                .containsEntry("CF-Cache-Status", "HIT")
                .containsEntry("Age", "3600");
    }

    @Test
    void cloudflareUrlAndPrefixPurges() {
        CdnEdge edge = sandbox.edge("cloudflare");
        edge.serve("/a?x=1", null);
        edge.serve("/b/c", null);
        assertThat(edge.serve("/a?x=1", null)).containsEntry("CF-Cache-Status", "HIT");
        purge("cloudflare", "files", "https://www.example.com/a?x=1");
        purge("cloudflare", "prefixes", "www.example.com/b/");
        assertThat(edge.serve("/a?x=1", null)).containsEntry("CF-Cache-Status", "MISS");
        assertThat(edge.serve("/b/c", null)).containsEntry("CF-Cache-Status", "MISS");
    }

    @Test
    void cloudFrontPathsAndWildcards() {
        CdnEdge edge = sandbox.edge("cloudfront");
        assertThat(edge.serve("/img/a.png", null)).containsEntry("X-Cache", "Miss from cloudfront");
        clock.advance(Duration.ofSeconds(2));
        assertThat(edge.serve("/img/a.png", null))
                .containsEntry("X-Cache", "Hit from cloudfront")
                .containsEntry("Age", "2");
        purge("cloudfront", "create-invalidation", "/img/*");
        assertThat(edge.serve("/img/a.png", null)).containsEntry("X-Cache", "Miss from cloudfront");
    }

    @Test
    void fastlyUrlPurgesAsHostAndPathOrAsAWholeUrl() {
        CdnEdge edge = sandbox.edge("fastly");
        edge.define("/a?x=1", List.of(), false, 60);
        edge.define("/b", List.of(), false, 60);
        edge.define("/c", List.of(), false, 60);
        purge("fastly", "url", "www.example.com/a?x=1");
        purge("fastly", "url", "https://www.example.com/b");
        assertThat(edge.isCached("/a?x=1")).isFalse();
        assertThat(edge.isCached("/b")).isFalse();
        assertThat(edge.isCached("/c")).isTrue();
    }

    @Test
    void cloudFrontTagItemsDropTaggedObjectsOnly() {
        CdnEdge edge = sandbox.edge("cloudfront");
        edge.define("/", List.of(), false, 60);
        edge.define("/p/1", List.of("Product-1"), false, 60);
        edge.define("/p/2", List.of("product-2"), false, 60);
        purge("cloudfront", "create-invalidation", "#product-1");
        assertThat(edge.isCached("/p/1")).as("case-insensitive tag").isFalse();
        assertThat(edge.isCached("/p/2")).isTrue();
        assertThat(edge.isCached("/")).as("a #tag item is no path").isTrue();
    }

    @Test
    void akamaiAnswersDebugHeadersOnlyWhenAskedAndNoAge() {
        CdnEdge edge = sandbox.edge("akamai");
        edge.define("/x", List.of("cat"), false, 60);
        assertThat(edge.serve("/x", null)).doesNotContainKeys("X-Cache", "Age");
        Map<String, String> asked = edge.serve("/x", "akamai-x-cache-on, akamai-x-check-cacheable");
        assertThat(asked.get("X-Cache")).startsWith("TCP_HIT from ");
        assertThat(asked).containsEntry("X-Check-Cacheable", "YES").doesNotContainKey("Age");
        purge("akamai", "delete/tag", "cat");
        assertThat(edge.serve("/x", "akamai-x-cache-on").get("X-Cache")).startsWith("TCP_MISS");
    }

    @Test
    void resetEmptiesTheEdges() {
        CdnEdge edge = sandbox.edge("fastly");
        edge.serve("/r", null);
        sandbox.reset();
        assertThat(edge.isCached("/r")).isFalse();
    }
}
