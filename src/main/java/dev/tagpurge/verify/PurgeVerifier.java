package dev.tagpurge.verify;

import dev.tagpurge.config.TagpurgeConfig;
import dev.tagpurge.config.TargetConfig;
import dev.tagpurge.domain.MappedSelectors;
import dev.tagpurge.domain.Selector;
import dev.tagpurge.domain.TargetStatus;
import dev.tagpurge.metrics.VerificationMetrics;
import dev.tagpurge.purge.CacheStatusReader;
import dev.tagpurge.purge.EventProgress;
import dev.tagpurge.purge.PurgeDispatcher;
import dev.tagpurge.purge.TargetProgress;
import dev.tagpurge.purge.TargetRoute;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * Verifies purges that succeeded on targets with {@code probe.enabled}: once an event is done, its
 * URLs and tags routed to each such target go to that target's {@link TargetProber}, on a thread of
 * the verifier's own, after {@code probe.delay}. The event's path only hands the work over: when
 * {@code tagpurge.verification.queue-capacity} purges already wait, the purge is not probed and is
 * counted as dropped. Nothing here delays an outcome or an acknowledgement.
 */
@ApplicationScoped
public class PurgeVerifier {

    private static final Logger LOG = Logger.getLogger(PurgeVerifier.class);

    private final Map<String, Probe> probes;
    private final PurgeDispatcher dispatcher;
    private final int capacity;
    private final Duration completionWait;
    private final AtomicInteger pending = new AtomicInteger();
    private final ScheduledExecutorService thread;
    private final Clock clock = Clock.systemUTC();

    @Inject
    public PurgeVerifier(
            VerificationConfig config,
            TagpurgeConfig tagpurge,
            PurgeDispatcher dispatcher,
            @Any Instance<CacheStatusReader> readers,
            MeterRegistry registry) {
        this(
                config,
                tagpurge,
                dispatcher,
                readers.stream().toList(),
                registry,
                new HttpEdgeFetcher());
    }

    /** With the readers and the fetcher given: tests see what would be fetched. */
    PurgeVerifier(
            VerificationConfig config,
            TagpurgeConfig tagpurge,
            PurgeDispatcher dispatcher,
            List<CacheStatusReader> readers,
            MeterRegistry registry,
            EdgeFetcher fetcher) {
        this.dispatcher = dispatcher;
        this.capacity = config.verification().queueCapacity();
        this.completionWait = config.verification().completionWait();
        this.thread =
                Executors.newSingleThreadScheduledExecutor(
                        Thread.ofPlatform().name("tagpurge-verifier").daemon().factory());
        Map<String, CacheStatusReader> byProvider =
                readers.stream()
                        .collect(
                                Collectors.toMap(CacheStatusReader::provider, r -> r, (a, b) -> a));
        Map<String, Probe> built = new LinkedHashMap<>();
        for (Map.Entry<String, VerificationConfig.Target> e : config.targets().entrySet()) {
            String name = e.getKey();
            VerificationConfig.Probe probe = e.getValue().probe();
            TargetConfig target = tagpurge.targets().get(name);
            if (!probe.enabled()
                    || target == null
                    || !target.enabled()
                    || !dispatcher.targetNames().contains(name)) {
                continue;
            }
            List<String> hosts = target.hosts().orElse(List.of());
            TargetProber prober =
                    new TargetProber(
                            name,
                            Optional.ofNullable(byProvider.get(target.provider())),
                            new HostAllowList(probe.allowedHosts().orElse(List.of())),
                            new ProbeUrls(
                                    probe.tagUrls(), hosts.stream().findFirst(), probe.maxUrls()),
                            probe.connectTo(),
                            probe.timeout(),
                            new TokenBucket(probe.rate(), System.nanoTime()),
                            fetcher,
                            new VerificationMetrics(registry, name),
                            thread,
                            System::nanoTime,
                            clock);
            built.put(name, new Probe(prober, probe.delay()));
            LOG.infof(
                    "target %s: verification probe on, at most %d URLs a purge, %d a second, allowed hosts %s",
                    name, probe.maxUrls(), probe.rate(), probe.allowedHosts().orElse(List.of()));
        }
        this.probes = Map.copyOf(built);
    }

