package dev.tagpurge.it;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/**
 * The test targets, with wildcard collapse above 3 paths and a budget on CloudFront's {@code dist}.
 */
public class CloudFrontCostProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(
                "tagpurge.targets.dist.wildcard-collapse-threshold", "3",
                "tagpurge.targets.dist.monthly-budget-usd", "25");
    }
}
