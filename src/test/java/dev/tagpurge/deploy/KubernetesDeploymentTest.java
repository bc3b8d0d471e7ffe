package dev.tagpurge.deploy;

import static dev.tagpurge.deploy.RenderedManifests.at;
import static dev.tagpurge.deploy.RenderedManifests.list;
import static dev.tagpurge.deploy.RenderedManifests.map;
import static dev.tagpurge.deploy.RenderedManifests.ofKind;
import static dev.tagpurge.deploy.RenderedManifests.only;
import static dev.tagpurge.deploy.RenderedManifests.sandboxOfKind;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
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

    /** The audit trail's topic: tagpurge.audit.topic's default. */
    private static final String AUDIT_TOPIC = "purge-audit";

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
    void credentialsComeOnlyFromTheSecrets(String rendering) {
        assertThat(ofKind(rendering, "Secret")).isEmpty();
        Map<String, Object> container =
                map(only(rendering, "Deployment"), "spec", "template", "spec", "containers", 0);
        assertThat(at(container, "envFrom", 0, "secretRef", "name")).isEqualTo(SECRET);
        for (Object env : list(container, "env")) {
            if (CREDENTIAL_NAME.matcher(String.valueOf(at(env, "name"))).matches()) {
                assertThat(map(env)).doesNotContainKey("value");
                assertThat(at(env, "valueFrom", "secretKeyRef", "name"))
                        .isIn(SECRET, "tagpurge", "tagpurge-cluster-ca-cert");
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
                .isEqualTo("tagpurge_consumer_topic_lag");
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

    /**
     * The dev overlay deploys the CDN sandbox beside the service from its own image, the service's
     * Fastly target points at its Service, and the service's NetworkPolicy lets it through.
     */
    @Test
    void devRunsTheSandboxFromItsOwnImageAndPurgesOnIt() {
        Map<String, Object> deployment = single(sandboxOfKind("dev", "Deployment"));
        Map<String, Object> service = single(sandboxOfKind("dev", "Service"));
        Map<String, Object> container =
                map(deployment, "spec", "template", "spec", "containers", 0);
        assertThat(String.valueOf(at(container, "image"))).startsWith("tagpurge-sandbox:");
        assertThat(at(container, "securityContext", "readOnlyRootFilesystem")).isEqualTo(true);
        assertThat(map(deployment, "spec", "template", "metadata", "labels"))
                .containsAllEntriesOf(map(service, "spec", "selector"));
        int port = (Integer) at(service, "spec", "ports", 0, "port");
        assertThat(at(container, "ports", 0, "containerPort")).isEqualTo(port);

        String url =
                String.valueOf(
                        at(applicationYaml("dev"), "tagpurge", "targets", "cdn", "base-url"));
        assertThat(url)
                .isEqualTo("http://" + at(service, "metadata", "name") + ":" + port + "/fastly");
        assertThat(at(applicationYaml("dev"), "tagpurge", "sandbox")).isNull();
        assertThat(list(only("dev", "NetworkPolicy"), "spec", "egress"))
                .anySatisfy(
                        rule -> {
                            assertThat(at(rule, "to", 0, "podSelector", "matchLabels"))
                                    .isEqualTo(map(service, "spec", "selector"));
                            assertThat(at(rule, "ports", 0, "port")).isEqualTo(port);
                        });
        // the service's own Deployment still runs the service's image
        assertThat(
                        String.valueOf(
                                at(
                                        only("dev", "Deployment"),
                                        "spec",
                                        "template",
                                        "spec",
                                        "containers",
                                        0,
                                        "image")))
                .startsWith("tagpurge:");
    }

    @ParameterizedTest
    @ValueSource(strings = {"base", "prod", "prod-hpa"})
    void onlyDevHasTheSandbox(String rendering) {
        assertThat(RenderedManifests.documents(rendering))
                .noneMatch(RenderedManifests::isSandbox)
                .allSatisfy(
                        d ->
                                assertThat(new Yaml().dump(d))
                                        .as(d.get("kind") + " " + at(d, "metadata", "name"))
                                        .doesNotContain("tagpurge-sandbox")
                                        .doesNotContain("/sandbox"));
        assertThat(applicationYaml(rendering).get("tagpurge"))
                .extracting(t -> map(t, "sandbox"))
                .isEqualTo(Map.of());
    }

    private static Map<String, Object> single(List<Map<String, Object>> documents) {
        assertThat(documents).hasSize(1);
        return documents.get(0);
    }

    /**
     * Metrics and health on the management port, apart from the operator API: the probes, the
     * Service, the ServiceMonitor and the NetworkPolicy all say 9000.
     */
    @ParameterizedTest
    @ValueSource(strings = {"base", "dev", "prod", "prod-hpa"})
    void probesAndScrapesUseTheManagementPort(String rendering) {
        Map<String, Object> container =
                map(only(rendering, "Deployment"), "spec", "template", "spec", "containers", 0);
        assertThat(list(container, "ports"))
                .contains(Map.of("name", "management", "containerPort", 9000, "protocol", "TCP"));
        assertThat(env(container, "QUARKUS_MANAGEMENT_ENABLED")).isEqualTo("true");
        assertThat(env(container, "QUARKUS_MANAGEMENT_PORT")).isEqualTo("9000");
        for (String probe : List.of("startupProbe", "livenessProbe", "readinessProbe")) {
            assertThat(at(container, probe, "httpGet", "port")).as(probe).isEqualTo("management");
        }
        Object servicePort =
                list(only(rendering, "Service"), "spec", "ports").stream()
                        .filter(p -> "management".equals(at(p, "targetPort")))
                        .map(p -> at(p, "name"))
                        .findFirst()
                        .orElseThrow();
        assertThat(at(only(rendering, "ServiceMonitor"), "spec", "endpoints", 0, "port"))
                .isEqualTo(servicePort);
        List<Object> ingress = list(only(rendering, "NetworkPolicy"), "spec", "ingress");
        Object managementRule =
                ingress.stream()
                        .filter(r -> Integer.valueOf(9000).equals(at(r, "ports", 0, "port")))
                        .findFirst()
                        .orElseThrow();
        assertThat(list(managementRule, "from"))
                .singleElement()
                .satisfies(
                        from ->
                                assertThat(at(from, "namespaceSelector", "matchLabels"))
                                        .isEqualTo(
                                                Map.of(
                                                        "kubernetes.io/metadata.name",
                                                        "monitoring")));
    }

    /**
     * The KafkaUser may do exactly what the service does: read the input topics with its consumer
     * group, write completions, dead letters and the audit trail; and Strimzi creates each of those
     * topics.
     */
    @ParameterizedTest
    @ValueSource(strings = {"prod", "prod-hpa"})
    void theKafkaUserIsAllowedExactlyTheServicesTopicsAndGroup(String rendering) throws Exception {
        Map<String, Object> config = applicationYaml(rendering);
        Properties defaults = applicationProperties();
        Map<String, Set<String>> expected = new TreeMap<>();
        for (String topic : String.valueOf(at(config, "tagpurge", "input", "topics")).split(",")) {
            expected.put("topic:" + topic.trim(), Set.of("Read", "Describe"));
        }
        expected.put("group:" + consumerGroup(), Set.of("Read", "Describe"));
        for (String output :
                List.of(
                        configured(
                                config,
                                defaults,
                                "mp.messaging.outgoing.purge-completions.topic",
                                "completion"),
                        configured(
                                config,
                                defaults,
                                "mp.messaging.outgoing.dead-letters.topic",
                                "dlq"),
                        AUDIT_TOPIC)) {
            expected.put("topic:" + output, Set.of("Write", "Describe"));
        }
        Map<String, Set<String>> granted = new TreeMap<>();
        for (Object acl : list(only(rendering, "KafkaUser"), "spec", "authorization", "acls")) {
            String resource = at(acl, "resource", "type") + ":" + at(acl, "resource", "name");
            Set<String> operations = new TreeSet<>();
            list(acl, "operations").forEach(o -> operations.add(String.valueOf(o)));
            assertThat(granted.put(resource, operations)).as("one ACL per resource").isNull();
        }
        assertThat(granted).isEqualTo(expected);

        Set<String> topics = new TreeSet<>();
        ofKind(rendering, "KafkaTopic")
                .forEach(t -> topics.add("topic:" + at(t, "spec", "topicName")));
        Set<String> aclTopics = new TreeSet<>(expected.keySet());
        aclTopics.removeIf(r -> r.startsWith("group:"));
        assertThat(topics).isEqualTo(aclTopics);
        Object cluster =
                at(only(rendering, "KafkaUser"), "metadata", "labels", "strimzi.io/cluster");
        assertThat(at(config, "kafka", "bootstrap", "servers"))
                .as("the bootstrap Service of the cluster the topics and user belong to")
                .asString()
                .startsWith(cluster + "-kafka-bootstrap.");
        ofKind(rendering, "KafkaTopic")
                .forEach(
                        t ->
                                assertThat(at(t, "metadata", "labels", "strimzi.io/cluster"))
                                        .isEqualTo(cluster));
    }

    /**
     * Production talks to Kafka over TLS with SCRAM-SHA-512: the JAAS line from the KafkaUser's
     * Secret, the truststore mounted from the cluster CA's, the TLS listener's port; KEDA, which
     * reads the lag from the brokers too, authenticates the same way.
     */
    @ParameterizedTest
    @ValueSource(strings = {"prod", "prod-hpa"})
    void prodConnectsWithTlsAndScram(String rendering) {
        Map<String, Object> pod = map(only(rendering, "Deployment"), "spec", "template", "spec");
        Map<String, Object> container = map(pod, "containers", 0);
        String user = String.valueOf(at(only(rendering, "KafkaUser"), "metadata", "name"));
        assertThat(env(container, "KAFKA_SECURITY_PROTOCOL")).isEqualTo("SASL_SSL");
        assertThat(env(container, "KAFKA_SASL_MECHANISM")).isEqualTo("SCRAM-SHA-512");
        assertThat(envEntry(container, "KAFKA_SASL_JAAS_CONFIG"))
                .containsEntry(
                        "valueFrom",
                        Map.of("secretKeyRef", Map.of("name", user, "key", "sasl.jaas.config")));
        String truststore = env(container, "KAFKA_SSL_TRUSTSTORE_LOCATION");
        Object mount =
                list(container, "volumeMounts").stream()
                        .filter(m -> truststore.startsWith(at(m, "mountPath") + "/"))
                        .findFirst()
                        .orElseThrow();
        Object volume =
                list(pod, "volumes").stream()
                        .filter(v -> at(v, "name").equals(at(mount, "name")))
                        .findFirst()
                        .orElseThrow();
        Object cluster =
                at(only(rendering, "KafkaUser"), "metadata", "labels", "strimzi.io/cluster");
        assertThat(at(volume, "secret", "secretName")).isEqualTo(cluster + "-cluster-ca-cert");
        assertThat(at(applicationYaml(rendering), "kafka", "bootstrap", "servers"))
                .asString()
                .endsWith(":9093");
        for (Map<String, Object> scaled : ofKind(rendering, "ScaledObject")) {
            Map<String, Object> trigger = map(scaled, "spec", "triggers", 0);
            assertThat(map(trigger, "metadata"))
                    .containsEntry("sasl", "scram_sha512")
                    .containsEntry("tls", "enable");
            assertThat(ofKind(rendering, "TriggerAuthentication"))
                    .extracting(t -> at(t, "metadata", "name"))
                    .contains(at(trigger, "authenticationRef", "name"));
        }
    }

    /**
     * While Redis is unreachable and the broker cannot say how many replicas are alive, each takes
     * 1/max-replicas of every limit: that must be the autoscaling maximum, or the fleet exceeds it.
     */
    @Test
    void theFallbackShareAssumesTheAutoscalingMaximum() throws Exception {
        Map<String, Object> scaled = only("prod", "ScaledObject");
        Map<String, Object> hpa = only("prod-hpa", "HorizontalPodAutoscaler");
        Object maxReplicas = at(applicationYaml("prod"), "tagpurge", "ratelimit", "max-replicas");
        assertThat(maxReplicas).isEqualTo(at(scaled, "spec", "maxReplicaCount"));
        assertThat(maxReplicas).isEqualTo(at(hpa, "spec", "maxReplicas"));
    }

    /**
     * One lag threshold: KEDA aims at lagThreshold records per replica, the HPA alternative at the
     * same average, and TagpurgeConsumerLagGrowing warns above lagThreshold x minReplicaCount, the
     * lag at which autoscaling starts adding replicas, when it still grows.
     */
    @Test
    void autoscalersAndTheLagAlertShareOneThreshold() throws Exception {
        Map<String, Object> scaled = only("prod", "ScaledObject");
        long lagThreshold =
                Long.parseLong(
                        String.valueOf(
                                at(scaled, "spec", "triggers", 0, "metadata", "lagThreshold")));
        long minReplicas = ((Number) at(scaled, "spec", "minReplicaCount")).longValue();
        Map<String, Object> hpa = only("prod-hpa", "HorizontalPodAutoscaler");
        assertThat(at(hpa, "spec", "metrics", 0, "external", "target", "averageValue"))
                .isEqualTo(Long.toString(lagThreshold));
        assertThat(((Number) at(hpa, "spec", "minReplicas")).longValue()).isEqualTo(minReplicas);
        assertThat(at(hpa, "spec", "maxReplicas")).isEqualTo(at(scaled, "spec", "maxReplicaCount"));

        String expr =
                ReferencedMetrics.rules(Path.of(ReferencedMetrics.RULES)).stream()
                        .filter(r -> "TagpurgeConsumerLagGrowing".equals(r.get("alert")))
                        .map(r -> String.valueOf(r.get("expr")))
                        .findFirst()
                        .orElseThrow();
        Matcher threshold =
                Pattern.compile("tagpurge_consumer_topic_lag\\{[^}]*}\\)\\s*>\\s*(\\d+)")
                        .matcher(expr);
        assertThat(threshold.find()).as(expr).isTrue();
        assertThat(Long.parseLong(threshold.group(1))).isEqualTo(lagThreshold * minReplicas);
    }

    private static String env(Map<String, Object> container, String name) {
        return String.valueOf(envEntry(container, name).get("value"));
    }

    private static Map<String, Object> envEntry(Map<String, Object> container, String name) {
        return list(container, "env").stream()
                .filter(e -> name.equals(at(e, "name")))
                .map(RenderedManifests::map)
                .findFirst()
                .orElseThrow(() -> new AssertionError("no env " + name));
    }

    /**
     * An output topic: the overlay's tagpurge.&lt;key&gt;.topic, else the default in the channel's
     * {@code ${tagpurge.<key>.topic:<default>}} in application.properties.
     */
    private static String configured(
            Map<String, Object> config, Properties defaults, String channelProperty, String key) {
        Object set = at(config, "tagpurge", key, "topic");
        if (set != null) {
            return String.valueOf(set);
        }
        Matcher placeholder =
                Pattern.compile("\\$\\{tagpurge\\." + key + "\\.topic:([^}]+)}")
                        .matcher(defaults.getProperty(channelProperty));
        assertThat(placeholder.matches()).as(channelProperty).isTrue();
        return placeholder.group(1);
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
        return applicationProperties().getProperty("mp.messaging.incoming.change-events.group.id");
    }

    private static Properties applicationProperties() throws Exception {
        Properties properties = new Properties();
        properties.load(
                new StringReader(
                        Files.readString(Path.of("src/main/resources/application.properties"))));
        return properties;
    }
}
