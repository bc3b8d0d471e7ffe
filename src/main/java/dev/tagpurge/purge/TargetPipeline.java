package dev.tagpurge.purge;

import dev.tagpurge.coalesce.Batch;
import dev.tagpurge.coalesce.CoalescingWindow;
import dev.tagpurge.coalesce.PendingSelector;
import dev.tagpurge.coalesce.PurgeMode;
import dev.tagpurge.coalesce.Selector;
import dev.tagpurge.metrics.TargetMetrics;
import dev.tagpurge.ratelimit.RateLimiter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import org.jboss.logging.Logger;

/**
 * Drives one target: selectors go into its {@link CoalescingWindow}; due batches go to its {@link
 * Purger} while fewer than {@code max-in-flight} requests are out; answers settle the waiting
 * events, or put the failed selectors back for a retry with backoff.
 *
 * <p>All state is guarded by this object's monitor. Sends happen under it too, which is safe
 * because {@link Purger#purge} only starts asynchronous work.
 */
public final class TargetPipeline {

    private static final Logger LOG = Logger.getLogger(TargetPipeline.class);

    private final String name;
    private final Purger purger;
    private final TargetSettings settings;
    private final CoalescingWindow<TargetProgress> window;
    private final TargetMetrics metrics;
    private final ScheduledExecutorService timer;
    private final Runnable onCapacityFreed;
    private final RateLimiter limiter;
    private volatile int inFlight;
    private volatile int pendingSnapshot;
    private long batchSeq;
    private long pausedUntilNanos;
    private boolean flushing;
    private boolean acquiring;
    private long rateLimitedUntilNanos;
    private long waitingSinceNanos;
    private ScheduledFuture<?> wakeup;
    private long wakeupAtNanos = Long.MAX_VALUE;

    TargetPipeline(
            String name,
            Purger purger,
            TargetSettings settings,
            TargetMetrics metrics,
            RateLimiter limiter,
            ScheduledExecutorService timer,
            Runnable onCapacityFreed) {
        this.limiter = limiter;
        this.name = name;
        this.purger = purger;
        this.settings = settings;
        this.window =
                new CoalescingWindow<>(
                        purger.limits(), purger.caseInsensitiveTags(), settings.linger().toNanos());
        this.metrics = metrics;
        this.timer = timer;
        this.onCapacityFreed = onCapacityFreed;
        metrics.bindGauges(this::pendingSelectors, this::inFlight);
    }

    public String name() {
        return name;
    }

    public Purger purger() {
        return purger;
    }

    /** Selectors pending, as of the last change; read without the lock (gauges, admission). */
    public int pendingSelectors() {
        return pendingSnapshot;
    }

    public int inFlight() {
        return inFlight;
    }

    /**
     * Whether pending work reached {@code max-pending}, so intake should pause. Lock-free, so the
     * dispatcher can ask while another pipeline's lock is held.
     */
    public boolean isFull() {
        return pendingSnapshot >= settings.maxPending();
    }

    /** Whether nothing is pending or in flight. */
    public synchronized boolean isIdle() {
        return window.isEmpty() && inFlight == 0;
    }

    /**
     * Adds one event's selectors for this target. Selectors the provider cannot take are rejected
     * at once; if none remains, the target's outcome is final immediately.
     */
    synchronized void submit(TargetProgress progress, List<Selector> selectors, PurgeMode mode) {
        progress.expect(selectors.size());
        long now = System.nanoTime();
        for (Selector s : selectors) {
            metrics.selectorRouted();
            Optional<String> reject = purger.rejectReason(s, mode);
            if (reject.isPresent()) {
                progress.rejected(reject.get());
            } else {
                metrics.selectorsCoalesced(window.add(s, mode, progress, now));
            }
        }
        finishIfAnswered(progress);
        drain();
    }

    /** Sends everything pending without waiting for the linger (shutdown). */
    public synchronized void flush() {
        flushing = true;
        drain();
    }

