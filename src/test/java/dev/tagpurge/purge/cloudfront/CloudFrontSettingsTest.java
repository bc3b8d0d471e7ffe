package dev.tagpurge.purge.cloudfront;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tagpurge.testing.TestTargetConfig;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class CloudFrontSettingsTest {

    private static final Function<String, Optional<String>> NONE = key -> Optional.empty();

    @Test
    void defaultsFollowCloudFrontsLimits() {
        CloudFrontSettings s =
                CloudFrontSettings.from(
                        "dist",
                        TestTargetConfig.of("cloudfront")
                                .with("distribution-id", "EDFDVBD6EXAMPLE"),
                        NONE);

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
    }

    @Test
    void extraKeysAreReadByTheirFullName() {
        Map<String, String> extra =
                Map.of(
                        "tagpurge.targets.dist.poll-interval", "250ms",
                        "tagpurge.targets.dist.completion-timeout", "PT2M",
                        "tagpurge.targets.dist.max-paths-in-progress", "100",
                        "tagpurge.targets.dist.max-wildcards-in-progress", "3");

        CloudFrontSettings s =
                CloudFrontSettings.from(
                        "dist",
                        TestTargetConfig.of("cloudfront")
                                .with("distribution-id", "E1")
                                .with("batch-size", 5000)
                                .with("base-url", "http://127.0.0.1:8089/sandbox/cloudfront/"),
                        key -> Optional.ofNullable(extra.get(key)));

        assertThat(s.pollInterval()).isEqualTo(Duration.ofMillis(250));
        assertThat(s.completionTimeout()).isEqualTo(Duration.ofMinutes(2));
        assertThat(s.maxPathsPerRequest()).as("capped by the in-progress budget").isEqualTo(100);
        assertThat(s.maxPrefixesPerRequest()).isEqualTo(3);
        assertThat(s.endpoint()).contains(URI.create("http://127.0.0.1:8089/sandbox/cloudfront"));
        assertThat(s.loopbackEndpoint()).isTrue();
    }

    @Test
    void durationsAcceptQuarkusShapes() {
        assertThat(CloudFrontSettings.parseDuration("5")).isEqualTo(Duration.ofSeconds(5));
        assertThat(CloudFrontSettings.parseDuration("5s")).isEqualTo(Duration.ofSeconds(5));
        assertThat(CloudFrontSettings.parseDuration("15m")).isEqualTo(Duration.ofMinutes(15));
        assertThat(CloudFrontSettings.parseDuration("1h")).isEqualTo(Duration.ofHours(1));
        assertThat(CloudFrontSettings.parseDuration("pt0.5s")).isEqualTo(Duration.ofMillis(500));
    }

    @Test
    void missingOrInvalidKeysFailWithTheirFullName() {
        assertThatThrownBy(
                        () ->
                                CloudFrontSettings.from(
                                        "dist", TestTargetConfig.of("cloudfront"), NONE))
                .hasMessageContaining("tagpurge.targets.dist.distribution-id is required");
        assertThatThrownBy(
                        () ->
                                CloudFrontSettings.from(
                                        "dist",
                                        TestTargetConfig.of("cloudfront")
                                                .with("distribution-id", "E1/../x"),
                                        NONE))
                .hasMessageContaining("tagpurge.targets.dist.distribution-id must be alphanumeric");
        assertThatThrownBy(
                        () ->
                                CloudFrontSettings.from(
                                        "dist",
                                        TestTargetConfig.of("cloudfront")
                                                .with("distribution-id", "E1")
                                                .with("base-url", "cloudfront.local"),
                                        NONE))
                .hasMessageContaining("tagpurge.targets.dist.base-url");
        assertThatThrownBy(
                        () ->
                                CloudFrontSettings.from(
                                        "dist",
                                        TestTargetConfig.of("cloudfront")
                                                .with("distribution-id", "E1"),
                                        key ->
                                                key.endsWith("poll-interval")
                                                        ? Optional.of("soon")
                                                        : Optional.empty()))
                .hasMessageContaining("tagpurge.targets.dist.poll-interval");
        assertThatThrownBy(
                        () ->
                                CloudFrontSettings.from(
                                        "dist",
                                        TestTargetConfig.of("cloudfront")
                                                .with("distribution-id", "E1"),
                                        key ->
                                                key.endsWith("max-wildcards-in-progress")
                                                        ? Optional.of("0")
                                                        : Optional.empty()))
                .hasMessageContaining("tagpurge.targets.dist.max-wildcards-in-progress");
        assertThatThrownBy(
                        () ->
                                CloudFrontSettings.from(
                                        "dist",
                                        TestTargetConfig.of("cloudfront")
                                                .with("distribution-id", "E1")
                                                .with("batch-size", 0),
                                        NONE))
                .hasMessageContaining("tagpurge.targets.dist.batch-size");
    }
}
