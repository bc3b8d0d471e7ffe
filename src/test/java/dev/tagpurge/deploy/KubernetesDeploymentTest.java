package dev.tagpurge.deploy;

import static dev.tagpurge.deploy.RenderedManifests.at;
import static dev.tagpurge.deploy.RenderedManifests.list;
import static dev.tagpurge.deploy.RenderedManifests.map;
import static dev.tagpurge.deploy.RenderedManifests.ofKind;
import static dev.tagpurge.deploy.RenderedManifests.only;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.yaml.snakeyaml.Yaml;

/**
 * What the rendered overlays promise operators: a hardened, probed Deployment whose grace period
 * covers the graceful shutdown, credentials only from the Secret, the configuration with its rules,
 * selectors that match, and autoscaling on the consumer group the service really uses.
 */
class KubernetesDeploymentTest {

    private static final String SECRET = "tagpurge-provider-credentials";
    private static final Pattern CREDENTIAL_NAME =
            Pattern.compile("(?i).*(token|secret|password|key|credential).*");

    /** tagpurge.shutdown.drain-timeout's default. */
    private static final String DEFAULT_DRAIN_TIMEOUT = "25s";

    /** Closing the Kafka clients (commit, leave the group, flush) and the JVM's exit. */
    private static final Duration CLOSE_MARGIN = Duration.ofSeconds(20);

    private static final List<String> CREDENTIAL_KEYS =
            List.of("api-token", "client-token", "client-secret", "access-token", "password");

    @ParameterizedTest
    @ValueSource(strings = {"base", "dev", "prod", "prod-hpa"})
    void theDeploymentIsHardenedAndProbed(String rendering) {
        Map<String, Object> pod = map(only(rendering, "Deployment"), "spec", "template", "spec");
        assertThat(map(pod, "securityContext"))
                .containsEntry("runAsNonRoot", true)
                .containsEntry("seccompProfile", Map.of("type", "RuntimeDefault"));
        assertThat(pod).containsEntry("automountServiceAccountToken", false);
        Map<String, Object> container = map(pod, "containers", 0);
        assertThat(map(container, "securityContext"))
                .containsEntry("readOnlyRootFilesystem", true)
                .containsEntry("allowPrivilegeEscalation", false)
                .containsEntry("capabilities", Map.of("drop", List.of("ALL")));
        assertThat(at(container, "livenessProbe", "httpGet", "path")).isEqualTo("/q/health/live");
        assertThat(at(container, "readinessProbe", "httpGet", "path")).isEqualTo("/q/health/ready");
        assertThat(at(container, "startupProbe", "httpGet", "path")).isEqualTo("/q/health/started");
        assertThat(map(container, "resources", "requests")).containsKeys("cpu", "memory");
        assertThat(map(container, "resources", "limits")).containsKey("memory");
        assertThat(list(container, "volumeMounts"))
                .contains(Map.of("name", "tmp", "mountPath", "/tmp"))
                .contains(
                        Map.of(
                                "name", "config",
                                "mountPath", "/deployments/config",
                                "readOnly", true));
        assertThat(list(pod, "volumes"))
                .anySatisfy(v -> assertThat(at(v, "emptyDir")).isNotNull())
                .anySatisfy(
                        v ->
                                assertThat(at(v, "configMap", "name"))
                                        .isEqualTo(
                                                at(
                                                        only(rendering, "ConfigMap"),
                                                        "metadata",
                                                        "name")));
    }

    /**
     * SIGTERM to exit takes at most Quarkus's HTTP shutdown timeout plus Tagpurge's drain timeout
     * plus closing the Kafka clients; the kubelet must not kill the pod before.
     */
    @ParameterizedTest
    @ValueSource(strings = {"base", "dev", "prod", "prod-hpa"})
    void theGracePeriodCoversTheShutdown(String rendering) {
        Map<String, Object> pod = map(only(rendering, "Deployment"), "spec", "template", "spec");
        List<Object> env = list(pod, "containers", 0, "env");
        Duration http = duration(env, "QUARKUS_SHUTDOWN_TIMEOUT", "0s");
        Duration drain = duration(env, "TAGPURGE_SHUTDOWN_DRAIN_TIMEOUT", DEFAULT_DRAIN_TIMEOUT);
        long grace = ((Number) pod.get("terminationGracePeriodSeconds")).longValue();

        assertThat(drain).isGreaterThan(Duration.ZERO);
        assertThat(grace).isGreaterThanOrEqualTo(http.plus(drain).plus(CLOSE_MARGIN).toSeconds());
    }

    @ParameterizedTest
    @ValueSource(strings = {"base", "dev", "prod", "prod-hpa"})
    void credentialsComeOnlyFromTheSecret(String rendering) {
        assertThat(ofKind(rendering, "Secret")).isEmpty();
        Map<String, Object> container =
                map(only(rendering, "Deployment"), "spec", "template", "spec", "containers", 0);
        assertThat(at(container, "envFrom", 0, "secretRef", "name")).isEqualTo(SECRET);
        for (Object env : list(container, "env")) {
            if (CREDENTIAL_NAME.matcher(String.valueOf(at(env, "name"))).matches()) {
                assertThat(map(env)).doesNotContainKey("value");
                assertThat(at(env, "valueFrom", "secretKeyRef", "name")).isEqualTo(SECRET);
            }
        }
        Map<String, Object> targets = map(applicationYaml(rendering), "tagpurge", "targets");
        targets.forEach(
                (name, target) ->
                        CREDENTIAL_KEYS.forEach(
                                key -> {
                                    Object value = at(target, key);
                                    if (value != null) {
                                        assertThat(String.valueOf(value))
                                                .as("%s.%s is an ${…} expression", name, key)
                                                .matches("\\$\\{[A-Z0-9_]+(:[^}]*)?}");
                                    }
                                }));
    }

