package dev.tagpurge.purge;

import java.time.Instant;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The real clock: {@link System#nanoTime()}, {@link Instant#now()} and one daemon timer thread
 * whose tasks only hand work over to the targets' executors.
 */
public final class SystemPipelineClock implements PipelineClock, AutoCloseable {

    private final ScheduledThreadPoolExecutor timer = timer();

    // Nearly every request and limiter timeout is called off when its answer comes: removed at
    // once, they do not pile up in the queue until their time.
    private static ScheduledThreadPoolExecutor timer() {
        ScheduledThreadPoolExecutor timer =
                new ScheduledThreadPoolExecutor(
                        1, Thread.ofPlatform().name("tagpurge-pipeline-timer").daemon().factory());
        timer.setRemoveOnCancelPolicy(true);
        return timer;
    }

    @Override
    public long nanoTime() {
        return System.nanoTime();
    }

    @Override
    public Instant now() {
        return Instant.now();
    }

    @Override
    public Scheduled schedule(Runnable task, long delayNanos) {
        ScheduledFuture<?> future =
                timer.schedule(task, Math.max(0, delayNanos), TimeUnit.NANOSECONDS);
        return () -> future.cancel(false);
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
