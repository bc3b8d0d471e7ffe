package dev.tagpurge.purge;

import static dev.tagpurge.purge.LogContext.BATCH_ID;
import static dev.tagpurge.purge.LogContext.EVENT_ID;
import static dev.tagpurge.purge.LogContext.EVENT_IDS;
import static dev.tagpurge.purge.LogContext.TARGET;

import dev.tagpurge.coalesce.Batch;
import dev.tagpurge.coalesce.CoalescingWindow;
import dev.tagpurge.coalesce.PendingSelector;
import dev.tagpurge.domain.PurgeMode;
import dev.tagpurge.domain.Selector;
import dev.tagpurge.domain.TargetStatus;
import dev.tagpurge.metrics.TargetMetrics;
import dev.tagpurge.ratelimit.RateLimiter;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.Cancellable;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import org.jboss.logging.Logger;

/**
 * Drives one target: selectors go into its {@link CoalescingWindow}; due batches go to its {@link
 * Purger} while fewer than {@code max-in-flight} requests are out and its {@link RateLimiter}
 * grants the tokens; answers settle the waiting events, or put the failed selectors back for a
 * retry with backoff.
 *
 * <p>All state is confined to one {@link SerialExecutor}: every entry point (new selectors, a
 * limiter's answer, a provider's answer, a timer) is a task on it, so no lock is held across an
 * adapter call and an adapter that answers at once cannot re-enter a drain. Time comes from the
 * injected {@link PipelineClock}. Every wait is bounded: a request by the request timeout, the
 * limiter by {@link #LIMITER_TIMEOUT}, any pause taken from a provider by {@link #MAX_HOLD}, and
 * every accepted selector by its event's deadline, whatever it waits for. An exception while
 * handling an answer fails that batch's events; it never leaves them without an outcome.
 */
public final class TargetPipeline {

    private static final Logger LOG = Logger.getLogger(TargetPipeline.class);

    /** At most this many event ids label one batch line. */
    private static final int MAX_LOGGED_EVENT_IDS = 20;

    /** How long the limiter may take to answer before the pipeline asks again later. */
    static final Duration LIMITER_TIMEOUT = Duration.ofSeconds(2);

    /** How long to wait before asking a limiter that failed or did not answer again. */
    static final Duration LIMITER_RETRY = Duration.ofSeconds(1);

    /** The shortest timer the pipeline sets. */
    static final Duration MIN_WAKEUP = Duration.ofMillis(1);

    /** The longest pause any input (Retry-After, a limiter's wait) can impose at once. */
    static final Duration MAX_HOLD = Duration.ofMinutes(15);

    private final String name;
    private final Purger purger;
    private final TargetSettings settings;
    private final CoalescingWindow<TargetProgress> window;
    private final TargetMetrics metrics;
    private final RateLimiter limiter;
    private final PipelineClock clock;
    private final Executor executor;
    private final Runnable onCapacityFreed;
    private final DeadlineQueue deadlines = new DeadlineQueue();

    // written by submitters, read by admission: selectors handed over but not yet in the window
    private final AtomicInteger queuedSelectors = new AtomicInteger();
    // snapshots of executor-confined state, for gauges and admission on other threads
    private volatile int pendingSnapshot;
    private volatile int aheadSnapshot;
    private volatile int inFlightSnapshot;
    private volatile boolean idleSnapshot = true;

    // confined to the executor
    private int inFlight;
    private long batchSeq;
    private long pausedUntilNanos;
    private long rateLimitedUntilNanos;
    private boolean flushing;
    private LimiterCall acquiring;
    private long waitingSinceNanos = -1;
    private PipelineClock.Scheduled wakeup;
    private long wakeupAtNanos = Long.MAX_VALUE;
    // second purges (repurge-after) not yet due, in due order (one delay per target), and the
    // selectors of rounds sent and not yet finished
    private final ArrayDeque<Repurge> repurges = new ArrayDeque<>();
    private int repurgesOpen;
    private long repurgeRounds;
    private volatile int repurgeSnapshot;