    private void drain() {
        long now = System.nanoTime();
        long holdUntil = Math.max(pausedUntilNanos, rateLimitedUntilNanos);
        if (now < holdUntil) {
            // a provider's Retry-After or our own buckets: selectors keep coalescing meanwhile
            pendingSnapshot = window.pendingSelectors();
            schedule(holdUntil);
            return;
        }
        int taken = 0;
        while (inFlight < settings.maxInFlight() && !acquiring) {
            CoalescingWindow.Due due = window.peekDue(now, flushing);
            if (due == null) {
                break;
            }
            long wait = acquire(due);
            if (wait < 0) {
                break; // the limiter answers later, on another thread
            }
            if (wait > 0) {
                rateLimitedUntilNanos = now + wait;
                break;
            }
            sendGranted(due, now);
            taken++;
        }
        if (inFlight < settings.maxInFlight() && !acquiring) {
            long next = window.nextDueNanos();
            schedule(next == Long.MAX_VALUE ? next : Math.max(next, rateLimitedUntilNanos));
        }
        pendingSnapshot = window.pendingSelectors();
        if (taken > 0) {
            onCapacityFreed.run();
        }
    }

    /**
     * Asks the limiter for a due request's tokens. Returns its answer when it came at once (0: go,
     * &gt;0: wait that long), or -1 when it will come later, on another thread: then {@link
     * #acquiring} holds further sends until {@link #granted} runs.
     */
    private long acquire(CoalescingWindow.Due due) {
        if (waitingSinceNanos == 0) {
            waitingSinceNanos = System.nanoTime();
        }
        AtomicLong answer = new AtomicLong(Long.MIN_VALUE);
        AtomicBoolean async = new AtomicBoolean();
        limiter.tryAcquire(due.kind(), due.items())
                .onFailure()
                .recoverWithItem(0L)
                .subscribe()
                .with(
                        wait -> {
                            synchronized (answer) {
                                if (!async.get()) {
                                    answer.set(wait);
                                    return;
                                }
                            }
                            granted(due, wait);
                        });
        synchronized (answer) {
            if (answer.get() != Long.MIN_VALUE) {
                return answer.get();
            }
            async.set(true);
        }
        acquiring = true;
        return -1;
    }

    private synchronized void granted(CoalescingWindow.Due due, long wait) {
        acquiring = false;
        long now = System.nanoTime();
        if (wait > 0) {
            rateLimitedUntilNanos = now + wait;
        } else {
            sendGranted(due, now);
            onCapacityFreed.run();
        }
        drain();
    }

