package dev.tagpurge.event;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongConsumer;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * One consumed batch: acknowledged when its last record has its outcome written, or nacked at the
 * first record whose outcome could not be written. {@code unacknowledged} counts each record from
 * its dispatch until its outcome is written, and the last one until the batch's acknowledgement is
 * done: a batch cut short by a shutdown leaves nothing counted (and is not acknowledged, so it is
 * delivered again).
 *
 * <p>It keeps only the batch's last record of each partition: acknowledging those is what commits
 * the batch (the commit strategy tracks a batch by them), so the rest of the batch, the messaging
 * layer's wrapper of every record, can be collected as soon as its records are dispatched, and each
 * record's bytes are given back ({@code releaseBytes}) when that record is settled, not when its
 * whole batch is.
 */
final class BatchAcknowledgement {

    private final List<? extends Message<?>> lastOfEachPartition;
    private final AtomicInteger outstanding;
    private final AtomicInteger unacknowledged;
    private final AtomicBoolean settled = new AtomicBoolean();
    private final LongConsumer releaseBytes;

    BatchAcknowledgement(
            Collection<? extends Message<?>> lastOfEachPartition,
            int size,
            AtomicInteger unacknowledged,
            LongConsumer releaseBytes) {
        this.lastOfEachPartition = List.copyOf(lastOfEachPartition);
        this.outstanding = new AtomicInteger(size);
        this.unacknowledged = unacknowledged;
        this.releaseBytes = releaseBytes;
    }

    /**
     * The settlement of one record of the batch, which counted {@code bytes} against the bound in
     * bytes. It counts once: a record whose handling failed half-way (dead-lettered as an internal
     * error) can never count twice, even if a late outcome of the same record arrives too, which
     * would acknowledge the batch before its last record.
     */
    Record record(long bytes) {
        return new Record(bytes);
    }

    private CompletableFuture<Void> acknowledge() {
        CompletableFuture<?>[] acks = new CompletableFuture<?>[lastOfEachPartition.size()];
        for (int i = 0; i < acks.length; i++) {
            acks[i] = lastOfEachPartition.get(i).ack().toCompletableFuture();
        }
        return CompletableFuture.allOf(acks);
    }

    private void negativelyAcknowledge(Throwable failure) {
        for (Message<?> last : lastOfEachPartition) {
            last.nack(failure);
        }
    }

    /**
     * One record of the batch. It lives as long as its event is in flight, so its state is two
     * plain fields changed through {@link VarHandle}s rather than an atomic object each: 32 bytes
     * less per event in flight.
     */
    final class Record {
        private static final VarHandle DONE;
        private static final VarHandle ON_SETTLED;

        static {
            try {
                MethodHandles.Lookup lookup = MethodHandles.lookup();
                DONE = lookup.findVarHandle(Record.class, "done", boolean.class);
                ON_SETTLED = lookup.findVarHandle(Record.class, "onSettled", Runnable.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        private final long bytes;
        private volatile boolean done;
        private volatile Runnable onSettled;

        private Record(long bytes) {
            this.bytes = bytes;
        }

        /**
         * Runs {@code action} once, when this record is settled (done or failed), or at once if it
         * already is.
         */
        Record onSettled(Runnable action) {
            onSettled = action;
            if (done) {
                settled();
            }
            return this;
        }

        private void settled() {
            Runnable action = (Runnable) ON_SETTLED.getAndSet(this, (Runnable) null);
            if (action != null) {
                action.run();
            }
        }

        /** Marks the record settled; false when it already was. */
        private boolean settle() {
            return DONE.compareAndSet(this, false, true);
        }

        /** The record's outcome is written. */
        void done() {
            if (!settle()) {
                return;
            }
            settled();
            boolean last = outstanding.decrementAndGet() == 0;
            if (last && settled.compareAndSet(false, true)) {
                acknowledge().whenComplete((v, e) -> unacknowledged.decrementAndGet());
            } else {
                unacknowledged.decrementAndGet();
            }
            releaseBytes.accept(bytes);
        }

        /** The record's outcome could not be written: the batch is nacked. */
        void failed(Throwable failure) {
            if (!settle()) {
                return;
            }
            settled();
            outstanding.decrementAndGet();
            unacknowledged.decrementAndGet();
            if (settled.compareAndSet(false, true)) {
                negativelyAcknowledge(failure);
            }
            releaseBytes.accept(bytes);
        }
    }
}