    TargetPipeline(
            String name,
            Purger purger,
            TargetSettings settings,
            TargetMetrics metrics,
            RateLimiter limiter,
            PipelineClock clock,
            Executor executor,
            Runnable onCapacityFreed) {
        this.name = name;
        this.purger = purger;
        this.settings = settings;
        this.window =
                new CoalescingWindow<>(
                        purger.limits(),
                        purger.caseInsensitiveTags(),
                        settings.linger().toNanos(),
                        settings.maxLinger().toNanos());
        this.metrics = metrics;
        this.limiter = limiter;
        this.clock = clock;
        this.executor = new SerialExecutor("target " + name, executor);
        this.onCapacityFreed = onCapacityFreed;
        this.pausedUntilNanos = Long.MIN_VALUE;
        this.rateLimitedUntilNanos = Long.MIN_VALUE;
        metrics.bindGauges(this::pendingSelectors, this::inFlight);
    }

    public String name() {
        return name;
    }

    public Purger purger() {
        return purger;
    }

    /** This target's cache layer, inner first. */
    public int layer() {
        return settings.layer();
    }

    long layerDelayNanos() {
        return settings.layerDelay().toNanos();
    }

    /** Selectors pending, including those handed over but not yet merged; read from any thread. */
    public int pendingSelectors() {
        return pendingSnapshot + queuedSelectors.get();
    }

    /**
     * Pending selectors in the priority lane (operator purges not sent yet): a new operator purge
     * goes out after them; read from any thread.
     */
    public int aheadSelectors() {
        return aheadSnapshot;
    }

    /** The target's rate limiter, for read-only queries ({@link RateLimiter#budget}). */
    public RateLimiter limiter() {
        return limiter;
    }

    /** Requests out at the provider; read from any thread. */
    public int inFlight() {
        return inFlightSnapshot;
    }

    /** Whether pending work reached {@code max-pending}, so intake should pause. Lock-free. */
    public boolean isFull() {
        // second purges have their own bound (repurge-max-pending) and never hold intake back
        return pendingSelectors() - repurgeSnapshot >= settings.maxPending();
    }

    /** Whether nothing is pending, queued or in flight. */
    public boolean isIdle() {
        return queuedSelectors.get() == 0 && idleSnapshot;
    }

    /**
     * Adds one event's selectors for this target; returns at once, the work happens on the target's
     * executor. Selectors the provider cannot take are rejected there; if none remains, the
     * target's outcome is final immediately.
     */
    void submit(TargetProgress progress, List<Selector> selectors, PurgeMode mode) {
        submit(progress, selectors, mode, false);
    }

    /**
     * {@link #submit(TargetProgress, List, PurgeMode)}; with {@code ahead} the selectors take the
     * priority lane: due at once and sent before event traffic, still coalesced with what is
     * pending and still within the rate limits.
     */
    void submit(TargetProgress progress, List<Selector> selectors, PurgeMode mode, boolean ahead) {
        queuedSelectors.addAndGet(selectors.size());
        executor.execute(() -> accept(progress, selectors, mode, ahead, false));
    }

    /**
     * Hands over the selectors of an event that waited for the lower layers ({@link
     * TargetProgress#awaitLayer()}); they count against the same event's deadline.
     */
    void submitReleased(
            TargetProgress progress, List<Selector> selectors, PurgeMode mode, boolean ahead) {
        queuedSelectors.addAndGet(selectors.size());
        executor.execute(() -> accept(progress, selectors, mode, ahead, true));
    }

    /** Sends everything pending without waiting for the linger (shutdown). */
    public void flush() {
        executor.execute(
                () -> {
                    flushing = true;
                    drain();
                });
    }

    private void accept(
            TargetProgress progress,
            List<Selector> selectors,
            PurgeMode mode,
            boolean ahead,
            boolean released) {
        long now = clock.nanoTime();
        if (released && !layerReleased(progress, selectors.size(), now)) {
            queuedSelectors.addAndGet(-selectors.size());
            return;
        }
        try {
            progress.started(now);
            progress.expect(selectors.size());
            for (Selector s : selectors) {
                metrics.selectorRouted();
                Optional<String> reject = purger.rejectReason(s, mode);
                if (reject.isPresent()) {
                    progress.rejected(reject.get());
                } else {
                    metrics.selectorsCoalesced(window.add(s, mode, progress, now, ahead));
                }
            }
        } catch (RuntimeException e) {
            try (var log = LogContext.of(TARGET, name, EVENT_ID, idOf(progress))) {
                LOG.errorf(
                        e,
                        "target %s: could not accept the selectors of %s",
                        name,
                        eventId(progress));
            }
            progress.failRemaining("internal-error: " + e);
        }
        if (!progress.isDone()) {
            deadlines.add(progress);
        }
        finishIfAnswered(progress);
        drain();
        queuedSelectors.addAndGet(-selectors.size());
    }

