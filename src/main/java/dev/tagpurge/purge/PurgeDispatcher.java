package dev.tagpurge.purge;

import dev.tagpurge.domain.ChangeEvent;
import dev.tagpurge.domain.MappedSelectors;
import dev.tagpurge.domain.PurgeMode;
import dev.tagpurge.domain.Selector;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * Routes each change event's selectors to its targets' pipelines and tells intake when to pause:
 * while any target's pending selectors, the events in flight or their bytes are at their bound,
 * {@link #awaitCapacity()} does not complete, so the Kafka consumer stops being fed (backpressure,
 * never dropping).
 *
 * <p>The bound in bytes holds where the bound in events cannot: 50,000 events of 10 KB are half a
 * gigabyte. An event in flight keeps its selectors and its progress records, which keep of the
 * parsed event only its id, type and instants. The records themselves are counted by the consumer
 * ({@link #holdBytes}), each from its poll until its outcome is written, since that is how long the
 * Kafka client and the messaging layer keep it.
 *
 * <p>Targets in more than one {@code layer} are purged inner layer first: a selector that a target
 * of a lower layer takes enters an outer target's window only once every lower-layer target of the
 * event has finished with it, and that target's {@code layer-delay} has passed ({@link
 * LayerChain}). Selectors no lower layer takes (a URL, which Redis cannot purge) go at once. With
 * every target in one layer, none of this runs.
 */
public final class PurgeDispatcher {

    private final Map<String, TargetPipeline> pipelines;
    private final Map<String, TargetRoute> routes;
    private final int maxInFlightEvents;
    private final long maxInFlightBytes;
    private final int maxUnwrittenOutcomes;
    private final long deadlineNanos;
    private final PipelineClock clock;
    // the pipelines by layer, inner first, and each one's index among the distinct layers; null
    // when every target is in the same layer
    private final TargetPipeline[] byLayer;
    private final int[] layerIndex;
    private final int layers;
    private final AtomicInteger eventsInFlight = new AtomicInteger();
    private final AtomicLong bytesInFlight = new AtomicLong();
    // purged, outcome not yet written: from an event's last target answer until its release
    private final AtomicInteger outcomesUnwritten = new AtomicInteger();
    // guarded by this, like capacityWaiter: the bytes the waiting batch does not count
    private long waiterOwnBytes;
    private CompletableFuture<Void> capacityWaiter;
    private Executor resumeOn;
    private boolean intakeStopped;

    PurgeDispatcher(
            Map<String, TargetPipeline> pipelines,
            Map<String, TargetRoute> routes,
            int maxInFlightEvents,
            long maxInFlightBytes,
            int maxUnwrittenOutcomes,
            long deadlineNanos,
            PipelineClock clock) {
        this.pipelines = pipelines;
        this.routes = routes;
        this.maxInFlightEvents = maxInFlightEvents;
        this.maxInFlightBytes = maxInFlightBytes;
        this.maxUnwrittenOutcomes = maxUnwrittenOutcomes;
        this.deadlineNanos = deadlineNanos;
        this.clock = clock;
        List<TargetPipeline> sorted = new ArrayList<>(pipelines.values());
        sorted.sort(Comparator.comparingInt(TargetPipeline::layer));
        int distinct = (int) sorted.stream().mapToInt(TargetPipeline::layer).distinct().count();
        this.layers = distinct;
        if (distinct > 1) {
            this.byLayer = sorted.toArray(TargetPipeline[]::new);
            this.layerIndex = new int[byLayer.length];
            int index = 0;
            for (int i = 1; i < byLayer.length; i++) {
                if (byLayer[i].layer() != byLayer[i - 1].layer()) {
                    index++;
                }
                layerIndex[i] = index;
            }
        } else {
            this.byLayer = null;
            this.layerIndex = null;
        }
    }

    /** Enabled target names. */
    public Set<String> targetNames() {
        return pipelines.keySet();
    }

    /** Which selectors {@code target} receives. */
    public TargetRoute route(String target) {
        return routes.getOrDefault(target, TargetRoute.ALL);
    }

    public Map<String, TargetPipeline> pipelines() {
        return pipelines;
    }

    public int eventsInFlight() {
        return eventsInFlight.get();
    }

    /** Events whose purges are done and whose outcome is not yet written. */
    public int outcomesUnwritten() {
        return outcomesUnwritten.get();
    }

    /** The estimated memory held by the events in flight, in bytes. */
    public long bytesInFlight() {
        return bytesInFlight.get();
    }

