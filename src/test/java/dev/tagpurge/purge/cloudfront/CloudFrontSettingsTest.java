package dev.tagpurge.purge.cloudfront;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tagpurge.testing.TestTargetConfig;
import io.smallrye.config.ConfigValidationException;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class CloudFrontSettingsTest {

    @Test
    void defaultsFollowCloudFrontsLimits() {
        CloudFrontSettings s =
                settings(
                        TestTargetConfig.of("cloudfront")
                                .with("distribution-id", "EDFDVBD6EXAMPLE"));

        assertThat(s.distributionId()).isEqualTo("EDFDVBD6EXAMPLE");
        assertThat(s.endpoint()).isEmpty();
        assertThat(s.region()).isEqualTo("us-east-1");
        assertThat(s.maxPathsPerRequest()).isEqualTo(1000);
        assertThat(s.maxPrefixesPerRequest()).isEqualTo(15);
        assertThat(s.maxPathsInProgress()).isEqualTo(3000);
        assertThat(s.maxWildcardsInProgress()).isEqualTo(15);
        assertThat(s.pollInterval()).isEqualTo(Duration.ofSeconds(5));
        assertThat(s.completionTimeout()).isEqualTo(Duration.ofMinutes(15));
        assertThat(s.loopbackEndpoint()).isFalse();
        assertThat(s.collapsesWildcards()).as("off by default").isFalse();
        assertThat(s.monthlyBudgetUsd()).isEmpty();
    }

    @Test
    void costControlKeysAreReadAndChecked() {
        CloudFrontSettings s =
                settings(
                        TestTargetConfig.of("cloudfront")
                                .with("distribution-id", "E1")
                                .with("wildcard-collapse-threshold", "20")
                                .with("monthly-budget-usd", "12.5"));

        assertThat(s.collapsesWildcards()).isTrue();
        assertThat(s.wildcardCollapseThreshold()).isEqualTo(20);
        assertThat(s.monthlyBudgetUsd()).contains(12.5);
        assertThatThrownBy(
                        () ->
                                settings(
                                        TestTargetConfig.of("cloudfront")
                                                .with("distribution-id", "E1")
                                                .with("wildcard-collapse-threshold", "0")))
                .hasMessageContaining("tagpurge.targets.dist.wildcard-collapse-threshold");
        assertThatThrownBy(
                        () ->
                                settings(
                                        TestTargetConfig.of("cloudfront")
                                                .with("distribution-id", "E1")
                                                .with("monthly-budget-usd", "-1")))
                .hasMessageContaining("tagpurge.targets.dist.monthly-budget-usd");
    }

    @Test
    void cloudFrontKeysAreMappedWithQuarkusDurations() {
        CloudFrontSettings s =
                settings(
                        TestTargetConfig.of("cloudfront")
                                .with("distribution-id", "E1")
                                .with("batch-size", 5000)
                                .with("base-url", "http://127.0.0.1:8089/sandbox/cloudfront/")
                                .with("poll-interval", "250ms")
                                .with("completion-timeout", "PT2M")
                                .with("max-paths-in-progress", "100")
                                .with("max-wildcards-in-progress", "3"));

        assertThat(s.pollInterval()).isEqualTo(Duration.ofMillis(250));
        assertThat(s.completionTimeout()).isEqualTo(Duration.ofMinutes(2));
        assertThat(s.maxPathsPerRequest()).as("capped by the in-progress budget").isEqualTo(100);
        assertThat(s.maxPrefixesPerRequest()).isEqualTo(3);
        assertThat(s.endpoint()).contains(URI.create("http://127.0.0.1:8089/sandbox/cloudfront"));
        assertThat(s.loopbackEndpoint()).isTrue();
    }

    @Test
    void aDurationThatIsNoneFailsWhenTheConfigurationIsLoaded() {
        assertThatThrownBy(
                        () ->
                                settings(
                                        TestTargetConfig.of("cloudfront")
                                                .named("dist")
                                                .with("distribution-id", "E1")
                                                .with("poll-interval", "soon")))
                .isInstanceOf(ConfigValidationException.class)
                .hasMessageContaining("tagpurge.targets.dist.poll-interval")
                .hasMessageContaining("soon");
    }

    @Test
    void missingOrInvalidKeysFailWithTheirFullName() {
        assertThatThrownBy(() -> settings(TestTargetConfig.of("cloudfront")))
                .hasMessageContaining("tagpurge.targets.dist.distribution-id is required");
        assertThatThrownBy(
                        () ->
                                settings(
                                        TestTargetConfig.of("cloudfront")
                                                .with("distribution-id", "E1/../x")))
                .hasMessageContaining("tagpurge.targets.dist.distribution-id must be alphanumeric");
        assertThatThrownBy(
                        () ->
                                settings(
                                        TestTargetConfig.of("cloudfront")
                                                .with("distribution-id", "E1")
                                                .with("base-url", "cloudfront.local")))
                .hasMessageContaining("tagpurge.targets.dist.base-url");
        assertThatThrownBy(
                        () ->
                                settings(
                                        TestTargetConfig.of("cloudfront")
                                                .with("distribution-id", "E1")
                                                .with("poll-interval", "0s")))
                .hasMessageContaining("tagpurge.targets.dist.poll-interval");
        assertThatThrownBy(
                        () ->
                                settings(
                                        TestTargetConfig.of("cloudfront")
                                                .with("distribution-id", "E1")
                                                .with("max-wildcards-in-progress", "0")))
                .hasMessageContaining("tagpurge.targets.dist.max-wildcards-in-progress");
        assertThatThrownBy(
                        () ->
                                settings(
                                        TestTargetConfig.of("cloudfront")
                                                .with("distribution-id", "E1")
                                                .with("batch-size", 0)))
                .hasMessageContaining("tagpurge.targets.dist.batch-size");
    }

    private static CloudFrontSettings settings(TestTargetConfig config) {
        return CloudFrontSettings.from(
                "dist", config, config.keys(CloudFrontTargets.class, CloudFrontTargets::targets));
    }
}
