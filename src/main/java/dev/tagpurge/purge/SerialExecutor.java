package dev.tagpurge.purge;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.logging.Logger;

/**
 * Runs the tasks given to it one at a time, in the order given, on a shared backing executor: the
 * single thread of control of one target's pipeline, without a lock. A task given while another
 * runs (an adapter that answers at once, a callback on the same thread) waits its turn instead of
 * running nested inside it. A task that throws is logged and the next one runs: the executor itself
 * never stops.
 *
 * <p>After {@value #FAIR_SHARE} tasks in a row it hands its thread back to the backing executor and
 * queues itself again, so one busy target cannot starve the others sharing the pool.
 */
public final class SerialExecutor implements Executor {

    private static final Logger LOG = Logger.getLogger(SerialExecutor.class);
    static final int FAIR_SHARE = 256;

    private final String name;
    private final Executor backing;
    private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final AtomicInteger queued = new AtomicInteger();

    public SerialExecutor(String name, Executor backing) {
        this.name = name;
        this.backing = backing;
    }

    @Override
    public void execute(Runnable task) {
        tasks.add(task);
        if (queued.getAndIncrement() == 0) {
            backing.execute(this::runQueued);
        }
    }

    private void runQueued() {
        for (int ran = 0; ran < FAIR_SHARE; ran++) {
            Runnable task = tasks.poll();
            try {
                task.run();
            } catch (RuntimeException | Error e) {
                LOG.errorf(e, "%s: a task failed; the pipeline goes on with the next", name);
            }
            if (queued.decrementAndGet() == 0) {
                return;
            }
        }
        backing.execute(this::runQueued);
    }
}
