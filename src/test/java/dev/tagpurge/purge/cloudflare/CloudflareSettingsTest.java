package dev.tagpurge.purge.cloudflare;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tagpurge.testing.TestTargetConfig;
import io.smallrye.config.ConfigValidationException;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CloudflareSettingsTest {

    private static final String ZONE = CloudflareRequestsTest.ZONE;

    @Test
    void defaultsToTheRealApiAndTheFreePlan() {
        CloudflareSettings settings = settings("zone", config());

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
                settings(
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
        CloudflareSettings small = settings("zone", config().with("batch-size", 30));
        CloudflareSettings enterprise =
                settings("zone", config().with("plan", "enterprise").with("batch-size", 200));

        assertThat(small.maxTags()).isEqualTo(30);
        assertThat(small.maxUrls()).isEqualTo(30);
        assertThat(small.maxPrefixes()).isEqualTo(30);
        assertThat(enterprise.maxTags()).isEqualTo(100);
        assertThat(enterprise.maxUrls()).isEqualTo(200);
        assertThatThrownBy(() -> settings("zone", config().with("batch-size", 101)))
                .hasMessage(
                        "tagpurge.targets.zone.batch-size must be between 1 and 100 on the free"
                                + " plan, was 101");
        assertThatThrownBy(() -> settings("zone", config().with("batch-size", 0)))
                .hasMessageContaining("tagpurge.targets.zone.batch-size");
    }

    @Test
    void missingOrInvalidKeysNameTheFullKey() {
        assertThatThrownBy(() -> settings("zone", config().with("zone-id", null)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("tagpurge.targets.zone.zone-id is required for a cloudflare target");
        assertThatThrownBy(() -> settings("zone", config().with("api-token", " ")))
                .hasMessage("tagpurge.targets.zone.api-token is required for a cloudflare target");
        assertThatThrownBy(() -> settings("zone", config().with("zone-id", "example.com")))
                .hasMessageStartingWith("tagpurge.targets.zone.zone-id must be the zone's");
        assertThatThrownBy(() -> settings("zone", config().with("plan", "gold")))
                .isInstanceOf(ConfigValidationException.class)
                .hasMessageContaining("tagpurge.targets.zone.plan")
                .hasMessageContaining("allowed values: business,enterprise,free,pro");
        assertThatThrownBy(() -> settings("zone", config().with("base-url", "api.cloudflare.com")))
                .hasMessageStartingWith("tagpurge.targets.zone.base-url must be an http(s) URL");
    }

    @Test
    void toStringNeverShowsTheToken() {
        assertThat(settings("zone", config()).toString())
                .contains("apiToken=***")
                .doesNotContain("secret-token");
    }

    static TestTargetConfig config() {
        return TestTargetConfig.of("cloudflare")
                .with("zone-id", ZONE)
                .with("api-token", "secret-token");
    }

    private static CloudflareSettings settings(String name, TestTargetConfig config) {
        TestTargetConfig named = config.named(name);
        return CloudflareSettings.from(
                name, named, named.keys(CloudflareTargets.class, CloudflareTargets::targets));
    }
}
