package dev.tagpurge.event;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * One consumed batch: acknowledged when its last record has its outcome written, or nacked at the
 * first record whose outcome could not be written. {@code unacknowledged} counts each record from
 * its dispatch until its outcome is written, and the last one until the batch's acknowledgement is
 * done: a batch cut short by a shutdown leaves nothing counted (and is not acknowledged, so it is
 * delivered again). {@code onAllSettled} runs once every record of the batch is settled.
 */
final class BatchAcknowledgement {

    private final Message<?> batch;
    private final AtomicInteger outstanding;
    private final AtomicInteger unacknowledged;
    private final AtomicBoolean settled = new AtomicBoolean();
    private final Runnable onAllSettled;

    BatchAcknowledgement(
            Message<?> batch, int size, AtomicInteger unacknowledged, Runnable onAllSettled) {
        this.batch = batch;
        this.outstanding = new AtomicInteger(size);
        this.unacknowledged = unacknowledged;
        this.onAllSettled = onAllSettled;
    }

    /**
     * The settlement of one record of the batch. It counts once: a record whose handling failed
     * half-way (dead-lettered as an internal error) can never count twice, even if a late outcome
     * of the same record arrives too, which would acknowledge the batch before its last record.
     */
    Record record() {
        return new Record();
    }

    final class Record {
        private final AtomicBoolean done = new AtomicBoolean();
        private final AtomicReference<Runnable> onSettled = new AtomicReference<>();

        /**
         * Runs {@code action} once, when this record is settled (done or failed), or at once if it
         * already is.
         */
        Record onSettled(Runnable action) {
            onSettled.set(action);
            if (done.get()) {
                settled();
            }
            return this;
        }

        private void settled() {
            Runnable action = onSettled.getAndSet(null);
            if (action != null) {
                action.run();
            }
        }

        /** The record's outcome is written. */
        void done() {
            if (!done.compareAndSet(false, true)) {
                return;
            }
            settled();
            boolean last = outstanding.decrementAndGet() == 0;
            if (last && settled.compareAndSet(false, true)) {
                batch.ack().whenComplete((v, e) -> unacknowledged.decrementAndGet());
            } else {
                unacknowledged.decrementAndGet();
            }
            if (last) {
                onAllSettled.run();
            }
        }

        /** The record's outcome could not be written: the batch is nacked. */
        void failed(Throwable failure) {
            if (!done.compareAndSet(false, true)) {
                return;
            }
            settled();
            boolean last = outstanding.decrementAndGet() == 0;
            unacknowledged.decrementAndGet();
            if (settled.compareAndSet(false, true)) {
                batch.nack(failure);
            }
            if (last) {
                onAllSettled.run();
            }
        }
    }
}