    /**
     * Takes the granted request's selectors (what is pending now, up to what was granted) and
     * sends.
     */
    private void sendGranted(CoalescingWindow.Due due, long now) {
        if (waitingSinceNanos != 0) {
            metrics.rateLimitWaited(System.nanoTime() - waitingSinceNanos);
            waitingSinceNanos = 0;
        }
        Batch<TargetProgress> batch = window.take(due.kind(), due.mode(), due.items());
        if (!batch.entries().isEmpty()) {
            send(batch);
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

    private void send(Batch<TargetProgress> batch) {
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
            batchId = name + "-" + Long.toHexString(System.currentTimeMillis()) + "-" + seq;
        }
        for (PendingSelector<TargetProgress> e : batch.entries()) {
            e.sentIn(batchId, batch.size());
        }
        PurgeRequest request =
                new PurgeRequest(
                        batchId, name, batch.kind(), batch.mode(), batch.selectors(), attempt);
        metrics.batchSent(batch.size());
        LOG.debugf(
                "target %s: sending batch %s with %d %s selectors",
                name, request.batchId(), batch.size(), batch.kind().label());
        long started = System.nanoTime();
        purger.purge(request)
                .ifNoItem()
                .after(settings.requestTimeout())
                .recoverWithItem(
                        () ->
                                PurgeResult.retryable(
                                        "timeout", "no answer within " + settings.requestTimeout()))
                .onFailure()
                .recoverWithItem(
                        t -> PurgeResult.retryable("connection", String.valueOf(t.getMessage())))
                .subscribe()
                .with(result -> onResult(batch, request, result, started));
    }

    private synchronized void onResult(
            Batch<TargetProgress> batch, PurgeRequest request, PurgeResult result, long started) {
        inFlight--;
        long now = System.nanoTime();
        switch (result) {
            case PurgeResult.Accepted accepted -> {
                metrics.requestDone("accepted", now - started);
                accepted.remaining().ifPresent(left -> limiter.onRemaining(request.kind(), left));
                LOG.debugf(
                        "target %s: batch %s of %d %s selectors accepted",
                        name, request.batchId(), batch.size(), batch.kind().label());
                settle(
                        batch,
                        (entry, p) -> p.succeeded(accepted.purgeIdsFor(entry.selector().value())));
            }
            case PurgeResult.Permanent permanent -> {
                metrics.requestDone("permanent", now - started);
                LOG.warnf(
                        "target %s: batch %s failed permanently: %s %s",
                        name, request.batchId(), permanent.reason(), permanent.detail());
                settle(
                        batch,
                        (entry, p) -> p.failed(permanent.reason() + ": " + permanent.detail()));
            }
            case PurgeResult.Retryable retryable ->
                    onRetryable(batch, request, retryable, now, started);
        }
        drain();
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
        if (r.throttled()) {
            metrics.throttled();
            limiter.onThrottled(request.kind());
            r.retryAfter()
                    .ifPresent(
                            after ->
                                    pausedUntilNanos =
                                            Math.max(pausedUntilNanos, now + after.toNanos()));
        }
        long delay = settings.retry().backoffNanos(request.attempt(), r.retryAfter());
        LOG.infof(
                "target %s: batch %s failed (%s: %s), retrying in %d ms",
                name,
                request.batchId(),
                r.reason(),
                r.detail(),
                TimeUnit.NANOSECONDS.toMillis(delay));
        List<PendingSelector<TargetProgress>> again = new ArrayList<>(batch.size());
        for (PendingSelector<TargetProgress> e : batch.entries()) {
            var it = e.waiters().iterator();
            while (it.hasNext()) {
                TargetProgress p = it.next();
                if (now + delay > p.event().deadlineNanos()) {
                    it.remove();
                    p.failed("deadline-exceeded: last error " + r.reason() + ": " + r.detail());
                    finishIfAnswered(p);
                }
            }
            if (!e.waiters().isEmpty()) {
                again.add(e);
            }
        }
        window.requeue(again, now + delay);
    }

    private void settle(
            Batch<TargetProgress> batch,
            BiConsumer<PendingSelector<TargetProgress>, TargetProgress> outcome) {
        for (PendingSelector<TargetProgress> e : batch.entries()) {
            for (TargetProgress p : e.waiters()) {
                outcome.accept(e, p);
                finishIfAnswered(p);
            }
        }
    }

    private void finishIfAnswered(TargetProgress p) {
        if (!p.allAnswered()) {
            return;
        }
        Instant now = Instant.now();
        p.complete(now);
        if (p.status() == TargetStatus.SUCCEEDED) {
            metrics.eventPurged(Duration.between(p.event().startedAt(), now));
        }
        p.event().targetDone();
    }

    private void schedule(long dueNanos) {
        if (dueNanos == Long.MAX_VALUE
                || (wakeup != null && !wakeup.isDone() && wakeupAtNanos <= dueNanos)) {
            return;
        }
        if (wakeup != null) {
            wakeup.cancel(false);
        }
        wakeupAtNanos = dueNanos;
        long delay = Math.max(0, dueNanos - System.nanoTime());
        wakeup = timer.schedule(this::wake, delay, TimeUnit.NANOSECONDS);
    }

    private synchronized void wake() {
        wakeupAtNanos = Long.MAX_VALUE;
        drain();
    }
}