    /**
     * Takes back selectors that waited for the lower layers. False when there is nothing to do: the
     * outcome is final already, or the deadline passed meanwhile (then it fails now).
     */
    private boolean layerReleased(TargetProgress progress, int selectors, long now) {
        if (progress.isDone()) {
            return false;
        }
        progress.layerReleased();
        if (now < progress.event().deadlineNanos()) {
            return true;
        }
        progress.expect(selectors);
        progress.failRemaining("deadline-exceeded: still waiting for the lower layers");
        finishIfAnswered(progress);
        return false;
    }

    /**
     * Expires what passed its deadline, then asks the limiter for the next due request. One
     * question is out at a time: its answer sends the request and drains again.
     */
    private void drain() {
        long now = clock.nanoTime();
        if (!repurges.isEmpty() && repurges.peekFirst().dueNanos() <= now) {
            startRepurgeRound(now);
        }
        if (deadlines.expire(now, this::expire) > 0) {
            window.dropSettled(TargetProgress::isDone);
        }
        if (!isHeld(now) && inFlight < settings.maxInFlight() && acquiring == null) {
            CoalescingWindow.Due due = window.peekDue(now, flushing);
            if (due != null) {
                acquire(due, now);
            }
        }
        snapshot();
        scheduleWakeup(now);
    }

    private boolean isHeld(long now) {
        return now < pausedUntilNanos || now < rateLimitedUntilNanos;
    }

    /** Asks the limiter for a due request's tokens; its answer comes back as a task. */
    private void acquire(CoalescingWindow.Due due, long now) {
        if (waitingSinceNanos < 0) {
            waitingSinceNanos = now;
        }
        LimiterCall call = new LimiterCall(due);
        acquiring = call;
        call.timeout =
                clock.schedule(
                        () -> executor.execute(() -> limiterAnswered(call, null)),
                        LIMITER_TIMEOUT.toNanos());
        try {
            Uni<Long> answer =
                    due.partial()
                            ? limiter.tryAcquireSpare(
                                    due.kind(), due.items(), settings.linger().toNanos())
                            : limiter.tryAcquire(due.kind(), due.items());
            call.subscription =
                    answer.subscribe()
                            .with(
                                    wait -> executor.execute(() -> limiterAnswered(call, wait)),
                                    failure ->
                                            executor.execute(() -> limiterFailed(call, failure)));
        } catch (RuntimeException e) {
            executor.execute(() -> limiterFailed(call, e));
        }
    }

    private void limiterFailed(LimiterCall call, Throwable failure) {
        try (var log = LogContext.of(TARGET, name)) {
            LOG.warnf(
                    "target %s: rate limiter failed (%s); asking again in %d ms",
                    name, failure, LIMITER_RETRY.toMillis());
        }
        limiterAnswered(call, null);
    }

    /**
     * The limiter's answer: 0 = send now, &gt;0 = nanoseconds to wait, null = no usable answer (a
     * failure or a timeout: nothing is sent without tokens, the pipeline asks again later).
     */
    private void limiterAnswered(LimiterCall call, Long wait) {
        if (acquiring != call) {
            return; // answered already (a late answer after the timeout, or the reverse)
        }
        acquiring = null;
        call.timeout.cancel();
        long now = clock.nanoTime();
        if (wait == null) {
            if (call.subscription != null) {
                call.subscription.cancel();
            }
            rateLimitedUntilNanos = now + LIMITER_RETRY.toNanos();
        } else if (wait > 0 && call.due.partial()) {
            // no token to spare for a partly full request: it keeps filling, full ones may go
            window.holdPartial(now + clampNanos(wait));
        } else if (wait > 0) {
            rateLimitedUntilNanos = now + clampNanos(wait);
        } else {
            sendGranted(call.due, now);
            onCapacityFreed.run();
        }
        drain();
    }

