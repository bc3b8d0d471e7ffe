package dev.tagpurge.purge.akamai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tagpurge.testing.TestTargetConfig;
import dev.tagpurge.testing.TestTargets;
import io.smallrye.config.ConfigValidationException;
import io.vertx.mutiny.core.Vertx;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class AkamaiSettingsTest {

    static TestTargetConfig config(String baseUrl) {
        return TestTargetConfig.of("akamai")
                .with("base-url", baseUrl)
                .with("client-token", "akab-ct")
                .with("client-secret", "very-secret-value")
                .with("access-token", "akab-at");
    }

    @Test
    void readsARealCredentialHost() {
        AkamaiSettings settings =
                settings(
                        "edge",
                        config("https://akab-abc.purge.akamaiapis.net/")
                                .with("network", "Staging")
                                .with("cp-codes", "12345, 67890")
                                .with("hosts", "https://www.example.com/,shop.example.com"));

        assertThat(settings.baseUrl()).isEqualTo("https://akab-abc.purge.akamaiapis.net");
        assertThat(settings.signingHost()).isEqualTo("akab-abc.purge.akamaiapis.net");
        assertThat(settings.basePath()).isEmpty();
        assertThat(settings.network()).isEqualTo("staging");
        assertThat(settings.cpCodes()).containsExactly(12345L, 67890L);
        assertThat(settings.defaultHost()).contains("www.example.com");
        assertThat(settings.maxTags()).isEqualTo(AkamaiSettings.MAX_TAGS_PER_REQUEST);
        assertThat(settings.maxUrls()).isEqualTo(AkamaiSettings.MAX_URLS_PER_REQUEST);
    }

    @Test
    void aSandboxRootSignsItsPortAndPath() {
        AkamaiSettings settings = settings("edge", config("http://127.0.0.1:8089/sandbox/akamai"));

        assertThat(settings.signingHost()).isEqualTo("127.0.0.1:8089");
        assertThat(settings.basePath()).isEqualTo("/sandbox/akamai");
        assertThat(settings.network()).isEqualTo("production");
        assertThat(settings.cpCodes()).isEmpty();
        assertThat(settings.defaultHost()).isEmpty();
        assertThat(settings("edge", config("https://h.example:443")).signingHost())
                .isEqualTo("h.example");
    }

    @Test
    void missingOrInvalidKeysAreNamed() {
        assertMessage(config(null), "tagpurge.targets.edge.base-url");
        assertMessage(config("ftp://x"), "tagpurge.targets.edge.base-url");
        assertMessage(
                config("https://h").with("client-token", " "),
                "tagpurge.targets.edge.client-token");
        assertMessage(
                config("https://h").with("client-secret", null),
                "tagpurge.targets.edge.client-secret");
        assertMessage(
                config("https://h").with("access-token", null),
                "tagpurge.targets.edge.access-token");
        assertMessage(config("https://h").with("network", "prod"), "tagpurge.targets.edge.network");
        assertMessage(
                config("https://h").with("cp-codes", "12a"), "tagpurge.targets.edge.cp-codes");
        assertMessage(config("https://h").with("cp-codes", "0"), "tagpurge.targets.edge.cp-codes");
        assertMessage(
                config("https://h").with("batch-size", "0"), "tagpurge.targets.edge.batch-size");
    }

    @Test
    void errorsAndToStringNeverShowTheCredential() {
        AkamaiSettings settings = settings("edge", config("https://h"));

        assertThat(settings.toString())
                .doesNotContain("very-secret-value")
                .doesNotContain("akab-ct")
                .doesNotContain("akab-at");
        assertThatThrownBy(() -> settings("edge", config("https://h").with("network", "x")))
                .message()
                .doesNotContain("very-secret-value");
    }

    @Test
    void batchSizeLowersButNeverRaisesTheCaps() {
        assertThat(settings("edge", config("https://h").with("batch-size", "50")))
                .extracting(AkamaiSettings::maxTags, AkamaiSettings::maxUrls)
                .containsExactly(50, 50);
        assertThat(settings("edge", config("https://h").with("batch-size", "99999")))
                .extracting(AkamaiSettings::maxTags, AkamaiSettings::maxUrls)
                .containsExactly(
                        AkamaiSettings.MAX_TAGS_PER_REQUEST, AkamaiSettings.MAX_URLS_PER_REQUEST);
    }

    @Test
    void theFactoryBuildsAnAdapterWithAkamaisLimits() {
        Vertx vertx = Vertx.vertx();
        TestTargets targets = new TestTargets();
        AkamaiPurgerFactory factory =
                new AkamaiPurgerFactory(
                        vertx,
                        Duration.ofSeconds(10),
                        Duration.ofMinutes(5),
                        () -> targets.keys(AkamaiTargets.class, AkamaiTargets::targets));
        try {
            var purger =
                    factory.create(
                            "edge", targets.put("edge", config("https://h").with("cp-codes", "1")));

            assertThat(factory.provider()).isEqualTo("akamai");
            assertThat(purger.provider()).isEqualTo("akamai");
            assertThat(purger.caseInsensitiveTags()).isFalse();
            assertThat(purger.limits().maxTags()).isEqualTo(5_000);
            assertThat(purger.limits().maxBytes())
                    .isLessThan(50_000 - "{\"objects\":[]}".length())
                    .isGreaterThan(49_000);
            assertThatThrownBy(
                            () ->
                                    factory.create(
                                            "web",
                                            targets.put(
                                                    "web",
                                                    config("https://h")
                                                            .with("client-token", null))))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("tagpurge.targets.web.client-token");
        } finally {
            factory.close();
            vertx.closeAndAwait();
        }
    }

    // a value of the wrong type fails when the configuration is loaded, a wrong value later
    private static void assertMessage(TestTargetConfig config, String key) {
        assertThatThrownBy(() -> settings("edge", config))
                .isInstanceOfAny(IllegalArgumentException.class, ConfigValidationException.class)
                .hasMessageContaining(key);
    }

    private static AkamaiSettings settings(String name, TestTargetConfig config) {
        TestTargetConfig named = config.named(name);
        return AkamaiSettings.from(
                name, named, named.keys(AkamaiTargets.class, AkamaiTargets::targets));
    }
}
