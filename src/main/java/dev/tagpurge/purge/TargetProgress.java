package dev.tagpurge.purge;

import dev.tagpurge.domain.TargetStatus;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalLong;

/**
 * How one change event fares on one target: its selectors outstanding, the requests that carried
 * them and the outcome. Mutated only on the owning {@link TargetPipeline}'s executor; read by the
 * completion publisher after {@link EventProgress} reports every target done. Once complete it
 * ignores late answers (a request that returns after its event passed the deadline).
 */
public final class TargetProgress {

    private static final int MAX_PURGE_IDS = 5;
    private static final int NOT_YET = -1;

    private final EventProgress event;
    private final String target;
    private final String provider;
    private final int layerIndex;
    private int selectors;
    private int outstanding;
    private int rejected;
    private int failed;
    private int requests;
    private int attempts;
    // the low half of the last request's sequence number: one event's requests on one target are
    // never 2^32 requests apart
    private int lastBatch = -1;
    // immutable, and null while a target waits in its window. The first answer's list is kept as
    // it is: one request's ids, shared by every event that request carried (each event's own copy
    // was a list and its array, 48 bytes while the event waited for its other targets). Ids from
    // later answers make a new list of exactly the ids kept
    private List<String> purgeIds;
    private String error;
    // milliseconds from the event's dispatch, NOT_YET before: ints, and no Instant kept (what an
    // open target keeps is 80 bytes; with two longs and an Instant it was 96 and 24 more once done)
    private int startedAfterMs = NOT_YET;
    private int completedAfterMs = NOT_YET;
    // some selectors wait for the lower layers to finish (see PurgeDispatcher): not done before
    private boolean awaitingLayer;
    private OptionalLong estimatedSeconds = OptionalLong.empty();

    TargetProgress(EventProgress event, String target, String provider) {
        this(event, target, provider, 0);
    }

    TargetProgress(EventProgress event, String target, String provider, int layerIndex) {
        this.event = event;
        this.target = target;
        this.provider = provider;
        this.layerIndex = layerIndex;
    }

    public EventProgress event() {
        return event;
    }

    public String target() {
        return target;
    }

    public String provider() {
        return provider;
    }

    public int selectors() {
        return selectors;
    }

    public int requests() {
        return requests;
    }

    public int attempts() {
        return attempts;
    }

    public List<String> purgeIds() {
        return purgeIds == null ? List.of() : purgeIds;
    }

    /**
     * The provider's longest estimate, among the requests that succeeded, of the seconds until the
     * purge reaches its whole network (Akamai's {@code estimatedSeconds}); empty when none gave
     * one.
     */
    public OptionalLong estimatedSeconds() {
        return estimatedSeconds;
    }

    /** The first error met on this target (a failure or rejection), or null. */
    public String error() {
        return error;
    }

    /**
     * When this target's outcome became final, null while it is open: the event's receipt plus the
     * time from its dispatch to the outcome on the pipeline's monotonic clock.
     */
    public Instant completedAt() {
        return isDone() ? event.receivedAt().plusMillis(completedAfterMs) : null;
    }

    /**
     * Milliseconds from the event's dispatch (its receipt) until its first selectors entered this
     * target's window; later than zero on an outer layer that waited for the inner ones.
     */
    public long startedAfterMs() {
        return Math.max(0, startedAfterMs);
    }

    /** Milliseconds from the event's dispatch until this target's outcome was final. */
    public long completedAfterMs() {
        return Math.max(0, completedAfterMs);
    }

    /** Milliseconds from the event's dispatch until {@code nanos}, at least 0, at most 24 days. */
    private int millisAfterDispatch(long nanos) {
        long millis = Math.max(0, (nanos - event.dispatchedNanos()) / 1_000_000);
        return (int) Math.min(Integer.MAX_VALUE, millis);
    }

    /** Selectors that failed (permanently or past the deadline); at most {@link #selectors()}. */
    int failedSelectors() {
        return Math.min(failed, selectors);
    }

    /** The index of this target's layer among the configured layers, 0 the innermost. */
    int layerIndex() {
        return layerIndex;
    }

    public boolean isDone() {
        return completedAfterMs != NOT_YET;
    }