    /** Takes the granted request's selectors (what is pending now, within the grant) and sends. */
    private void sendGranted(CoalescingWindow.Due due, long now) {
        if (waitingSinceNanos >= 0) {
            metrics.rateLimitWaited(now - waitingSinceNanos);
            waitingSinceNanos = -1;
        }
        Batch<TargetProgress> taken = window.take(due.kind(), due.mode(), due.items());
        Batch<TargetProgress> batch = withoutSettled(taken);
        if (!batch.entries().isEmpty()) {
            send(batch, now);
        }
    }

    /** The batch without selectors nobody waits for any more (their events passed a deadline). */
    private static Batch<TargetProgress> withoutSettled(Batch<TargetProgress> batch) {
        List<PendingSelector<TargetProgress>> live = new ArrayList<>(batch.size());
        for (PendingSelector<TargetProgress> e : batch.entries()) {
            e.waiters().removeIf(TargetProgress::isDone);
            if (!e.waiters().isEmpty()) {
                live.add(e);
            }
        }
        return live.size() == batch.size()
                ? batch
                : new Batch<>(batch.kind(), batch.mode(), live, batch.full());
    }

    private void send(Batch<TargetProgress> batch, long now) {
        inFlight++;
        long seq = ++batchSeq;
        int attempt = 0;
        for (PendingSelector<TargetProgress> e : batch.entries()) {
            e.countAttempt();
            attempt = Math.max(attempt, e.attempts());
            for (TargetProgress p : e.waiters()) {
                p.sentIn(seq, e.attempts());
            }
        }
        String batchId = resendId(batch);
        if (batchId == null) {
            batchId = name + "-" + Long.toHexString(clock.now().toEpochMilli()) + "-" + seq;
        }
        for (PendingSelector<TargetProgress> e : batch.entries()) {
            e.sentIn(batchId, batch.size());
        }
        PurgeRequest request =
                new PurgeRequest(
                        batchId, name, batch.kind(), batch.mode(), batch.selectors(), attempt);
        metrics.batchSent(batch.size());
        if (LOG.isDebugEnabled()) {
            try (var log = LogContext.of(TARGET, name, BATCH_ID, batchId)) {
                LOG.debugf(
                        "target %s: sending batch %s with %d %s selectors",
                        name, batchId, batch.size(), batch.kind().label());
            }
        }
        InFlightRequest call = new InFlightRequest(batch, request, now);
        call.timeout =
                clock.schedule(
                        () ->
                                executor.execute(
                                        () ->
                                                answered(
                                                        call,
                                                        PurgeResult.retryable(
                                                                "timeout",
                                                                "no answer within "
                                                                        + settings
                                                                                .requestTimeout()))),
                        settings.requestTimeout().toNanos());
        try {
            call.subscription =
                    purger.purge(request)
                            .onFailure()
                            .recoverWithItem(
                                    t ->
                                            PurgeResult.retryable(
                                                    "connection", String.valueOf(t.getMessage())))
                            .subscribe()
                            .with(result -> executor.execute(() -> answered(call, result)));
        } catch (RuntimeException e) {
            try (var log = LogContext.of(TARGET, name, BATCH_ID, batchId)) {
                LOG.errorf(e, "target %s: adapter failed to start batch %s", name, batchId);
            }
            executor.execute(
                    () -> answered(call, PurgeResult.retryable("internal-error", e.toString())));
        }
    }

    /** The previous id when this batch is exactly a previous request sent again, else null. */
    private static String resendId(Batch<TargetProgress> batch) {
        String id = batch.entries().get(0).batchIdForResend(batch.size());
        if (id == null) {
            return null;
        }
        for (PendingSelector<TargetProgress> e : batch.entries()) {
            if (!id.equals(e.batchIdForResend(batch.size()))) {
                return null;
            }
        }
        return id;
    }

