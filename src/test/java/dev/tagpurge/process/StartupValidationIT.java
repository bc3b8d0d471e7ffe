package dev.tagpurge.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.tagpurge.testing.FreePort;
import dev.tagpurge.testing.ServiceProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The packaged service refuses to start on a bad configuration: it exits non-zero before consuming
 * anything, with every error listed in one message, values of the wrong type and the errors only
 * Tagpurge knows alike. No broker is needed: it never gets that far.
 */
class StartupValidationIT {

    private static final Pattern LOG_PATH = Pattern.compile("; log: (\\S+)");

    @Test
    void exitsNonZeroListingEveryConfigurationError() {
        Map<String, String> c = baseConfig();
        c.put("tagpurge.targets.zone.provider", "cloudflare");
        c.put("tagpurge.targets.zone.zone-id", "example.com");
        c.put("tagpurge.targets.zone.api-token", "token");
        c.put("tagpurge.targets.web.provider", "fastly");
        c.put("tagpurge.targets.web.service-id", "SU1Z0isxPaozGVKXdv0eY");
        c.put("tagpurge.targets.web.api-token", "token");
        c.put("tagpurge.targets.web.base-url", "http://api.fastly.com");
        c.put("tagpurge.targets.typo.provider", "fastyl");

        String log = failedStart("bad-config", c);

        assertThat(log)
                .contains("Configuration validation failed:")
                .contains("\ttagpurge.targets.typo.provider: unknown provider 'fastyl'")
                .contains("\ttagpurge.targets.web.base-url must be an https URL")
                .contains("\ttagpurge.targets.zone.zone-id must be the zone's 32-character hex id")
                .doesNotContain("configuration valid");
    }

    @Test
    void exitsNonZeroListingEveryValueOfTheWrongTypeWhenTheConfigurationIsLoaded() {
        Map<String, String> c = baseConfig();
        c.put("tagpurge.targets.zone.provider", "cloudflare");
        c.put("tagpurge.targets.zone.zone-id", "023e105f4ecef8ad9ca31a8372d0c353");
        c.put("tagpurge.targets.zone.api-token", "token");
        c.put("tagpurge.targets.zone.plan", "gold");
        c.put("tagpurge.targets.dist.provider", "cloudfront");
        c.put("tagpurge.targets.dist.distribution-id", "E1");
        c.put("tagpurge.targets.dist.poll-interval", "soon");
        c.put("tagpurge.purge.default-mode", "gentle");

        assertThat(failedStart("bad-types", c))
                .contains("tagpurge.targets.zone.plan")
                .contains("allowed values: business,enterprise,free,pro")
                .contains("tagpurge.targets.dist.poll-interval")
                .contains("tagpurge.purge.default-mode")
                .doesNotContain("configuration valid");
    }

    @Test
    void listsValuesOfTheWrongTypeAndMissingKeysInOneMessage() {
        Map<String, String> c = baseConfig();
        c.put("tagpurge.targets.cdn.provider", "cloudflare");
        c.put("tagpurge.targets.cdn.zone-id", "023e105f4ecef8ad9ca31a8372d0c353");
        c.put("tagpurge.targets.cdn.api-token", "cloudflare-secret-token");
        c.put("tagpurge.targets.cdn.plan", "platinum");
        c.put("tagpurge.targets.cdn2.provider", "fastly");
        c.put("tagpurge.targets.cdn2.api-token", "fastly-secret-token");
        c.put("tagpurge.purge.deadline", "soon");

        String log = failedStart("mixed-errors", c);

        // one message: its header once, then each error on its own line
        assertThat(log.split("Configuration validation failed:", -1)).hasSize(2);
        String message = log.substring(log.indexOf("Configuration validation failed:"));
        assertThat(message.lines().filter(l -> l.startsWith("\t")))
                .hasSize(3)
                .anySatisfy(
                        l ->
                                assertThat(l)
                                        .contains("tagpurge.targets.cdn.plan")
                                        .contains("allowed values: business,enterprise,free,pro"))
                .anySatisfy(
                        l ->
                                assertThat(l)
                                        .contains(
                                                "tagpurge.targets.cdn2.service-id is required for a"
                                                        + " fastly target"))
                .anySatisfy(
                        l ->
                                assertThat(l)
                                        .contains("tagpurge.purge.deadline")
                                        .contains("expected a duration such as 500ms, 5s"));
        assertThat(log)
                .doesNotContain("cloudflare-secret-token")
                .doesNotContain("fastly-secret-token")
                .doesNotContain("configuration valid");
    }

    @Test
    void exitsNonZeroWithoutAnyEnabledTarget() {
        Map<String, String> c = baseConfig();
        c.put("tagpurge.targets.web.provider", "fastly");
        c.put("tagpurge.targets.web.enabled", "false");

        assertThat(failedStart("no-targets", c))
                .contains("Configuration validation failed:")
                .contains("\ttagpurge.targets: no enabled purge target");
    }

    /** Starts the service expecting it to exit with a non-zero code; returns its log. */
    private static String failedStart(String name, Map<String, String> config) {
        Throwable failure = catchThrowable(() -> ServiceProcess.start(name, config).close());
        assertThat(failure)
                .as("the service must not start")
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("service exited with ")
                .hasMessageNotContaining("service exited with 0");
        Matcher path = LOG_PATH.matcher(failure.getMessage());
        assertThat(path.find()).as("log path in: " + failure.getMessage()).isTrue();
        try {
            return Files.readString(Path.of(path.group(1)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Map<String, String> baseConfig() {
        Map<String, String> c = new HashMap<>();
        // nothing listens there: a service that got past validation would not be ready either,
        // but it would not exit
        c.put("kafka.bootstrap.servers", "127.0.0.1:" + FreePort.pick());
        c.put("quarkus.redis.hosts", "redis://127.0.0.1:" + FreePort.pick());
        return c;
    }
}