    public TargetStatus status() {
        if (failed > 0) {
            return TargetStatus.FAILED;
        }
        return rejected == selectors ? TargetStatus.REJECTED : TargetStatus.SUCCEEDED;
    }

    void expect(int n) {
        selectors += n;
        outstanding += n;
    }

    /** Notes when selectors first entered the target's window. */
    void started(long nowNanos) {
        if (startedAfterMs == NOT_YET) {
            startedAfterMs = millisAfterDispatch(nowNanos);
        }
    }

    /** Some selectors wait for the lower layers: the outcome stays open until they are accepted. */
    void awaitLayer() {
        awaitingLayer = true;
    }

    /**
     * The selectors that waited for the lower layers are handed over: they are {@link #expect}ed.
     */
    void layerReleased() {
        awaitingLayer = false;
    }

    void rejected(String reason) {
        if (isDone()) {
            return;
        }
        rejected++;
        noteError("rejected: " + reason);
        outstanding--;
    }

    /**
     * Counts the request {@code batchSeq} once, however many of this event's selectors it carries.
     */
    void sentIn(long batchSeq, int attempt) {
        if ((int) batchSeq != lastBatch) {
            lastBatch = (int) batchSeq;
            requests++;
        }
        attempts = Math.max(attempts, attempt);
    }

    void succeeded(List<String> ids) {
        succeeded(ids, OptionalLong.empty());
    }

    void succeeded(List<String> ids, OptionalLong estimated) {
        if (isDone()) {
            return;
        }
        if (estimated.isPresent()
                && (estimatedSeconds.isEmpty()
                        || estimated.getAsLong() > estimatedSeconds.getAsLong())) {
            estimatedSeconds = estimated;
        }
        keepPurgeIds(ids);
        outstanding--;
    }

    /**
     * Adds {@code ids} to the purge ids kept, in their order, without repeats, up to {@value
     * #MAX_PURGE_IDS}.
     */
    private void keepPurgeIds(List<String> ids) {
        if (ids.isEmpty()) {
            return;
        }
        if (purgeIds == null && ids.size() <= MAX_PURGE_IDS && distinct(ids)) {
            // a provider's answer holds immutable lists, which List.copyOf returns as they are
            purgeIds = List.copyOf(ids);
            return;
        }
        String[] kept = new String[MAX_PURGE_IDS];
        int n = 0;
        if (purgeIds != null) {
            for (String id : purgeIds) {
                kept[n++] = id;
            }
        }
        int before = n;
        for (int i = 0; i < ids.size() && n < MAX_PURGE_IDS; i++) {
            String id = ids.get(i);
            if (!contains(kept, n, id)) {
                kept[n++] = id;
            }
        }
        if (n > before) {
            purgeIds = List.of(Arrays.copyOf(kept, n));
        }
    }

    private static boolean distinct(List<String> ids) {
        for (int i = 1; i < ids.size(); i++) {
            for (int j = 0; j < i; j++) {
                if (ids.get(j).equals(ids.get(i))) {
                    return false;
                }
            }
        }
        return true;
    }

    private static boolean contains(String[] ids, int n, String id) {
        for (int i = 0; i < n; i++) {
            if (ids[i].equals(id)) {
                return true;
            }
        }
        return false;
    }

    void failed(String reason) {
        if (isDone()) {
            return;
        }
        failed++;
        noteError(reason);
        outstanding--;
    }

    /**
     * Fails every selector still outstanding at once (a deadline passed, or the pipeline could not
     * handle an answer): the target's outcome is then final, whatever else comes back later.
     */
    void failRemaining(String reason) {
        if (isDone()) {
            return;
        }
        failed += Math.max(outstanding, 1);
        outstanding = 0;
        awaitingLayer = false;
        // the reason of the failure that ended it comes first: that is what the operator must see
        error = error == null || !error.startsWith("rejected") ? reason : reason + "; " + error;
    }

    boolean allAnswered() {
        return outstanding <= 0 && !awaitingLayer && !isDone();
    }

    /** The outcome is final as of {@code atNanos} on the pipeline clock. */
    void complete(long atNanos) {
        completedAfterMs = millisAfterDispatch(atNanos);
    }

    private void noteError(String message) {
        if (error == null) {
            error = message;
        }
    }
}