    /** A request's outcome, whichever came first: the provider's answer or the request timeout. */
    private void answered(InFlightRequest call, PurgeResult result) {
        if (call.answered) {
            return;
        }
        call.answered = true;
        call.timeout.cancel();
        if (call.subscription != null) {
            call.subscription.cancel(); // after a timeout: the adapter may free its connection
        }
        inFlight--;
        long now = clock.nanoTime();
        try {
            onResult(call.batch, call.request, result, now, call.startedNanos);
        } catch (RuntimeException e) {
            try (var log = batchContext(call.batch, call.request)) {
                LOG.errorf(
                        e,
                        "target %s: could not handle the answer to batch %s; failing its events",
                        name,
                        call.request.batchId());
            }
            settle(call.batch, (entry, p) -> p.failRemaining("internal-error: " + e));
        }
        drain();
    }

    private void onResult(
            Batch<TargetProgress> batch,
            PurgeRequest request,
            PurgeResult result,
            long now,
            long started) {
        switch (result) {
            case PurgeResult.Accepted accepted -> {
                metrics.requestDone("accepted", now - started);
                accepted.remaining().ifPresent(left -> limiter.onRemaining(request.kind(), left));
                if (LOG.isDebugEnabled()) {
                    try (var log = LogContext.of(TARGET, name, BATCH_ID, request.batchId())) {
                        LOG.debugf(
                                "target %s: batch %s of %d %s selectors accepted",
                                name, request.batchId(), batch.size(), batch.kind().label());
                    }
                }
                if (settings.repurges()) {
                    scheduleRepurges(batch, now);
                }
                settle(
                        batch,
                        (entry, p) ->
                                p.succeeded(
                                        accepted.purgeIdsFor(entry.selector().value()),
                                        accepted.estimatedSeconds()));
            }
            case PurgeResult.Permanent permanent -> {
                metrics.requestDone("permanent", now - started);
                try (var log = batchContext(batch, request)) {
                    LOG.warnf(
                            "target %s: batch %s failed permanently: %s %s",
                            name, request.batchId(), permanent.reason(), permanent.detail());
                }
                settle(
                        batch,
                        (entry, p) -> p.failed(permanent.reason() + ": " + permanent.detail()));
            }
            case PurgeResult.Retryable retryable ->
                    onRetryable(batch, request, retryable, now, started);
        }
    }

    /**
     * Queues the second purge of every selector of an accepted batch that an event waited for (a
     * second purge is not purged a third time), up to {@code repurge-max-pending}; beyond it the
     * selector's second purge is dropped and counted.
     */
    private void scheduleRepurges(Batch<TargetProgress> batch, long now) {
        long due = now + settings.repurgeAfter().toNanos();
        for (PendingSelector<TargetProgress> e : batch.entries()) {
            if (!waitedForByAnEvent(e)) {
                continue;
            }
            if (repurges.size() + repurgesOpen >= settings.repurgeMaxPending()) {
                metrics.repurged("dropped", 1);
            } else {
                repurges.addLast(new Repurge(due, e.selector(), e.mode()));
            }
        }
    }

    private static boolean waitedForByAnEvent(PendingSelector<TargetProgress> entry) {
        for (TargetProgress p : entry.waiters()) {
            if (!p.event().isRepurge()) {
                return true;
            }
        }
        return false;
    }

    /**
     * Puts every second purge that is due into the window as one round: it coalesces with what is
     * pending, waits for the rate limiter like any selector, and fails past {@code
     * tagpurge.purge.deadline}; it holds no event and no offset.
     */
    private void startRepurgeRound(long now) {
        List<Repurge> due = new ArrayList<>();
        while (!repurges.isEmpty() && repurges.peekFirst().dueNanos() <= now) {
            due.add(repurges.pollFirst());
        }
        int n = due.size();
        EventProgress round =
                EventProgress.repurgeRound(
                        name + "-repurge-" + ++repurgeRounds,
                        clock.now(),
                        now,
                        now + settings.repurgeDeadline().toNanos(),
                        r -> repurgeRoundDone(r, n));
        TargetProgress progress = round.addTarget(name, purger.provider());
        progress.started(now);
        progress.expect(n);
        repurgesOpen += n;
        for (Repurge r : due) {
            window.add(r.selector(), r.mode(), progress, now, false);
        }
        deadlines.add(progress);
    }

