package dev.tagpurge.purge;

import java.time.Duration;
import java.time.Instant;
import java.util.PriorityQueue;

/**
 * A {@link PipelineClock} that moves only when a test advances it: scheduled tasks run on the
 * test's thread, in order of their due time, as {@link #advance} passes it. With a direct executor
 * a pipeline test is then single-threaded and deterministic, and a 15-minute deadline takes no real
 * time.
 */
final class VirtualClock implements PipelineClock {

    private record Task(long dueNanos, long seq, Runnable run, boolean[] cancelled) {}

    private final PriorityQueue<Task> tasks =
            new PriorityQueue<>(
                    (a, b) ->
                            a.dueNanos != b.dueNanos
                                    ? Long.compare(a.dueNanos, b.dueNanos)
                                    : Long.compare(a.seq, b.seq));
    private final Instant epoch = Instant.parse("2026-01-01T00:00:00Z");
    private long nowNanos = 1_000_000_000L;
    private long seq;

    @Override
    public long nanoTime() {
        return nowNanos;
    }

    @Override
    public Instant now() {
        return epoch.plusNanos(nowNanos);
    }

    @Override
    public Scheduled schedule(Runnable task, long delayNanos) {
        boolean[] cancelled = {false};
        tasks.add(new Task(nowNanos + Math.max(0, delayNanos), seq++, task, cancelled));
        return () -> cancelled[0] = true;
    }

    /** Moves time forward by {@code d}, running every task that falls due on the way. */
    void advance(Duration d) {
        long target = nowNanos + d.toNanos();
        while (!tasks.isEmpty() && tasks.peek().dueNanos <= target) {
            Task t = tasks.poll();
            nowNanos = Math.max(nowNanos, t.dueNanos);
            if (!t.cancelled[0]) {
                t.run.run();
            }
        }
        nowNanos = target;
    }

    /** Tasks scheduled and not called off. */
    long scheduled() {
        return tasks.stream().filter(t -> !t.cancelled[0]).count();
    }
}
