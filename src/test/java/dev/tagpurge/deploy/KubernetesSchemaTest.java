package dev.tagpurge.deploy;

import static dev.tagpurge.deploy.RenderedManifests.at;
import static dev.tagpurge.deploy.RenderedManifests.list;
import static dev.tagpurge.deploy.RenderedManifests.map;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.yaml.snakeyaml.Yaml;

/**
 * Every rendered manifest is valid against the Kubernetes API schemas (fabric8's typed models,
 * unknown fields rejected) and has the fields the API server requires; the custom resources
 * (ServiceMonitor, PrometheusRule, ScaledObject, TriggerAuthentication, Strimzi's KafkaTopic and
 * KafkaUser) have their apiVersion, kind and required spec keys.
 */
class KubernetesSchemaTest {

    private static final Set<String> CUSTOM =
            Set.of(
                    "monitoring.coreos.com/v1/ServiceMonitor",
                    "monitoring.coreos.com/v1/PrometheusRule",
                    "keda.sh/v1alpha1/ScaledObject",
                    "keda.sh/v1alpha1/TriggerAuthentication",
                    "kafka.strimzi.io/v1beta2/KafkaTopic",
                    "kafka.strimzi.io/v1beta2/KafkaUser");

    @ParameterizedTest
    @ValueSource(strings = {"base", "dev", "prod", "prod-hpa"})
    void everyDocumentIsAKnownKindThatMatchesItsSchema(String rendering) {
        List<Map<String, Object>> documents = RenderedManifests.documents(rendering);
        assertThat(documents).isNotEmpty();
        for (Map<String, Object> document : documents) {
            String type = document.get("apiVersion") + "/" + document.get("kind");
            assertThat(at(document, "metadata", "name")).as(type + " name").isNotNull();
            var typed = StrictKubernetesMapper.typeOf(document);
            if (typed.isPresent()) {
                HasMetadata model = StrictKubernetesMapper.read(document, typed.get());
                assertThat(model.getMetadata().getName()).isNotBlank();
            } else {
                assertThat(CUSTOM).as("known apiVersion/kind").contains(type);
            }
        }
    }

    @Test
    void theStrictMapperRejectsAFieldTheSchemaLacks() {
        Map<String, Object> deployment = RenderedManifests.only("base", "Deployment");
        Map<String, Object> typo =
                new Yaml()
                        .load(
                                new Yaml()
                                        .dump(deployment)
                                        .replace(
                                                "readOnlyRootFilesystem",
                                                "readOnlyRootFileSystem"));

        assertThatThrownBy(() -> StrictKubernetesMapper.read(typo, Deployment.class))
                .hasMessageContaining("readOnlyRootFileSystem");
    }

