package dev.tagpurge.it;

import dev.tagpurge.testing.ScaledCloudflareSandboxResource;
import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.List;
import java.util.Map;

/**
 * One Cloudflare target on the Free plan's bucket scaled down in time (25, then 5 a second, as the
 * scaled sandbox enforces), a small pending bound, and no other target.
 */
public class ScaledCloudflareProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.ofEntries(
                Map.entry("tagpurge.targets.cdn.enabled", "false"),
                Map.entry("tagpurge.targets.cache.enabled", "false"),
                Map.entry("tagpurge.targets.dist.enabled", "false"),
                Map.entry("tagpurge.targets.edge.enabled", "false"),
                Map.entry("tagpurge.targets.zone.plan", "free"),
                Map.entry("tagpurge.targets.zone.tag-prefixes", "rl-"),
                Map.entry(
                        "tagpurge.targets.zone.base-url",
                        "${test.tagpurge.scaled-sandbox-url}/cloudflare"),
                Map.entry("tagpurge.targets.zone.rate-limits.purge-requests.capacity", "25"),
                Map.entry("tagpurge.targets.zone.rate-limits.purge-requests.refill-tokens", "5"),
                Map.entry("tagpurge.targets.zone.rate-limits.purge-requests.refill-period", "1s"),
                Map.entry("tagpurge.coalesce.max-pending", "2500"),
                Map.entry("mp.messaging.incoming.change-events.max.poll.records", "200"));
    }

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(ScaledCloudflareSandboxResource.class));
    }
}
