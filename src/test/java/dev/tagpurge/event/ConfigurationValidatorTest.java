package dev.tagpurge.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tagpurge.config.TagpurgeConfig;
import dev.tagpurge.purge.akamai.AkamaiPurgerFactory;
import dev.tagpurge.purge.akamai.AkamaiTargets;
import dev.tagpurge.purge.cloudflare.CloudflarePurgerFactory;
import dev.tagpurge.purge.cloudflare.CloudflareTargets;
import dev.tagpurge.purge.cloudfront.CloudFrontPurgerFactory;
import dev.tagpurge.purge.cloudfront.CloudFrontTargets;
import dev.tagpurge.purge.fastly.FastlyPurgerFactory;
import dev.tagpurge.purge.fastly.FastlyTargets;
import dev.tagpurge.purge.redis.RedisPurgerFactory;
import dev.tagpurge.purge.redis.RedisTargets;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.ConfigValidationException;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Start-up validation lists every error of a configuration at once, each with its key, using the
 * real configuration mapping and the real providers' checks.
 */
class ConfigurationValidatorTest {

    private static final String ZONE_ID = "023e105f4ecef8ad9ca31a8372d0c353";

    @Test
    void aValidConfigurationHasNoErrors() {
        assertThat(validator(validTargets()).errors()).isEmpty();
    }

    @Test
    void listsEveryErrorAtOnceEachWithItsKey() {
        Map<String, String> p = validTargets();
        p.put("tagpurge.targets.zone.zone-id", "example.com");
        p.put("tagpurge.targets.web.api-token", "");
        p.put("tagpurge.targets.typo.provider", "fastyl");
        p.put("tagpurge.targets.cache.provider", "redis");
        p.put("tagpurge.targets.cache.batch-size", "0");
        p.put("tagpurge.input.max-in-flight-events", "0");
        p.put("tagpurge.purge.retry-max-backoff", "1ms");
        p.put("tagpurge.coalesce.max-linger", "10ms");
        p.put("tagpurge.rules[0].type", "product.*");
        p.put("tagpurge.rules[0].tags", "product-{data.id");

        List<String> errors = validator(p).errors();

        assertThat(errors)
                .hasSize(8)
                .anySatisfy(e -> assertThat(e).startsWith("tagpurge.targets.zone.zone-id"))
                .anySatisfy(e -> assertThat(e).startsWith("tagpurge.targets.web.api-token"))
                .anySatisfy(
                        e ->
                                assertThat(e)
                                        .startsWith("tagpurge.targets.typo.provider")
                                        .contains("fastyl")
                                        .contains("fastly"))
                .anySatisfy(e -> assertThat(e).startsWith("tagpurge.targets.cache.batch-size"))
                .anySatisfy(e -> assertThat(e).startsWith("tagpurge.input.max-in-flight-events"))
                .anySatisfy(e -> assertThat(e).startsWith("tagpurge.purge.retry-max-backoff"))
                .anySatisfy(e -> assertThat(e).startsWith("tagpurge.coalesce.max-linger"))
                .anySatisfy(e -> assertThat(e).startsWith("tagpurge.rules[0]"));
        assertThat(ConfigurationValidator.message(errors))
                .startsWith("Tagpurge configuration is invalid (8 errors):")
                .contains("\n  - tagpurge.targets.zone.zone-id");
    }

    @Test
    void valuesOfTheWrongTypeAreReportedTogetherWhenTheConfigurationIsLoaded() {
        Map<String, String> p = validTargets();
        p.put("tagpurge.targets.zone.plan", "gold");
        p.put("tagpurge.targets.dist.provider", "cloudfront");
        p.put("tagpurge.targets.dist.distribution-id", "E1");
        p.put("tagpurge.targets.dist.poll-interval", "soon");
        p.put("tagpurge.targets.edge.provider", "akamai");
        p.put("tagpurge.targets.edge.network", "prod");
        p.put("tagpurge.purge.default-mode", "gentle");
        p.put("tagpurge.completion.mode", "per-batch");

        assertThatThrownBy(() -> validator(p))
                .isInstanceOfSatisfying(
                        ConfigValidationException.class,
                        e -> assertThat(e.getProblemCount()).isEqualTo(5))
                .hasMessageContaining("tagpurge.targets.zone.plan")
                .hasMessageContaining("allowed values: business,enterprise,free,pro")
                .hasMessageContaining("tagpurge.targets.dist.poll-interval")
                .hasMessageContaining("soon")
                .hasMessageContaining("tagpurge.targets.edge.network")
                .hasMessageContaining("allowed values: production,staging")
                .hasMessageContaining("tagpurge.purge.default-mode")
                .hasMessageContaining("tagpurge.completion.mode");
    }

