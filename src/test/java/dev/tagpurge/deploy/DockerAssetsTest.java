package dev.tagpurge.deploy;

import static dev.tagpurge.deploy.RenderedManifests.at;
import static dev.tagpurge.deploy.RenderedManifests.list;
import static dev.tagpurge.deploy.RenderedManifests.map;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * The image and compose files, checked statically: no Docker engine exists on the project's
 * machines, so nothing here builds or starts a container (.ci/run also validates the compose file
 * with docker-compose's schema). Every file the compose stack mounts or builds from exists, the
 * service's Dockerfile keeps Quarkus's layering and a non-root user, and the CDN sandbox is its own
 * image that the service's configuration points at.
 */
class DockerAssetsTest {

    private static final Path DOCKER = Path.of("docker");

    /** Where the sandbox image listens (docker/sandbox/Dockerfile), as compose publishes it. */
    private static final int SANDBOX_PORT = 8081;

    @Test
    void theImageIsLayeredNonRootAndSizedByTheContainer() throws Exception {
        List<String> lines =
                Files.readAllLines(DOCKER.resolve("Dockerfile")).stream()
                        .map(String::trim)
                        .filter(l -> !l.isEmpty() && !l.startsWith("#"))
                        .toList();
        assertThat(lines.get(0)).matches("FROM \\S+:[0-9][^ ]*").doesNotContain(":latest");
        assertThat(lines.stream().filter(l -> l.startsWith("COPY")).toList())
                .containsExactly(
                        "COPY --chown=185 target/quarkus-app/lib/ /deployments/lib/",
                        "COPY --chown=185 target/quarkus-app/*.jar /deployments/",
                        "COPY --chown=185 target/quarkus-app/app/ /deployments/app/",
                        "COPY --chown=185 target/quarkus-app/quarkus/ /deployments/quarkus/");
        assertThat(lines)
                .contains("USER 185", "EXPOSE 8080", "EXPOSE 9000", "WORKDIR /deployments");
        assertThat(lines)
                .anyMatch(
                        l ->
                                l.startsWith("ENV JAVA_OPTS_APPEND=")
                                        && l.contains("MaxRAMPercentage"));
        assertThat(Files.readString(DOCKER.resolve("Dockerfile.dockerignore")))
                .contains("!target/quarkus-app/");
    }

    @Test
    void everyFileTheComposeStackUsesExists() throws Exception {
        Map<String, Object> services = map(compose(), "services");
        assertThat(services)
                .containsOnlyKeys("kafka", "redis", "sandbox", "tagpurge", "prometheus", "grafana");

        for (String built : List.of("tagpurge", "sandbox")) {
            Path context = DOCKER.resolve(String.valueOf(at(services, built, "build", "context")));
            assertThat(context.resolve(String.valueOf(at(services, built, "build", "dockerfile"))))
                    .as(built + "'s Dockerfile")
                    .isRegularFile();
        }
        services.forEach(
                (name, service) -> {
                    for (Object volume : list(service, "volumes")) {
                        Path source = DOCKER.resolve(String.valueOf(volume).split(":")[0]);
                        assertThat(source).as(name + " mounts " + volume).exists();
                    }
                    for (Object port : list(service, "ports")) {
                        assertThat(String.valueOf(port)).as(name).startsWith("127.0.0.1:");
                    }
                });
    }

    @Test
    void theStackWiresRulesDashboardAndSandbox() throws Exception {
        Map<String, Object> services = map(compose(), "services");
        assertThat(list(services, "prometheus", "volumes"))
                .contains(
                        "../deploy/prometheus/tagpurge-rules.yaml:/etc/prometheus/rules/tagpurge-rules.yaml:ro");
        assertThat(list(services, "grafana", "volumes"))
                .contains("../deploy/grafana:/var/lib/grafana/dashboards/tagpurge:ro");
        Map<String, Object> provider =
                map(yaml("grafana/provisioning/dashboards/tagpurge.yaml"), "providers", 0);
        assertThat(at(provider, "options", "path"))
                .isEqualTo("/var/lib/grafana/dashboards/tagpurge");
        assertThat(
                        at(
                                yaml("grafana/provisioning/datasources/prometheus.yaml"),
                                "datasources",
                                0,
                                "url"))
                .isEqualTo("http://prometheus:9090");
        assertThat(list(yaml("prometheus/prometheus.yml"), "rule_files"))
                .containsExactly("/etc/prometheus/rules/*.yaml");
        Object scrape = at(yaml("prometheus/prometheus.yml"), "scrape_configs", 0);
        assertThat(at(scrape, "job_name"))
                .as("the job the rules and the dashboard select")
                .isEqualTo("tagpurge");
        assertThat(at(scrape, "static_configs", 0, "targets", 0))
                .as("the management port")
                .isEqualTo("tagpurge:9000");

        assertThat(list(services, "tagpurge", "volumes"))
                .contains("./tagpurge/application.yaml:/deployments/config/application.yaml:ro");
        Map<String, Object> config = yaml("tagpurge/application.yaml");
        // the sandbox is its own service (its own image); the service only points a target at it
        assertThat(at(config, "tagpurge", "sandbox")).isNull();
        assertThat(at(config, "tagpurge", "targets", "cdn", "base-url"))
                .isEqualTo("http://sandbox:" + SANDBOX_PORT + "/fastly");
        assertThat(at(config, "tagpurge", "targets", "cdn", "sandbox")).isEqualTo(true);
        assertThat(list(services, "sandbox", "ports"))
                .containsExactly("127.0.0.1:" + SANDBOX_PORT + ":" + SANDBOX_PORT);
        assertThat(at(services, "tagpurge", "depends_on", "sandbox")).isNotNull();
        Duration shutdown =
                Duration.parse(
                        "PT"
                                + String.valueOf(
                                                at(config, "tagpurge", "shutdown", "drain-timeout"))
                                        .toUpperCase());
        Duration stopGrace =
                Duration.parse(
                        "PT"
                                + String.valueOf(at(services, "tagpurge", "stop_grace_period"))
                                        .toUpperCase());
        assertThat(stopGrace).isGreaterThanOrEqualTo(shutdown.plusSeconds(10));
    }

    @Test
    void theSandboxImageHoldsOnlyTheStandaloneJarAndListensBeyondLoopback() throws Exception {
        List<String> lines = instructions(DOCKER.resolve("sandbox/Dockerfile"));
        assertThat(lines.get(0)).matches("FROM \\S+:[0-9][^ ]*").doesNotContain(":latest");
        assertThat(lines.stream().filter(l -> l.startsWith("COPY")).toList())
                .containsExactly(
                        "COPY --chown=185 target/tagpurge-sandbox.jar /deployments/tagpurge-sandbox.jar");
        assertThat(lines).contains("USER 185", "EXPOSE " + SANDBOX_PORT);
        String entrypoint =
                lines.stream().filter(l -> l.startsWith("ENTRYPOINT")).findFirst().orElseThrow();
        assertThat(entrypoint)
                .contains(
                        "\"-jar\", \"/deployments/tagpurge-sandbox.jar\"",
                        "\"--host\", \"0.0.0.0\"",
                        "\"--port\", \"" + SANDBOX_PORT + "\"");
        assertThat(Files.readString(DOCKER.resolve("sandbox/Dockerfile.dockerignore")))
                .contains("!target/tagpurge-sandbox.jar")
                .doesNotContain("quarkus-app");
        // and the service's image takes nothing but the fast-jar
        assertThat(instructions(DOCKER.resolve("Dockerfile")))
                .filteredOn(l -> l.startsWith("COPY"))
                .allMatch(l -> l.contains(" target/quarkus-app/"));
    }

    private static List<String> instructions(Path dockerfile) throws Exception {
        return Files.readAllLines(dockerfile).stream()
                .map(String::trim)
                .filter(l -> !l.isEmpty() && !l.startsWith("#"))
                .toList();
    }

    private static Map<String, Object> compose() throws Exception {
        return yaml("compose.yaml");
    }

    private static Map<String, Object> yaml(String file) throws Exception {
        return new Yaml().load(Files.readString(DOCKER.resolve(file)));
    }
}