    /** Whether any target probes; when not, nothing is handed over at all. */
    public boolean active() {
        return !probes.isEmpty();
    }

    /** How long a completion may wait for the results; zero: it never waits. */
    public Duration completionWait() {
        return completionWait;
    }

    /**
     * Hands the probing of a finished event over and returns at once. Completes with the results
     * per target probed (empty when none was, or when the queue was full).
     */
    public CompletableFuture<Map<String, List<ProbeResult>>> verify(
            EventProgress progress, MappedSelectors selectors) {
        List<Job> jobs = new ArrayList<>(1);
        for (TargetProgress t : progress.targets()) {
            Probe probe = probes.get(t.target());
            if (probe != null && t.status() == TargetStatus.SUCCEEDED && t.completedAt() != null) {
                jobs.add(new Job(probe, t.completedAt()));
            }
        }
        if (jobs.isEmpty()) {
            return CompletableFuture.completedFuture(Map.of());
        }
        if (pending.incrementAndGet() > capacity) {
            pending.decrementAndGet();
            jobs.forEach(j -> j.probe().prober().metrics().dropped());
            LOG.debugf("event %s: probe queue full, not verified", progress.id());
            return CompletableFuture.completedFuture(Map.of());
        }
        CompletableFuture<Map<String, List<ProbeResult>>> done = new CompletableFuture<>();
        done.whenComplete((r, e) -> pending.decrementAndGet());
        try {
            thread.execute(() -> start(jobs, selectors, done));
        } catch (RuntimeException e) {
            done.complete(Map.of()); // shutting down
        }
        return done;
    }

    private void start(
            List<Job> jobs,
            MappedSelectors selectors,
            CompletableFuture<Map<String, List<ProbeResult>>> done) {
        Map<String, CompletableFuture<List<ProbeResult>>> running = new LinkedHashMap<>();
        for (Job job : jobs) {
            TargetProber prober = job.probe().prober();
            TargetRoute route = dispatcher.route(prober.target());
            List<String> urls =
                    selectors.urls().stream()
                            .filter(u -> route.accepts(new Selector.Url(u)))
                            .toList();
            List<String> tags =
                    selectors.tags().stream()
                            .filter(t -> route.accepts(new Selector.Tag(t)))
                            .toList();
            CompletableFuture<List<ProbeResult>> result = new CompletableFuture<>();
            long wait =
                    job.probe()
                            .delay()
                            .minus(Duration.between(job.acceptedAt(), clock.instant()))
                            .toNanos();
            Runnable run =
                    () -> {
                        try {
                            prober.probe(urls, tags, job.acceptedAt())
                                    .whenComplete(
                                            (r, e) -> result.complete(e == null ? r : List.of()));
                        } catch (RuntimeException e) {
                            LOG.warnf(e, "target %s: verification probe failed", prober.target());
                            result.complete(List.of());
                        }
                    };
            if (wait > 0) {
                thread.schedule(run, wait, TimeUnit.NANOSECONDS);
            } else {
                run.run();
            }
            running.put(prober.target(), result);
        }
        CompletableFuture.allOf(running.values().toArray(CompletableFuture[]::new))
                .whenComplete(
                        (ignored, error) -> {
                            Map<String, List<ProbeResult>> out = new LinkedHashMap<>();
                            running.forEach((target, f) -> out.put(target, f.join()));
                            logStale(out);
                            done.complete(out);
                        });
    }

    private static void logStale(Map<String, List<ProbeResult>> results) {
        results.forEach(
                (target, list) ->
                        list.stream()
                                .filter(r -> r.verdict() == ProbeResult.Verdict.STALE_SERVED)
                                .forEach(
                                        r ->
                                                LOG.warnf(
                                                        "target %s: %s still served from cache after the purge (%s)",
                                                        target, r.url(), r.reason())));
    }

    @PreDestroy
    void stop() {
        thread.shutdownNow();
    }

    private record Probe(TargetProber prober, Duration delay) {}

    private record Job(Probe probe, Instant acceptedAt) {}
}