    /**
     * Counts {@code bytes} held outside any event against the bound in bytes: the consumer's
     * records, from their poll until each one's outcome is written. Given back with {@link
     * #releaseBytes}.
     */
    public void holdBytes(long bytes) {
        bytesInFlight.addAndGet(bytes);
    }

    /** Gives back what {@link #holdBytes} counted; intake may resume. */
    public void releaseBytes(long bytes) {
        bytesInFlight.addAndGet(-bytes);
        signalCapacity();
    }

    /**
     * What one event in flight costs in memory, estimated from its record's size and its mapped
     * selectors: the raw record kept for a dead letter, each selector's string (UTF-16 at worst)
     * and its window entry, and the fixed cost of its progress records.
     */
    static long footprint(int recordBytes, MappedSelectors mapped) {
        return FIXED_EVENT_BYTES
                + Math.max(recordBytes, 0)
                + selectorBytes(mapped.tags())
                + selectorBytes(mapped.urls())
                + selectorBytes(mapped.prefixes());
    }

    private static long selectorBytes(List<String> values) {
        long bytes = 0;
        for (String v : values) {
            bytes += SELECTOR_ENTRY_BYTES + 2L * v.length();
        }
        return bytes;
    }

    /**
     * Progress records, completion bookkeeping (the completion waiting for the producer's
     * acknowledgement) and the consumer's closures, per event: calibrated on the benchmark's live
     * heap per event in flight, less its records and selectors.
     */
    static final long FIXED_EVENT_BYTES = 1_024;

    /** Selector record, window entry and waiter lists, per selector. */
    static final long SELECTOR_ENTRY_BYTES = 160;

    /**
     * Starts purging one event. {@code onDone} runs once every routed target has an outcome, at
     * once (on this thread) when no target receives anything.
     *
     * <p>The event counts against {@code max-in-flight-events} and, with {@code recordBytes} and
     * its selectors, against {@code max-in-flight-bytes} until it is done.
     */
    public EventProgress dispatch(
            ChangeEvent event,
            MappedSelectors mapped,
            PurgeMode mode,
            Instant receivedAt,
            int recordBytes,
            Consumer<EventProgress> onDone) {
        return dispatch(event, mapped, mode, receivedAt, recordBytes, false, onDone);
    }

    /**
     * Like {@link #dispatch}, but the event keeps counting against the in-flight bounds after it is
     * done, until the {@code release} handed to {@code onDone} runs: the consumer's path, whose
     * completion write (with its record, selectors and waiting acknowledgement) is part of what an
     * event in flight holds in memory. {@code release} must run exactly once.
     */
    public EventProgress dispatchHeld(
            ChangeEvent event,
            MappedSelectors mapped,
            PurgeMode mode,
            Instant receivedAt,
            int recordBytes,
            BiConsumer<EventProgress, Runnable> onDone) {
        return dispatch(event, mapped, mode, receivedAt, recordBytes, false, onDone);
    }

    /**
     * Starts an operator's purge in the priority lane: like {@link #dispatch} (same routing,
     * coalescing, rate limits, retries and deadline), but its selectors are due at once and go out
     * ahead of event traffic on each target. It counts as one event in flight, so a drain waits for
     * it, but it never waits for intake capacity: an operator is not held back by a backlog.
     */
    public EventProgress dispatchAhead(
            ChangeEvent event,
            MappedSelectors mapped,
            PurgeMode mode,
            Instant receivedAt,
            Consumer<EventProgress> onDone) {
        return dispatch(event, mapped, mode, receivedAt, 0, true, onDone);
    }

    private EventProgress dispatch(
            ChangeEvent event,
            MappedSelectors mapped,
            PurgeMode mode,
            Instant receivedAt,
            int recordBytes,
            boolean ahead,
            Consumer<EventProgress> onDone) {
        return dispatch(
                event,
                mapped,
                mode,
                receivedAt,
                recordBytes,
                ahead,
                (p, release) -> {
                    release.run();
                    onDone.accept(p);
                });
    }

