package dev.tagpurge.purge;

import dev.tagpurge.config.TagpurgeConfig;
import dev.tagpurge.config.TargetConfig;
import dev.tagpurge.metrics.MetricNames;
import dev.tagpurge.metrics.TargetMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * Builds the {@link PurgeDispatcher} and one {@link TargetPipeline} per enabled target from
 * configuration, failing start-up with the key's name when a target is misconfigured.
 */
@ApplicationScoped
public class PurgePipelineProducer {

    private static final Logger LOG = Logger.getLogger(PurgePipelineProducer.class);

    private final SystemPipelineClock clock = new SystemPipelineClock();

    // the threads every target's serial executor runs on; a target uses one at a time
    private final ExecutorService targetThreads =
            Executors.newFixedThreadPool(
                    Math.max(2, Runtime.getRuntime().availableProcessors()),
                    Thread.ofPlatform().name("tagpurge-target-", 0).daemon().factory());

    @Produces
    @ApplicationScoped
    PurgeDispatcher dispatcher(
            TagpurgeConfig config,
            RateLimiterFactory limiters,
            @Any Instance<PurgerFactory> factories,
            MeterRegistry registry) {
        Map<String, PurgerFactory> byProvider =
                factories.stream().collect(Collectors.toMap(PurgerFactory::provider, f -> f));
        Map<String, TargetPipeline> pipelines = new LinkedHashMap<>();
        Map<String, TargetRoute> routes = new LinkedHashMap<>();
        PurgeDispatcher[] self = new PurgeDispatcher[1];
        for (Map.Entry<String, TargetConfig> e : config.targets().entrySet()) {
            String name = e.getKey();
            TargetConfig target = e.getValue();
            if (!target.enabled()) {
                LOG.infof("target %s (%s) is disabled", name, target.provider());
                continue;
            }
            PurgerFactory factory = byProvider.get(target.provider());
            if (factory == null) {
                throw new IllegalArgumentException(
                        "tagpurge.targets."
                                + name
                                + ".provider: unknown provider '"
                                + target.provider()
                                + "'; known: "
                                + byProvider.keySet());
            }
            Purger purger = factory.create(name, target);
            TargetSettings settings = settings(name, config, target, purger);
            TargetMetrics metrics = new TargetMetrics(registry, name, target.provider());
            pipelines.put(
                    name,
                    new TargetPipeline(
                            name,
                            purger,
                            settings,
                            metrics,
                            limiters.create(name, target, settings.maxInFlight(), purger),
                            clock,
                            targetThreads,
                            () -> self[0].signalCapacity()));
            routes.put(
                    name,
                    new TargetRoute(
                            target.tagPrefixes().orElse(List.of()),
                            target.hosts().orElse(List.of())));
            LOG.infof(
                    "target %s: provider %s, limits %s, max-in-flight %d, layer %d",
                    name,
                    target.provider(),
                    purger.limits(),
                    settings.maxInFlight(),
                    settings.layer());
        }
        if (pipelines.isEmpty()) {
            // only reachable with tagpurge.allow-no-targets=true: ConfigurationValidator refuses it
            LOG.warn(
                    "no enabled purge target is configured (tagpurge.allow-no-targets=true): every event will be unmatched");
        }
        self[0] =
                new PurgeDispatcher(
                        pipelines,
                        routes,
                        config.input().maxInFlightEvents(),
                        config.input().maxInFlightBytes(),
                        config.input().maxUnwrittenOutcomes(),
                        config.purge().deadline().toNanos(),
                        clock);
        registry.gauge(MetricNames.EVENTS_IN_FLIGHT, self[0], PurgeDispatcher::eventsInFlight);
        registry.gauge(MetricNames.EVENTS_IN_FLIGHT_BYTES, self[0], PurgeDispatcher::bytesInFlight);
        registry.gauge(MetricNames.OUTCOMES_UNWRITTEN, self[0], PurgeDispatcher::outcomesUnwritten);
        registry.gauge(MetricNames.CONSUMER_PAUSED, self[0], d -> d.isPaused() ? 1 : 0);
        return self[0];
    }

    private static TargetSettings settings(
            String name, TagpurgeConfig config, TargetConfig target, Purger purger) {
        String key = "tagpurge.targets." + name + ".";
        int layer = target.layer().orElse(purger.defaultLayer());
        if (layer < 0) {
            throw new IllegalArgumentException(key + "layer must not be negative: " + layer);
        }
        if (target.layerDelay().isNegative()) {
            throw new IllegalArgumentException(key + "layer-delay must not be negative");
        }
        Duration repurgeAfter = target.repurgeAfter().orElse(Duration.ZERO);
        if (repurgeAfter.isNegative()) {
            throw new IllegalArgumentException(key + "repurge-after must not be negative");
        }
        if (target.repurgeMaxPending() < 1) {
            throw new IllegalArgumentException(key + "repurge-max-pending must be at least 1");
        }
        return new TargetSettings(
                config.coalesce().linger(),
                config.coalesce().maxLinger(),
                config.coalesce().maxPending(),
                target.maxInFlight().orElse(purger.defaultMaxInFlight()),
                purger.requestTimeout().orElse(config.purge().requestTimeout()),
                new RetryPolicy(
                        config.purge().retryInitialBackoff(), config.purge().retryMaxBackoff()),
                layer,
                target.layerDelay(),
                repurgeAfter,
                target.repurgeMaxPending(),
                config.purge().deadline());
    }

    // after GracefulShutdown (priority 1), which needs the pipelines to drain
    void onStop(@Observes ShutdownEvent event) {
        clock.close();
        targetThreads.shutdownNow();
    }
}