    @ParameterizedTest
    @ValueSource(strings = {"base", "dev", "prod", "prod-hpa"})
    void theConfigMapHoldsTheApplicationConfigWithRules(String rendering) {
        Map<String, Object> config = applicationYaml(rendering);
        assertThat(at(config, "kafka", "bootstrap", "servers")).isNotNull();
        assertThat(map(config, "tagpurge", "targets")).isNotEmpty();
        assertThat(list(config, "tagpurge", "rules"))
                .isNotEmpty()
                .allSatisfy(rule -> assertThat(map(rule)).containsKey("type"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"base", "dev", "prod", "prod-hpa"})
    void selectorsMatchThePods(String rendering) {
        Map<String, Object> deployment = only(rendering, "Deployment");
        Map<String, Object> podLabels = map(deployment, "spec", "template", "metadata", "labels");
        assertThat(podLabels)
                .containsAllEntriesOf(map(deployment, "spec", "selector", "matchLabels"));
        assertThat(podLabels)
                .containsAllEntriesOf(map(only(rendering, "Service"), "spec", "selector"));
        assertThat(podLabels)
                .containsAllEntriesOf(
                        map(
                                only(rendering, "PodDisruptionBudget"),
                                "spec",
                                "selector",
                                "matchLabels"));
        assertThat(podLabels)
                .containsAllEntriesOf(
                        map(
                                only(rendering, "NetworkPolicy"),
                                "spec",
                                "podSelector",
                                "matchLabels"));
        assertThat(map(only(rendering, "Service"), "metadata", "labels"))
                .containsAllEntriesOf(
                        map(only(rendering, "ServiceMonitor"), "spec", "selector", "matchLabels"));
    }

    @Test
    void prodScalesWithKedaOnTheServicesConsumerGroup() throws Exception {
        assertThat(ofKind("prod", "HorizontalPodAutoscaler")).isEmpty();
        Map<String, Object> trigger = map(only("prod", "ScaledObject"), "spec", "triggers", 0);
        Map<String, Object> config = applicationYaml("prod");

        assertThat(trigger).containsEntry("type", "kafka");
        assertThat(map(trigger, "metadata"))
                .containsEntry("bootstrapServers", at(config, "kafka", "bootstrap", "servers"))
                .containsEntry("topic", at(config, "tagpurge", "input", "topics"))
                .containsEntry("consumerGroup", consumerGroup());
    }

    @Test
    void prodHpaScalesWithAnHpaOnExternalLagInstead() {
        assertThat(ofKind("prod-hpa", "ScaledObject")).isEmpty();
        Map<String, Object> hpa = only("prod-hpa", "HorizontalPodAutoscaler");
        assertThat(map(hpa, "spec", "scaleTargetRef"))
                .containsEntry("kind", "Deployment")
                .containsEntry("name", at(only("prod-hpa", "Deployment"), "metadata", "name"));
        assertThat(at(hpa, "spec", "metrics", 0, "type")).isEqualTo("External");
        assertThat(at(hpa, "spec", "metrics", 0, "external", "metric", "name"))
                .isEqualTo("tagpurge_consumer_lag");
    }

    @Test
    void devRunsOneReplicaWithoutAutoscalerOrSecret() {
        Map<String, Object> deployment = only("dev", "Deployment");
        assertThat(at(deployment, "spec", "replicas")).isEqualTo(1);
        assertThat(ofKind("dev", "ScaledObject")).isEmpty();
        assertThat(ofKind("dev", "HorizontalPodAutoscaler")).isEmpty();
        assertThat(
                        at(
                                deployment,
                                "spec",
                                "template",
                                "spec",
                                "containers",
                                0,
                                "envFrom",
                                0,
                                "secretRef",
                                "optional"))
                .isEqualTo(true);
    }

    private static Duration duration(List<Object> env, String name, String fallback) {
        String value =
                env.stream()
                        .filter(e -> name.equals(at(e, "name")))
                        .map(e -> String.valueOf(at(e, "value")))
                        .findFirst()
                        .orElse(fallback);
        return Duration.parse("PT" + value.toUpperCase(Locale.ROOT));
    }

    private static Map<String, Object> applicationYaml(String rendering) {
        Object text = at(only(rendering, "ConfigMap"), "data", "application.yaml");
        return new Yaml().load(String.valueOf(text));
    }

    /** The group id the service configures for its input channel. */
    private static String consumerGroup() throws Exception {
        Properties properties = new Properties();
        properties.load(
                new StringReader(
                        Files.readString(Path.of("src/main/resources/application.properties"))));
        return properties.getProperty("mp.messaging.incoming.change-events.group.id");
    }
}