    @ParameterizedTest
    @ValueSource(strings = {"base", "dev", "prod", "prod-hpa"})
    void builtInKindsHaveTheirRequiredFields(String rendering) {
        Map<String, Object> deployment = RenderedManifests.only(rendering, "Deployment");
        assertThat(map(deployment, "spec", "selector", "matchLabels")).isNotEmpty();
        for (Object container : list(deployment, "spec", "template", "spec", "containers")) {
            assertThat(at(container, "name")).isNotNull();
            assertThat(at(container, "image")).isNotNull();
        }
        for (Object port : list(RenderedManifests.only(rendering, "Service"), "spec", "ports")) {
            assertThat(at(port, "port")).isNotNull();
        }
        Map<String, Object> pdb = RenderedManifests.only(rendering, "PodDisruptionBudget");
        assertThat(map(pdb, "spec"))
                .containsAnyOf(Map.entry("maxUnavailable", 1), Map.entry("minAvailable", 1));
        assertThat(map(pdb, "spec", "selector", "matchLabels")).isNotEmpty();
        assertThat(map(RenderedManifests.only(rendering, "NetworkPolicy"), "spec"))
                .containsKey("podSelector");
        assertThat(map(RenderedManifests.only(rendering, "ConfigMap"), "data"))
                .containsKey("application.yaml");
        for (Map<String, Object> hpa :
                RenderedManifests.ofKind(rendering, "HorizontalPodAutoscaler")) {
            assertThat(map(hpa, "spec", "scaleTargetRef")).containsKeys("kind", "name");
            assertThat(at(hpa, "spec", "maxReplicas")).isNotNull();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"base", "dev", "prod", "prod-hpa"})
    void customResourcesHaveTheirRequiredSpecKeys(String rendering) {
        Map<String, Object> monitor = RenderedManifests.only(rendering, "ServiceMonitor");
        assertThat(map(monitor, "spec", "selector", "matchLabels")).isNotEmpty();
        assertThat(list(monitor, "spec", "endpoints")).isNotEmpty();
        for (Object endpoint : list(monitor, "spec", "endpoints")) {
            assertThat(map(endpoint))
                    .containsEntry("port", "management")
                    .containsEntry("path", "/q/metrics");
        }
        Map<String, Object> rule = RenderedManifests.only(rendering, "PrometheusRule");
        assertThat(list(rule, "spec", "groups")).isNotEmpty();
        for (Object group : list(rule, "spec", "groups")) {
            assertThat(at(group, "name")).isNotNull();
            for (Object r : list(group, "rules")) {
                assertThat(at(r, "expr")).isNotNull();
                assertThat(at(r, "alert") == null).isNotEqualTo(at(r, "record") == null);
            }
        }
        for (Map<String, Object> scaled : RenderedManifests.ofKind(rendering, "ScaledObject")) {
            assertThat(at(scaled, "spec", "scaleTargetRef", "name")).isEqualTo("tagpurge");
            assertThat(list(scaled, "spec", "triggers")).isNotEmpty();
            for (Object trigger : list(scaled, "spec", "triggers")) {
                assertThat(at(trigger, "type")).isNotNull();
                assertThat(map(trigger, "metadata")).isNotEmpty();
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"prod", "prod-hpa"})
    void strimziResourcesHaveTheirRequiredSpecKeys(String rendering) {
        List<Map<String, Object>> topics = RenderedManifests.ofKind(rendering, "KafkaTopic");
        assertThat(topics).isNotEmpty();
        for (Map<String, Object> topic : topics) {
            assertThat(map(topic, "metadata", "labels")).containsKey("strimzi.io/cluster");
            assertThat(map(topic, "spec")).containsKeys("topicName", "partitions", "replicas");
            assertThat((Integer) at(topic, "spec", "partitions")).isPositive();
        }
        Map<String, Object> user = RenderedManifests.only(rendering, "KafkaUser");
        assertThat(map(user, "metadata", "labels")).containsKey("strimzi.io/cluster");
        assertThat(at(user, "spec", "authentication", "type")).isEqualTo("scram-sha-512");
        assertThat(at(user, "spec", "authorization", "type")).isEqualTo("simple");
        assertThat(list(user, "spec", "authorization", "acls"))
                .isNotEmpty()
                .allSatisfy(
                        acl -> {
                            assertThat(Set.of("topic", "group"))
                                    .contains((String) at(acl, "resource", "type"));
                            assertThat(at(acl, "resource", "name")).isNotNull();
                            assertThat(at(acl, "resource", "patternType")).isEqualTo("literal");
                            assertThat(list(acl, "operations")).isNotEmpty();
                        });
        for (Map<String, Object> auth :
                RenderedManifests.ofKind(rendering, "TriggerAuthentication")) {
            assertThat(list(auth, "spec", "secretTargetRef"))
                    .allSatisfy(
                            ref -> assertThat(map(ref)).containsKeys("parameter", "name", "key"));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod", "prod-hpa"})
    void overlaysPutEverythingInTheirNamespace(String rendering) {
        Set<Object> namespaces =
                RenderedManifests.documents(rendering).stream()
                        .map(d -> at(d, "metadata", "namespace"))
                        .collect(Collectors.toSet());
        assertThat(namespaces).hasSize(1).doesNotContainNull();
    }

    @Test
    void thePrometheusRuleIsTheRuleFile() throws Exception {
        Object rules = new Yaml().load(Files.readString(Path.of(ReferencedMetrics.RULES)));
        for (String rendering : RenderedManifests.KUSTOMIZATIONS.keySet()) {
            assertThat(at(RenderedManifests.only(rendering, "PrometheusRule"), "spec"))
                    .as(
                            "PrometheusRule of %s (run deploy/prometheus/sync-prometheusrule.sh)",
                            rendering)
                    .isEqualTo(rules);
        }
    }
}
