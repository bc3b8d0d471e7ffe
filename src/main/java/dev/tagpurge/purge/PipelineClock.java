package dev.tagpurge.purge;

import java.time.Instant;

/**
 * Where the purge pipeline reads time and schedules its wake-ups. Production uses {@link
 * SystemPipelineClock}; pipeline tests pass a virtual clock that they advance by hand, so that
 * lingers, backoffs, rate-limit waits, request timeouts and deadlines run in virtual time instead
 * of real seconds.
 */
public interface PipelineClock {

    /** A monotonic reading in nanoseconds, like {@link System#nanoTime()}. */
    long nanoTime();

    /** Wall-clock time, for timestamps in completion events and latency from an event's time. */
    Instant now();

    /**
     * Runs {@code task} once, {@code delayNanos} from now (at once when not positive), on a thread
     * of the clock's own. The task must hand its work to the pipeline's executor, not do it there.
     */
    Scheduled schedule(Runnable task, long delayNanos);

    /** A scheduled task that may still be called off. */
    @FunctionalInterface
    interface Scheduled {
        /** Calls the task off if it has not started; harmless when it has. */
        void cancel();
    }
}