    private void repurgeRoundDone(EventProgress round, int selectors) {
        repurgesOpen -= selectors;
        int failed = round.targets().get(0).failedSelectors();
        metrics.repurged("succeeded", selectors - failed);
        metrics.repurged("failed", failed);
    }

    private void onRetryable(
            Batch<TargetProgress> batch,
            PurgeRequest request,
            PurgeResult.Retryable r,
            long now,
            long started) {
        metrics.requestDone("retryable", now - started);
        metrics.retry(r.reason());
        r.remaining().ifPresent(left -> limiter.onRemaining(request.kind(), left));
        Optional<Duration> retryAfter = r.retryAfter().map(TargetPipeline::clamp);
        if (r.throttled()) {
            metrics.throttled();
            limiter.onThrottled(request.kind());
            retryAfter.ifPresent(
                    after -> {
                        pausedUntilNanos = Math.max(pausedUntilNanos, now + after.toNanos());
                    });
        }
        long delay = clampNanos(settings.retry().backoffNanos(request.attempt(), retryAfter));
        try (var log = batchContext(batch, request)) {
            LOG.infof(
                    "target %s: batch %s failed (%s: %s), retrying in %d ms",
                    name,
                    request.batchId(),
                    r.reason(),
                    r.detail(),
                    TimeUnit.NANOSECONDS.toMillis(delay));
        }
        List<PendingSelector<TargetProgress>> again = new ArrayList<>(batch.size());
        for (PendingSelector<TargetProgress> e : batch.entries()) {
            var it = e.waiters().iterator();
            while (it.hasNext()) {
                TargetProgress p = it.next();
                if (p.isDone()) {
                    it.remove();
                } else if (now + delay > p.event().deadlineNanos()) {
                    it.remove();
                    expireBeforeRetry(p, request.batchId(), r);
                    finishIfAnswered(p);
                }
            }
            if (!e.waiters().isEmpty()) {
                again.add(e);
            }
        }
        window.requeue(again, now + delay);
    }

    /** Fails an outcome whose deadline comes before the retry of the batch it was sent in. */
    private void expireBeforeRetry(
            TargetProgress progress, String batchId, PurgeResult.Retryable last) {
        try (var log = LogContext.of(TARGET, name, BATCH_ID, batchId, EVENT_ID, idOf(progress))) {
            LOG.warnf(
                    "target %s: %s passed its deadline before the retry of batch %s (%s: %s)",
                    name, eventId(progress), batchId, last.reason(), last.detail());
        }
        progress.failed("deadline-exceeded: last error " + last.reason() + ": " + last.detail());
    }

    /**
     * The fields of a line about one whole batch: its target, its id and the ids of the events it
     * serves (capped: a search by event id still finds the line, a huge batch does not make a huge
     * line).
     */
    private LogContext batchContext(Batch<TargetProgress> batch, PurgeRequest request) {
        return LogContext.of(TARGET, name, BATCH_ID, request.batchId(), EVENT_IDS, eventIds(batch));
    }

    static String eventIds(Batch<TargetProgress> batch) {
        var ids = new LinkedHashSet<String>();
        for (PendingSelector<TargetProgress> e : batch.entries()) {
            for (TargetProgress p : e.waiters()) {
                ids.add(idOf(p));
            }
        }
        StringBuilder out = new StringBuilder();
        int shown = 0;
        for (String id : ids) {
            if (shown == MAX_LOGGED_EVENT_IDS) {
                return out.append(" +").append(ids.size() - shown).append(" more").toString();
            }
            out.append(shown++ == 0 ? "" : ",").append(id);
        }
        return out.toString();
    }

    private void settle(
            Batch<TargetProgress> batch,
            BiConsumer<PendingSelector<TargetProgress>, TargetProgress> outcome) {
        for (PendingSelector<TargetProgress> e : batch.entries()) {
            for (TargetProgress p : e.waiters()) {
                if (!p.isDone()) {
                    outcome.accept(e, p);
                    finishIfAnswered(p);
                }
            }
        }
    }