    private EventProgress dispatch(
            ChangeEvent event,
            MappedSelectors mapped,
            PurgeMode mode,
            Instant receivedAt,
            int recordBytes,
            boolean ahead,
            BiConsumer<EventProgress, Runnable> onDone) {
        long footprint = footprint(recordBytes, mapped);
        eventsInFlight.incrementAndGet();
        bytesInFlight.addAndGet(footprint);
        long now = clock.nanoTime();
        EventProgress progress =
                new EventProgress(
                        event,
                        receivedAt,
                        now,
                        now + deadlineNanos,
                        new Release(onDone, footprint));
        List<Selector> all = selectors(mapped);
        if (byLayer != null) {
            dispatchLayered(event, progress, all, mode, ahead);
            return progress;
        }
        // plain loops and arrays: this runs for every event
        TargetPipeline[] routedTo = new TargetPipeline[pipelines.size()];
        TargetProgress[] outcomes = new TargetProgress[routedTo.length];
        List<?>[] selectorsOf = new List<?>[routedTo.length];
        int n = 0;
        for (TargetPipeline pipeline : pipelines.values()) {
            if (!addresses(event, pipeline.name())) {
                continue;
            }
            List<Selector> routed = routed(all, routes.get(pipeline.name()));
            if (!routed.isEmpty()) {
                routedTo[n] = pipeline;
                selectorsOf[n] = routed;
                outcomes[n] = progress.addTarget(pipeline.name(), pipeline.purger().provider());
                n++;
            }
        }
        if (n == 0) {
            progress.onNothingRouted();
        }
        // every target is registered before any submit, so a target that finishes at once cannot
        // complete the event while others are still being added
        for (int i = 0; i < n; i++) {
            @SuppressWarnings("unchecked")
            List<Selector> routed = (List<Selector>) selectorsOf[i];
            routedTo[i].submit(outcomes[i], routed, mode, ahead);
        }
        return progress;
    }

