package dev.tagpurge.purge.fastly;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tagpurge.testing.TestTargetConfig;
import org.junit.jupiter.api.Test;

class FastlySettingsTest {

    @Test
    void defaultsToTheRealApiAndTheDocumentedKeyLimit() {
        FastlySettings settings = settings("web", StubTargetConfig.fastly(null, "SU1Z0isx", "tok"));

        assertThat(settings.baseUrl()).isEqualTo("https://api.fastly.com");
        assertThat(settings.maxKeys()).isEqualTo(256);
        assertThat(settings.defaultHost()).isEmpty();
    }

    @Test
    void batchSizeIsCappedAt256() {
        TestTargetConfig config = StubTargetConfig.fastly(null, "svc", "tok");

        assertThat(settings("web", config.with("batch-size", 1000)).maxKeys()).isEqualTo(256);
        assertThat(settings("web", config.with("batch-size", 50)).maxKeys()).isEqualTo(50);
        assertThatThrownBy(() -> settings("web", config.with("batch-size", 0)))
                .hasMessageContaining("tagpurge.targets.web.batch-size");
    }

    @Test
    void missingServiceIdOrTokenNamesTheKey() {
        assertThatThrownBy(() -> settings("web", StubTargetConfig.fastly(null, null, "tok")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("tagpurge.targets.web.service-id");
        assertThatThrownBy(() -> settings("web", StubTargetConfig.fastly(null, "svc", " ")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("tagpurge.targets.web.api-token");
    }

    @Test
    void rejectsABadServiceIdOrBaseUrl() {
        assertThatThrownBy(() -> settings("web", StubTargetConfig.fastly(null, "../x", "tok")))
                .hasMessageContaining("tagpurge.targets.web.service-id");
        assertThatThrownBy(() -> settings("web", StubTargetConfig.fastly("ftp://x", "svc", "tok")))
                .hasMessageContaining("tagpurge.targets.web.base-url");
    }

    @Test
    void trimsTheBaseUrlAndTakesTheFirstHost() {
        FastlySettings settings =
                settings(
                        "web",
                        StubTargetConfig.fastly("http://127.0.0.1:1234/fastly/", "svc", "tok")
                                .with(
                                        "hosts",
                                        String.join(
                                                ",",
                                                "https://www.example.com/",
                                                "cdn.example.com")));

        assertThat(settings.baseUrl()).isEqualTo("http://127.0.0.1:1234/fastly");
        assertThat(settings.defaultHost()).contains("www.example.com");
    }

    @Test
    void toStringNeverShowsTheToken() {
        FastlySettings settings =
                settings("web", StubTargetConfig.fastly(null, "svc", "s3cr3t-token"));

        assertThat(settings.toString()).doesNotContain("s3cr3t-token").contains("apiToken=***");
    }

    private static FastlySettings settings(String name, TestTargetConfig config) {
        TestTargetConfig named = config.named(name);
        return FastlySettings.from(
                name, named, named.keys(FastlyTargets.class, FastlyTargets::targets));
    }
}
