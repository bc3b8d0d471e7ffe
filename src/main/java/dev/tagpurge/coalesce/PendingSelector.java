package dev.tagpurge.coalesce;

import dev.tagpurge.domain.PurgeMode;
import dev.tagpurge.domain.Selector;
import dev.tagpurge.domain.SelectorKey;
import java.util.ArrayList;
import java.util.List;

/**
 * One distinct selector waiting in a {@link CoalescingWindow}, with everyone waiting for it.
 *
 * <p>Mutable, and owned by the window (or, once taken into a batch, by that batch's sender); never
 * shared between threads without the window's lock.
 *
 * @param <W> what the window's user attaches to each contribution (the pipeline attaches the
 *     event's progress on this target)
 */
public final class PendingSelector<W> {

    private final SelectorKey key;
    private final Selector selector;
    private PurgeMode mode;
    private final long firstSeenNanos;
    private final List<W> waiters = new ArrayList<>(1);
    private int attempts;
    private long contributions;
    private String batchId;
    private int batchSize;
    private long contributionsAtSend = -1;

    PendingSelector(SelectorKey key, Selector selector, PurgeMode mode, long firstSeenNanos) {
        this.key = key;
        this.selector = selector;
        this.mode = mode;
        this.firstSeenNanos = firstSeenNanos;
    }

    public SelectorKey key() {
        return key;
    }

    public Selector selector() {
        return selector;
    }

    public PurgeMode mode() {
        return mode;
    }

    /** When the first contribution arrived ({@link System#nanoTime()} scale). */
    public long firstSeenNanos() {
        return firstSeenNanos;
    }

    /** Everyone waiting for this selector; one entry per contribution. */
    public List<W> waiters() {
        return waiters;
    }

    /** How many requests carried this selector so far. */
    public int attempts() {
        return attempts;
    }

    void upgradeMode(PurgeMode other) {
        mode = mode.strongest(other);
    }

    /** Adds one contribution (an event waiting for this selector). */
    void addWaiter(W waiter) {
        waiters.add(waiter);
        contributions++;
    }

    void absorb(PendingSelector<W> other) {
        waiters.addAll(other.waiters);
        contributions += other.waiters.size();
        attempts = Math.max(attempts, other.attempts);
    }

    /** Called by the sender when a request carrying this selector is sent. */
    public void countAttempt() {
        attempts++;
    }

    /** Records the batch that carried this selector last, and who was waiting then. */
    public void sentIn(String batchId, int batchSize) {
        this.batchId = batchId;
        this.batchSize = batchSize;
        this.contributionsAtSend = contributions;
    }

    /**
     * The id of the batch this selector was last sent in, if sending it again in a batch of {@code
     * size} is the very same request: same batch size, and no event joined since. A provider may
     * then answer with the purge it already made (CloudFront's CallerReference); had an event
     * joined, that purge might predate its change.
     */
    public String batchIdForResend(int size) {
        return batchId != null && batchSize == size && contributions == contributionsAtSend
                ? batchId
                : null;
    }
}