    /** Fails an outcome whose deadline passed while its selectors were still waiting. */
    private void expire(TargetProgress progress) {
        String waitingFor = waitingFor(clock.nanoTime());
        try (var log = LogContext.of(TARGET, name, EVENT_ID, idOf(progress))) {
            LOG.warnf(
                    "target %s: %s passed its deadline waiting for %s",
                    name, eventId(progress), waitingFor);
        }
        progress.failRemaining("deadline-exceeded: still waiting for " + waitingFor);
        finishIfAnswered(progress);
    }

    private String waitingFor(long now) {
        if (now < pausedUntilNanos) {
            return "the provider's Retry-After";
        }
        if (acquiring != null) {
            return "the rate limiter's answer";
        }
        if (now < rateLimitedUntilNanos) {
            return "rate-limit tokens";
        }
        if (inFlight >= settings.maxInFlight()) {
            return "a free request slot (max-in-flight " + settings.maxInFlight() + ")";
        }
        return "a request (sent or to be retried)";
    }

    private void finishIfAnswered(TargetProgress p) {
        if (!p.allAnswered()) {
            return;
        }
        p.complete(clock.nanoTime());
        if (p.status() == TargetStatus.SUCCEEDED && !p.event().isRepurge()) {
            metrics.eventPurged(p.event().startedAt(), clock.now());
        }
        p.event().targetDone(p);
    }

    private void snapshot() {
        pendingSnapshot = window.pendingSelectors();
        aheadSnapshot = window.aheadSelectors();
        inFlightSnapshot = inFlight;
        idleSnapshot = window.isEmpty() && inFlight == 0;
        repurgeSnapshot = repurgesOpen;
    }

    private void scheduleWakeup(long now) {
        long next = deadlines.nextDeadlineNanos();
        if (!repurges.isEmpty()) {
            next = Math.min(next, repurges.peekFirst().dueNanos());
        }
        if (inFlight < settings.maxInFlight() && acquiring == null) {
            long due = window.nextDueNanos();
            if (due != Long.MAX_VALUE) {
                // a full group is due at Long.MIN_VALUE: never before now, nor before a hold ends
                long hold = Math.max(now, Math.max(pausedUntilNanos, rateLimitedUntilNanos));
                next = Math.min(next, Math.max(due, hold));
            }
        }
        if (next == Long.MAX_VALUE || (wakeup != null && wakeupAtNanos <= next)) {
            return;
        }
        if (wakeup != null) {
            wakeup.cancel();
        }
        wakeupAtNanos = next;
        // never sooner than a millisecond: a wake-up that found nothing to do must not spin
        wakeup =
                clock.schedule(
                        () -> executor.execute(this::wake),
                        Math.max(next - now, MIN_WAKEUP.toNanos()));
    }

    private void wake() {
        wakeup = null;
        wakeupAtNanos = Long.MAX_VALUE;
        drain();
    }

    private static Duration clamp(Duration d) {
        if (d.isNegative()) {
            return Duration.ZERO;
        }
        return d.compareTo(MAX_HOLD) > 0 ? MAX_HOLD : d;
    }

    private static long clampNanos(long nanos) {
        return Math.max(0, Math.min(nanos, MAX_HOLD.toNanos()));
    }

    private static String idOf(TargetProgress progress) {
        return progress.event().id();
    }

    private static String eventId(TargetProgress progress) {
        return "event " + progress.event().id();
    }

    /** One selector's second purge, due at {@code dueNanos}. */
    private record Repurge(long dueNanos, Selector selector, PurgeMode mode) {}

    /** One question to the limiter; answered once, by the limiter or by its timeout. */
    private static final class LimiterCall {
        final CoalescingWindow.Due due;
        PipelineClock.Scheduled timeout;
        Cancellable subscription;

        LimiterCall(CoalescingWindow.Due due) {
            this.due = due;
        }
    }

    /** One request at the provider; answered once, by the provider or by the request timeout. */
    private static final class InFlightRequest {
        final Batch<TargetProgress> batch;
        final PurgeRequest request;
        final long startedNanos;
        PipelineClock.Scheduled timeout;
        Cancellable subscription;
        boolean answered;

        InFlightRequest(Batch<TargetProgress> batch, PurgeRequest request, long startedNanos) {
            this.batch = batch;
            this.request = request;
            this.startedNanos = startedNanos;
        }
    }
}
