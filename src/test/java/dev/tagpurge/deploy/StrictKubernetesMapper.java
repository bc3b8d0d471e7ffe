package dev.tagpurge.deploy;

import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.DeserializationConfig;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.deser.BeanDeserializerBuilder;
import com.fasterxml.jackson.databind.deser.BeanDeserializerModifier;
import com.fasterxml.jackson.databind.module.SimpleModule;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.util.Map;
import java.util.Optional;

/**
 * Reads manifests into fabric8's typed Kubernetes models (the API schemas, offline), failing on any
 * field the schema does not have. fabric8's models keep unknown fields in an "additional
 * properties" map; this mapper removes that catch-all, so a misspelt or misplaced field is an
 * error, as {@code kubectl apply --validate=strict} would make it.
 */
final class StrictKubernetesMapper {

    /** The built-in kinds Tagpurge ships, by "apiVersion/kind". */
    static final Map<String, Class<? extends HasMetadata>> TYPED =
            Map.of(
                    "v1/ServiceAccount", ServiceAccount.class,
                    "v1/ConfigMap", ConfigMap.class,
                    "v1/Secret", Secret.class,
                    "v1/Service", Service.class,
                    "apps/v1/Deployment", Deployment.class,
                    "policy/v1/PodDisruptionBudget", PodDisruptionBudget.class,
                    "networking.k8s.io/v1/NetworkPolicy", NetworkPolicy.class,
                    "autoscaling/v2/HorizontalPodAutoscaler", HorizontalPodAutoscaler.class);

    private static final ObjectMapper MAPPER =
            new ObjectMapper()
                    .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                    .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                    .registerModule(
                            new SimpleModule("strict-fabric8")
                                    .setDeserializerModifier(new NoAdditionalProperties()));

    private StrictKubernetesMapper() {}

    /** The typed model class of a document's apiVersion and kind, if it is a built-in kind. */
    static Optional<Class<? extends HasMetadata>> typeOf(Map<String, Object> document) {
        return Optional.ofNullable(
                TYPED.get(document.get("apiVersion") + "/" + document.get("kind")));
    }

    /**
     * The document as its typed model.
     *
     * @throws IllegalArgumentException naming the offending field when the schema lacks it
     */
    static <T> T read(Map<String, Object> document, Class<T> type) {
        return MAPPER.convertValue(document, type);
    }

    private static final class NoAdditionalProperties extends BeanDeserializerModifier {
        @Override
        public BeanDeserializerBuilder updateBuilder(
                DeserializationConfig config,
                BeanDescription description,
                BeanDeserializerBuilder builder) {
            if (description
                    .getBeanClass()
                    .getName()
                    .startsWith("io.fabric8.kubernetes.api.model")) {
                builder.setAnySetter(null);
            }
            return builder;
        }
    }
}