    /**
     * {@link #dispatch} over targets in several layers. Each routed target's selectors are split:
     * those a target of a lower layer also takes wait in the event's {@link LayerChain}; the rest
     * go at once.
     */
    private void dispatchLayered(
            ChangeEvent event,
            EventProgress progress,
            List<Selector> all,
            PurgeMode mode,
            boolean ahead) {
        int n = byLayer.length;
        TargetProgress[] outcomes = new TargetProgress[n];
        LayerChain chain = new LayerChain(layers);
        boolean any = false;
        for (int i = 0; i < n; i++) {
            TargetPipeline pipeline = byLayer[i];
            if (routesTo(event, pipeline)
                    && all.stream().anyMatch(route(pipeline.name())::accepts)) {
                outcomes[i] =
                        progress.addTarget(
                                pipeline.name(), pipeline.purger().provider(), layerIndex[i]);
                chain.add(layerIndex[i]);
                any = true;
            }
        }
        if (!any) {
            progress.onNothingRouted();
            return;
        }
        // which of the event's selectors a target of a lower layer takes (routes and can purge)
        boolean[] takenBelow = new boolean[all.size()];
        boolean[] takenHere = new boolean[all.size()];
        List<Runnable> now = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            if (i > 0 && layerIndex[i] != layerIndex[i - 1]) {
                for (int k = 0; k < takenHere.length; k++) {
                    takenBelow[k] |= takenHere[k];
                }
            }
            TargetProgress tp = outcomes[i];
            if (tp == null) {
                continue;
            }
            TargetPipeline pipeline = byLayer[i];
            TargetRoute route = route(pipeline.name());
            List<Selector> free = new ArrayList<>();
            List<Selector> held = new ArrayList<>();
            for (int k = 0; k < takenHere.length; k++) {
                Selector s = all.get(k);
                if (!route.accepts(s)) {
                    continue;
                }
                (takenBelow[k] ? held : free).add(s);
                if (pipeline.purger().rejectReason(s, mode).isEmpty()) {
                    takenHere[k] = true;
                }
            }
            if (!held.isEmpty()) {
                tp.awaitLayer();
                long delay = pipeline.layerDelayNanos();
                Runnable handOver = () -> pipeline.submitReleased(tp, held, mode, ahead);
                chain.hold(
                        layerIndex[i],
                        delay > 0 ? () -> clock.schedule(handOver, delay) : handOver);
            }
            if (!free.isEmpty()) {
                now.add(() -> pipeline.submit(tp, free, mode, ahead));
            }
        }
        progress.chainLayers(chain);
        // every target is registered before any submit, as in dispatch
        now.forEach(Runnable::run);
        chain.start();
    }

    /** The selectors {@code route} accepts: {@code all} itself when it takes every one. */
    private static List<Selector> routed(List<Selector> all, TargetRoute route) {
        if (route == null || route == TargetRoute.ALL) {
            return all;
        }
        List<Selector> routed = new ArrayList<>(all.size());
        for (Selector s : all) {
            if (route.accepts(s)) {
                routed.add(s);
            }
        }
        return routed;
    }

    private static boolean routesTo(ChangeEvent event, TargetPipeline pipeline) {
        return event.targets().isEmpty() || event.targets().contains(pipeline.name());
    }

    /**
     * Stops intake for good (shutdown): {@link #awaitCapacity()} never completes again, so the
     * consumer is fed no further record.
     */
    public synchronized void stopIntake() {
        intakeStopped = true;
    }

    /**
     * Completes when intake may continue: below every pending bound and the in-flight bound. It
     * resumes on the caller's Vert.x context (the Kafka consumer's), never on the thread that freed
     * the capacity: that thread may hold a pipeline's lock, and the next record's submit to another
     * pipeline must not nest inside it.
     */
    public Uni<Void> awaitCapacity() {
        return awaitCapacity(0);
    }

    /**
     * {@link #awaitCapacity()} for the records of a batch whose bytes are already counted ({@link
     * #holdBytes}): {@code ownBytes}, what its records not yet dispatched are counted for, do not
     * hold them back, since those records are in memory whatever intake does.
     */
    public synchronized Uni<Void> awaitCapacity(long ownBytes) {
        if (intakeStopped) {
            return Uni.createFrom().nothing();
        }
        if (hasCapacity(ownBytes)) {
            return Uni.createFrom().voidItem();
        }
        waiterOwnBytes = ownBytes;
        if (capacityWaiter == null) {
            capacityWaiter = new CompletableFuture<>();
            Context context = Vertx.currentContext();
            resumeOn =
                    context != null
                            ? task -> context.runOnContext(v -> task.run())
                            : ForkJoinPool.commonPool();
        }
        CompletableFuture<Void> waiter = capacityWaiter;
        return Uni.createFrom().completionStage(waiter);
    }

    /** Whether intake is currently held back. */
    public synchronized boolean isPaused() {
        return capacityWaiter != null;
    }

    /** Sends everything pending at once, without waiting for the linger (shutdown). */
    public void flushAll() {
        pipelines.values().forEach(TargetPipeline::flush);
    }

    /** Whether every target is idle and no event is in flight. */
    public boolean isIdle() {
        return eventsInFlight.get() == 0
                && pipelines.values().stream().allMatch(TargetPipeline::isIdle);
    }

    /**
     * An event's way out of the bounds, one object per event in flight: once its purges are done it
     * counts as an outcome not yet written and goes to {@code onDone}, which runs this release once
     * the outcome is written, giving back its place and its {@code footprint}.
     */
    private final class Release implements Consumer<EventProgress>, Runnable {
        private final BiConsumer<EventProgress, Runnable> onDone;
        private final long footprint;

        Release(BiConsumer<EventProgress, Runnable> onDone, long footprint) {
            this.onDone = onDone;
            this.footprint = footprint;
        }

        @Override
        public void accept(EventProgress done) {
            outcomesUnwritten.incrementAndGet();
            onDone.accept(done, this);
        }

        @Override
        public void run() {
            outcomesUnwritten.decrementAndGet();
            eventsInFlight.decrementAndGet();
            bytesInFlight.addAndGet(-footprint);
            signalCapacity();
        }
    }

    void signalCapacity() {
        CompletableFuture<Void> ready;
        Executor executor;
        synchronized (this) {
            if (capacityWaiter == null || !hasCapacity(waiterOwnBytes) || intakeStopped) {
                return;
            }
            ready = capacityWaiter;
            executor = resumeOn;
            capacityWaiter = null;
        }
        executor.execute(() -> ready.complete(null));
    }

    /** Whether intake may go on now: below every pending bound and the in-flight bounds. */
    public boolean hasCapacity() {
        return hasCapacity(0);
    }

    /** {@link #hasCapacity()}, not counting {@code ownBytes} (see {@link #awaitCapacity(long)}). */
    public synchronized boolean hasCapacity(long ownBytes) {
        if (eventsInFlight.get() >= maxInFlightEvents
                || bytesInFlight.get() - ownBytes >= maxInFlightBytes
                || outcomesUnwritten.get() >= maxUnwrittenOutcomes) {
            return false;
        }
        for (TargetPipeline p : pipelines.values()) {
            if (p.isFull()) {
                return false;
            }
        }
        return true;
    }

    /**
     * Whether {@code event} is for {@code target}: an event without {@code targets} is for every
     * target.
     */
    public static boolean addresses(ChangeEvent event, String target) {
        return event.targets().isEmpty() || event.targets().contains(target);
    }

    /** The selectors of a mapped event, in the order they are routed: everything first. */
    public static List<Selector> selectors(MappedSelectors m) {
        List<Selector> out = new ArrayList<>(m.count());
        if (m.everything()) {
            out.add(new Selector.Everything());
        }
        for (String t : m.tags()) {
            out.add(new Selector.Tag(t));
        }
        for (String u : m.urls()) {
            out.add(new Selector.Url(u));
        }
        for (String p : m.prefixes()) {
            out.add(new Selector.Prefix(p));
        }
        return out;
    }
}