    @Test
    void enumsAreReadInAnyCaseAndWithHyphens() {
        Map<String, String> p = validTargets();
        p.put("tagpurge.targets.zone.plan", "Enterprise");
        p.put("tagpurge.purge.default-mode", "SOFT");
        p.put("tagpurge.completion.mode", "off");

        assertThat(validator(p).errors()).isEmpty();
    }

    @Test
    void anUnknownProviderIsNamedWithItsKeyAndTheDiscoveredProviders() {
        Map<String, String> p = validTargets();
        p.put("tagpurge.targets.edge.provider", "limelight");

        assertThat(validator(p).errors())
                .singleElement()
                .asString()
                .startsWith("tagpurge.targets.edge.provider: unknown provider 'limelight'")
                .contains("[akamai, cloudflare, cloudfront, fastly, redis]");
    }

    @Test
    void zeroEnabledTargetsIsAnErrorUnlessExplicitlyAllowed() {
        Map<String, String> p = new HashMap<>();
        p.put("tagpurge.targets.web.provider", "fastly");
        p.put("tagpurge.targets.web.enabled", "false");

        assertThat(validator(p).errors())
                .singleElement()
                .asString()
                .startsWith("tagpurge.targets: no enabled purge target")
                .contains("tagpurge.allow-no-targets=true");

        p.put("tagpurge.allow-no-targets", "true");
        assertThat(validator(p).errors()).isEmpty();
    }

    @Test
    void aRealProviderNeedsHttpsUnlessTheTargetIsMarkedAsASandbox() {
        Map<String, String> p = validTargets();
        p.put("tagpurge.targets.web.base-url", "http://api.fastly.com");
        p.put("tagpurge.targets.zone.base-url", "http://127.0.0.1:8080/sandbox/cloudflare");
        p.put("tagpurge.targets.zone.sandbox", "true");

        assertThat(validator(p).errors())
                .singleElement()
                .asString()
                .startsWith("tagpurge.targets.web.base-url must be an https URL")
                .contains("tagpurge.targets.web.sandbox=true");
    }

    private static Map<String, String> validTargets() {
        Map<String, String> p = new HashMap<>();
        p.put("tagpurge.targets.web.provider", "fastly");
        p.put("tagpurge.targets.web.service-id", "SU1Z0isxPaozGVKXdv0eY");
        p.put("tagpurge.targets.web.api-token", "token");
        p.put("tagpurge.targets.zone.provider", "cloudflare");
        p.put("tagpurge.targets.zone.zone-id", ZONE_ID);
        p.put("tagpurge.targets.zone.api-token", "token");
        return p;
    }

    private static ConfigurationValidator validator(Map<String, String> properties) {
        SmallRyeConfig config =
                new SmallRyeConfigBuilder()
                        .withMapping(TagpurgeConfig.class)
                        .withMapping(FastlyTargets.class)
                        .withMapping(CloudflareTargets.class)
                        .withMapping(AkamaiTargets.class)
                        .withMapping(CloudFrontTargets.class)
                        .withMapping(RedisTargets.class)
                        // Quarkus' duration syntax ("50ms"), as the service reads it
                        .withConverter(Duration.class, 200, new DurationConverter())
                        .withSources(new PropertiesConfigSource(properties, "test", 100))
                        .build();
        // without Quarkus there are no Redis clients to look up: the one Redis target here fails
        // on its batch size, before the lookup
        return new ConfigurationValidator(
                config.getConfigMapping(TagpurgeConfig.class),
                List.of(
                        new FastlyPurgerFactory(
                                null,
                                Duration.ofSeconds(10),
                                Duration.ofMinutes(5),
                                config.getConfigMapping(FastlyTargets.class)),
                        new CloudflarePurgerFactory(
                                null,
                                Duration.ofSeconds(10),
                                Duration.ofMinutes(5),
                                config.getConfigMapping(CloudflareTargets.class)),
                        new AkamaiPurgerFactory(
                                null,
                                Duration.ofSeconds(10),
                                Duration.ofMinutes(5),
                                config.getConfigMapping(AkamaiTargets.class)),
                        new CloudFrontPurgerFactory(
                                new SimpleMeterRegistry(),
                                config.getConfigMapping(CloudFrontTargets.class)),
                        new RedisPurgerFactory(null, config.getConfigMapping(RedisTargets.class))));
    }
}
