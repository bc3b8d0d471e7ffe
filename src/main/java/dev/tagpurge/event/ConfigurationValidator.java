package dev.tagpurge.event;

import dev.tagpurge.completion.CompletionCodec;
import dev.tagpurge.config.RuleConfig;
import dev.tagpurge.config.TagpurgeConfig;
import dev.tagpurge.config.TargetConfig;
import dev.tagpurge.mapping.MappingRule;
import dev.tagpurge.purge.PurgeDispatcher;
import dev.tagpurge.purge.PurgerFactory;
import dev.tagpurge.purge.TargetKeys;
import dev.tagpurge.purge.TargetKeysCheck;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.logging.Logger;

/**
 * Checks all of Tagpurge's configuration when the service starts, before the Kafka consumer
 * subscribes, and refuses to start with every error listed in one message, each naming its key:
 * every enabled target (a provider one of the discovered {@link PurgerFactory} beans serves, that
 * provider's keys as its factory reads them, an {@code https} {@code base-url} unless the target is
 * marked {@code sandbox} or the provider takes no credentials over HTTP), at least one enabled
 * target (unless {@code tagpurge.allow-no-targets=true}), the mapping rules and the global sizes
 * and durations.
 *
 * <p>The same checks run first while the configuration is loaded ({@link LoadTimeValidation}), so
 * that their errors come in one message with SmallRye Config's own (a value of the wrong type, a
 * missing required key); a check that needs a bean (a Redis target's client) can only run here.
 *
 * <p>Without it the first bad key would surface only when the lazily built dispatcher is first used
 * (the service listening and failing on every probe), one error per restart, and a configuration
 * without targets would acknowledge the whole backlog as unmatched.
 */
@ApplicationScoped
public class ConfigurationValidator {

    private static final Logger LOG = Logger.getLogger(ConfigurationValidator.class);

    private final TagpurgeConfig config;
    private final Map<String, TargetKeysCheck> factories = new LinkedHashMap<>();
    private final Instance<PurgeDispatcher> dispatcher;

    @Inject
    public ConfigurationValidator(
            TagpurgeConfig config,
            @Any Instance<PurgerFactory> factories,
            Instance<PurgeDispatcher> dispatcher) {
        this.config = config;
        factories.forEach(f -> this.factories.put(f.provider(), f));
        this.dispatcher = dispatcher;
    }

    /**
     * A validator over {@code factories} alone: for checking the configuration while it is loaded
     * ({@link LoadTimeValidation}), before any bean exists, and for tests without Quarkus.
     */
    public ConfigurationValidator(
            TagpurgeConfig config, List<? extends TargetKeysCheck> factories) {
        this.config = config;
        factories.forEach(f -> this.factories.put(f.provider(), f));
        this.dispatcher = null;
    }

    // Before SmallRye Reactive Messaging starts its channels (LIBRARY_BEFORE = 1000): nothing is
    // consumed from a service that is about to refuse to start.
    void onStart(@Observes @Priority(10) StartupEvent event) {
        List<String> errors = errors();
        // checked here rather than while the configuration loads: it loads the codec's native code
        CompletionCodec.check(CompletionCodec.configured(ConfigProvider.getConfig()))
                .ifPresent(errors::add);
        if (!errors.isEmpty()) {
            throw new IllegalStateException(message(errors));
        }
        // built now, not at the first record or probe: what validation cannot see fails here
        LOG.infof("configuration valid; purge targets: %s", dispatcher.get().targetNames());
    }

    /** The refusal text: one line per error. */
    public static String message(List<String> errors) {
        return "Tagpurge configuration is invalid ("
                + errors.size()
                + (errors.size() == 1 ? " error" : " errors")
                + "):\n  - "
                + String.join("\n  - ", errors);
    }

    /** Every configuration error, each naming its key; empty when the service may start. */
    public List<String> errors() {
        List<String> errors = new ArrayList<>();
        int enabled = 0;
        for (Map.Entry<String, TargetConfig> t : new TreeMap<>(config.targets()).entrySet()) {
            if (t.getValue().enabled()) {
                enabled++;
                checkTarget(t.getKey(), t.getValue(), errors);
            }
        }
        if (enabled == 0 && !config.allowNoTargets()) {
            errors.add(
                    "tagpurge.targets: no enabled purge target (tagpurge.targets.<name>.provider);"
                            + " every event would be acknowledged as unmatched. Set"
                            + " tagpurge.allow-no-targets=true to start without one");
        }
        checkRules(errors);
        checkIntake(errors);
        checkPurge(errors);
        checkOutputs(errors);
        return errors;
    }

