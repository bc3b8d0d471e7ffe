package dev.tagpurge.purge.cloudflare;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tagpurge.testing.TestTargetConfig;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CloudflareSettingsTest {

    private static final String ZONE = CloudflareRequestsTest.ZONE;

    @Test
    void defaultsToTheRealApiAndTheFreePlan() {
        CloudflareSettings settings = CloudflareSettings.from("zone", config());

        assertThat(settings.baseUrl()).isEqualTo("https://api.cloudflare.com/client/v4");
        assertThat(settings.plan()).isEqualTo(CloudflarePlan.FREE);
        assertThat(settings.maxTags()).isEqualTo(100);
        assertThat(settings.maxUrls()).isEqualTo(100);
        assertThat(settings.maxPrefixes()).isEqualTo(100);
        assertThat(settings.defaultHost()).isEmpty();
    }

    @Test
    void enterpriseSendsFiveHundredUrlsButStillAHundredTags() {
        CloudflareSettings settings =
                CloudflareSettings.from(
                        "zone",
                        config().with("plan", "Enterprise")
                                .with("base-url", "http://127.0.0.1:8089/cloudflare/")
                                .with("hosts", "https://www.example.com/, img.example.com"));

        assertThat(settings.maxUrls()).isEqualTo(500);
        assertThat(settings.maxTags()).isEqualTo(100);
        assertThat(settings.baseUrl()).isEqualTo("http://127.0.0.1:8089/cloudflare");
        assertThat(settings.defaultHost()).isEqualTo(Optional.of("www.example.com"));
    }

    @Test
    void batchSizeLowersEveryLimitAndCannotExceedThePlan() {
        CloudflareSettings small = CloudflareSettings.from("zone", config().with("batch-size", 30));
        CloudflareSettings enterprise =
                CloudflareSettings.from(
                        "zone", config().with("plan", "enterprise").with("batch-size", 200));

        assertThat(small.maxTags()).isEqualTo(30);
        assertThat(small.maxUrls()).isEqualTo(30);
        assertThat(small.maxPrefixes()).isEqualTo(30);
        assertThat(enterprise.maxTags()).isEqualTo(100);
        assertThat(enterprise.maxUrls()).isEqualTo(200);
        assertThatThrownBy(() -> CloudflareSettings.from("zone", config().with("batch-size", 101)))
                .hasMessage(
                        "tagpurge.targets.zone.batch-size must be between 1 and 100 on the free"
                                + " plan, was 101");
        assertThatThrownBy(() -> CloudflareSettings.from("zone", config().with("batch-size", 0)))
                .hasMessageContaining("tagpurge.targets.zone.batch-size");
    }

    @Test
    void missingOrInvalidKeysNameTheFullKey() {
        assertThatThrownBy(() -> CloudflareSettings.from("zone", config().with("zone-id", null)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("tagpurge.targets.zone.zone-id is required for a cloudflare target");
        assertThatThrownBy(() -> CloudflareSettings.from("zone", config().with("api-token", " ")))
                .hasMessage("tagpurge.targets.zone.api-token is required for a cloudflare target");
        assertThatThrownBy(
                        () ->
                                CloudflareSettings.from(
                                        "zone", config().with("zone-id", "example.com")))
                .hasMessageStartingWith("tagpurge.targets.zone.zone-id must be the zone's");
        assertThatThrownBy(() -> CloudflareSettings.from("zone", config().with("plan", "gold")))
                .hasMessage(
                        "tagpurge.targets.zone.plan must be one of free, pro, business,"
                                + " enterprise, was gold");
        assertThatThrownBy(
                        () ->
                                CloudflareSettings.from(
                                        "zone", config().with("base-url", "api.cloudflare.com")))
                .hasMessageStartingWith("tagpurge.targets.zone.base-url must be an http(s) URL");
    }

    @Test
    void toStringNeverShowsTheToken() {
        assertThat(CloudflareSettings.from("zone", config()).toString())
                .contains("apiToken=***")
                .doesNotContain("secret-token");
    }

    static TestTargetConfig config() {
        return TestTargetConfig.of("cloudflare")
                .with("zone-id", ZONE)
                .with("api-token", "secret-token");
    }
}
