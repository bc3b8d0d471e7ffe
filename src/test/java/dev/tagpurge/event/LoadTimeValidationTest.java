package dev.tagpurge.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tagpurge.config.DurationForms;
import dev.tagpurge.config.TagpurgeConfig;
import dev.tagpurge.purge.akamai.AkamaiTargets;
import dev.tagpurge.purge.cloudflare.CloudflareTargets;
import dev.tagpurge.purge.cloudfront.CloudFrontTargets;
import dev.tagpurge.purge.fastly.FastlyTargets;
import dev.tagpurge.purge.redis.RedisTargets;
import io.smallrye.config.ConfigValidationException;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Loading a configuration with the customizer Quarkus adds reports the values of the wrong type and
 * the errors of {@link ConfigurationValidator} in one exception, each naming its key.
 */
class LoadTimeValidationTest {

    private static final String ZONE_ID = "023e105f4ecef8ad9ca31a8372d0c353";

    @Test
    void aValidConfigurationLoads() {
        assertThat(load(validTargets()).getConfigMapping(TagpurgeConfig.class).targets())
                .containsOnlyKeys("web", "zone");
    }

    @Test
    void valuesOfTheWrongTypeAndMissingKeysComeInOneException() {
        Map<String, String> p = validTargets();
        p.put("tagpurge.targets.zone.plan", "platinum");
        p.put("tagpurge.targets.cdn2.provider", "fastly");
        p.put("tagpurge.targets.cdn2.api-token", "secret-fastly-token");
        p.put("tagpurge.purge.deadline", "soon");

        assertThatThrownBy(() -> load(p))
                .isInstanceOfSatisfying(
                        ConfigValidationException.class, e -> assertThat(problems(e)).hasSize(3))
                .hasMessageContaining("tagpurge.targets.zone.plan")
                .hasMessageContaining("allowed values: business,enterprise,free,pro")
                .hasMessageContaining("tagpurge.purge.deadline")
                .hasMessageContaining("expected a duration such as 500ms, 5s, 15m, 2h, 7d or PT5S")
                .hasMessageContaining(
                        "tagpurge.targets.cdn2.service-id is required for a fastly target")
                .hasMessageNotContaining("secret-fastly-token")
                .hasMessageNotContaining("token\"");
    }

    @Test
    void aValueOfTheWrongTypeIsReportedOnceNotAgainByTheChecks() {
        Map<String, String> p = validTargets();
        // a batch size that is not a number must not also read as "must be at least 1"
        p.put("tagpurge.targets.web.batch-size", "many");
        p.put("tagpurge.targets.typo.provider", "fastyl");

        assertThatThrownBy(() -> load(p))
                .isInstanceOfSatisfying(
                        ConfigValidationException.class,
                        e ->
                                assertThat(problems(e))
                                        .hasSize(2)
                                        .anySatisfy(
                                                m ->
                                                        assertThat(m)
                                                                .contains(
                                                                        "tagpurge.targets.web.batch-size")
                                                                .contains("many"))
                                        .anySatisfy(
                                                m ->
                                                        assertThat(m)
                                                                .startsWith(
                                                                        "tagpurge.targets.typo.provider: unknown provider 'fastyl'")));
    }

    @Test
    void checksRunOnTheRawValuesWhenNothingHasTheWrongType() {
        Map<String, String> p = validTargets();
        p.put("tagpurge.targets.web.base-url", "http://api.fastly.com");
        p.put("tagpurge.input.max-in-flight-events", "0");

        assertThatThrownBy(() -> load(p))
                .isInstanceOfSatisfying(
                        ConfigValidationException.class,
                        e ->
                                assertThat(problems(e))
                                        .containsExactlyInAnyOrder(
                                                "tagpurge.input.max-in-flight-events must be at"
                                                        + " least 1, was 0",
                                                "tagpurge.targets.web.base-url must be an https URL"
                                                        + " for a real provider, was"
                                                        + " http://api.fastly.com; mark an emulator"
                                                        + " with tagpurge.targets.web.sandbox=true"));
    }

    @Test
    void listValuesAreCheckedItemByItem() {
        Map<String, String> p = validTargets();
        p.put("tagpurge.targets.edge.provider", "akamai");
        p.put("tagpurge.targets.edge.client-token", "ct");
        p.put("tagpurge.targets.edge.client-secret", "cs");
        p.put("tagpurge.targets.edge.access-token", "at");
        p.put("tagpurge.targets.edge.base-url", "https://akab-host.luna.akamaiapis.net");
        p.put("tagpurge.targets.edge.cp-codes", "12345,twelve");

        assertThatThrownBy(() -> load(p))
                .isInstanceOfSatisfying(
                        ConfigValidationException.class,
                        e ->
                                assertThat(problems(e))
                                        .singleElement()
                                        .asString()
                                        .contains("tagpurge.targets.edge.cp-codes"));
    }

    @Test
    void aPropertyPathStandsForQuotedAndIndexedKeys() {
        assertThat(
                        LenientConfiguration.pattern("tagpurge.targets.*.rate-limits.*.capacity")
                                .asMatchPredicate())
                .accepts(
                        "tagpurge.targets.web.rate-limits.purge-all.capacity",
                        "tagpurge.targets.\"a.b\".rate-limits.x.capacity")
                .rejects(
                        "tagpurge.targets.web.rate-limits.capacity",
                        "tagpurge.targets.a.b.rate-limits.x.capacity");
        assertThat(LenientConfiguration.pattern("tagpurge.rules[*].tags[*]").asMatchPredicate())
                .accepts("tagpurge.rules[0].tags[12]")
                .rejects("tagpurge.rules[x].tags[0]", "tagpurge.rules[0].tags");
    }

    private static List<String> problems(ConfigValidationException e) {
        List<String> problems = new ArrayList<>();
        for (int i = 0; i < e.getProblemCount(); i++) {
            problems.add(e.getProblem(i).getMessage());
        }
        return problems;
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

    /**
     * Loads {@code properties} as the service does: its mappings, Quarkus' durations, the
     * customizer.
     */
    private static SmallRyeConfig load(Map<String, String> properties) {
        return new SmallRyeConfigBuilder()
                .withCustomizers(new LoadTimeValidation())
                .withMapping(TagpurgeConfig.class)
                .withMapping(FastlyTargets.class)
                .withMapping(CloudflareTargets.class)
                .withMapping(AkamaiTargets.class)
                .withMapping(CloudFrontTargets.class)
                .withMapping(RedisTargets.class)
                .withConverter(Duration.class, 200, new DurationForms())
                .withSources(new PropertiesConfigSource(properties, "test", 100))
                .build();
    }
}