    private void checkTarget(String name, TargetConfig target, List<String> errors) {
        TargetKeysCheck factory = factories.get(target.provider());
        if (factory == null) {
            errors.add(
                    TargetKeys.key(name, "provider")
                            + ": unknown provider '"
                            + target.provider()
                            + "'; known: "
                            + new TreeSet<>(factories.keySet()));
            return;
        }
        try {
            factory.validate(name, target);
        } catch (RuntimeException e) {
            errors.add(e.getMessage());
        }
        if (factory.requiresHttps() && !target.sandbox()) {
            target.baseUrl()
                    .filter(url -> !isHttps(url))
                    .ifPresent(
                            url ->
                                    errors.add(
                                            TargetKeys.key(name, "base-url")
                                                    + " must be an https URL for a real provider,"
                                                    + " was "
                                                    + url
                                                    + "; mark an emulator with "
                                                    + TargetKeys.key(name, "sandbox")
                                                    + "=true"));
        }
    }

    private static boolean isHttps(String url) {
        try {
            return "https".equalsIgnoreCase(URI.create(url.strip()).getScheme());
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private void checkRules(List<String> errors) {
        List<RuleConfig> rules = config.rules().orElse(List.of());
        for (int i = 0; i < rules.size(); i++) {
            RuleConfig r = rules.get(i);
            try {
                MappingRule.of(
                        r.type(),
                        r.source(),
                        r.tags().orElse(List.of()),
                        r.urls().orElse(List.of()),
                        r.prefixes().orElse(List.of()));
            } catch (RuntimeException e) {
                errors.add("tagpurge.rules[" + i + "]: " + e.getMessage());
            }
        }
    }

    private void checkIntake(List<String> errors) {
        TagpurgeConfig.Input input = config.input();
        atLeastOne(errors, "tagpurge.input.max-bytes", input.maxBytes());
        atLeastOne(errors, "tagpurge.input.max-selectors", input.maxSelectors());
        atLeastOne(errors, "tagpurge.input.max-in-flight-events", input.maxInFlightEvents());
        if (input.topics().stream().allMatch(String::isBlank)) {
            errors.add("tagpurge.input.topics must name at least one topic");
        }
        notNegative(errors, "tagpurge.coalesce.linger", config.coalesce().linger());
        if (config.coalesce().maxLinger().compareTo(config.coalesce().linger()) < 0) {
            errors.add(
                    "tagpurge.coalesce.max-linger must not be shorter than tagpurge.coalesce.linger,"
                            + " was "
                            + config.coalesce().maxLinger());
        }
        atLeastOne(errors, "tagpurge.coalesce.max-pending", config.coalesce().maxPending());
    }

    private void checkPurge(List<String> errors) {
        TagpurgeConfig.Purge purge = config.purge();
        positive(errors, "tagpurge.purge.deadline", purge.deadline());
        positive(errors, "tagpurge.purge.request-timeout", purge.requestTimeout());
        positive(errors, "tagpurge.purge.retry-initial-backoff", purge.retryInitialBackoff());
        if (purge.retryMaxBackoff().compareTo(purge.retryInitialBackoff()) < 0) {
            errors.add(
                    "tagpurge.purge.retry-max-backoff must not be below"
                            + " tagpurge.purge.retry-initial-backoff, was "
                            + purge.retryMaxBackoff());
        }
        config.ratelimit()
                .fallbackShare()
                .filter(share -> !(share > 0 && share <= 1))
                .ifPresent(
                        share ->
                                errors.add(
                                        "tagpurge.ratelimit.fallback-share must be in (0, 1], was "
                                                + share));
        if (config.ratelimit().maxReplicas() < 1) {
            errors.add(
                    "tagpurge.ratelimit.max-replicas must be at least 1, was "
                            + config.ratelimit().maxReplicas());
        }
    }

    private void checkOutputs(List<String> errors) {
        if (config.dlq().topic().isBlank()) {
            errors.add("tagpurge.dlq.topic must not be blank");
        }
        if (config.completion().topic().isBlank()) {
            errors.add("tagpurge.completion.topic must not be blank");
        }
        notNegative(errors, "tagpurge.shutdown.drain-timeout", config.shutdown().drainTimeout());
        positive(
                errors,
                "tagpurge.shutdown.write-stall-timeout",
                config.shutdown().writeStallTimeout());
    }

    private static void atLeastOne(List<String> errors, String key, long value) {
        if (value < 1) {
            errors.add(key + " must be at least 1, was " + value);
        }
    }

    private static void positive(List<String> errors, String key, Duration value) {
        if (value.isNegative() || value.isZero()) {
            errors.add(key + " must be positive, was " + value);
        }
    }

    private static void notNegative(List<String> errors, String key, Duration value) {
        if (value.isNegative()) {
            errors.add(key + " must not be negative, was " + value);
        }
    }
}
