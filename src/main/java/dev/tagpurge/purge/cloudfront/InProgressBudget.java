package dev.tagpurge.purge.cloudfront;

import dev.tagpurge.purge.PurgeResult;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * This target's share of CloudFront's per-distribution limits on work in progress (3,000 paths and
 * tags, 15 wildcard paths), tracked locally so that a request that would exceed them is held back
 * instead of sent and refused. An invalidation holds its paths from the moment it is about to be
 * created until it is Completed, failed, or given up. Thread-safe.
 *
 * <p>Invalidations are keyed by CallerReference: a second request with the reference of one still
 * in progress joins it instead of creating (or counting) it again.
 *
 * <p>The view is local to this replica and this target: invalidations made by other replicas, other
 * targets on the same distribution or other tools are not counted, and CloudFront's own
 * TooManyInvalidationsInProgress stays the final word.
 */
final class InProgressBudget {

    /** One invalidation holding budget; its outcome completes once it leaves the budget. */
    static final class Entry {
        private final InvalidationPlan plan;
        private final CompletableFuture<PurgeResult> outcome = new CompletableFuture<>();
        private String invalidationId;

        private Entry(InvalidationPlan plan) {
            this.plan = plan;
        }

        CompletableFuture<PurgeResult> outcome() {
            return outcome;
        }
    }

    /** What {@link #admit(InvalidationPlan)} decided. */
    sealed interface Admission {}

    /** The plan holds budget now; the caller creates the invalidation and later releases it. */
    record Reserved(Entry entry) implements Admission {}

    /** An invalidation with the same CallerReference is in progress; wait for its outcome. */
    record Joined(CompletableFuture<PurgeResult> outcome) implements Admission {}

    /** The plan does not fit while the others are in progress. */
    record Refused(String detail) implements Admission {}

    private final int maxPaths;
    private final int maxWildcards;
    private final Map<String, Entry> entries = new HashMap<>();
    private int paths;
    private int wildcards;
    private int created;

    InProgressBudget(int maxPaths, int maxWildcards) {
        this.maxPaths = maxPaths;
        this.maxWildcards = maxWildcards;
    }

    /** Reserves budget for {@code plan}, joins its twin in progress, or refuses it. */
    synchronized Admission admit(InvalidationPlan plan) {
        Entry twin = entries.get(plan.callerReference());
        if (twin != null) {
            return new Joined(twin.outcome);
        }
        if (paths + plan.items() > maxPaths || wildcards + plan.wildcards() > maxWildcards) {
            return new Refused(
                    "cloudfront in-progress budget: "
                            + paths
                            + "/"
                            + maxPaths
                            + " paths and "
                            + wildcards
                            + "/"
                            + maxWildcards
                            + " wildcards in progress, this invalidation needs "
                            + plan.items()
                            + " and "
                            + plan.wildcards());
        }
        Entry entry = new Entry(plan);
        entries.put(plan.callerReference(), entry);
        paths += plan.items();
        wildcards += plan.wildcards();
        return new Reserved(entry);
    }

    /** Marks the reserved invalidation as created by CloudFront. */
    synchronized void created(Entry entry, String invalidationId) {
        if (entry.invalidationId == null && entries.get(entry.plan.callerReference()) == entry) {
            entry.invalidationId = invalidationId;
            created++;
        }
    }

    /**
     * Gives the entry's budget back and completes its outcome (in that order, so whoever waits on
     * it finds the budget free). Idempotent.
     */
    void release(Entry entry, PurgeResult result) {
        synchronized (this) {
            if (entries.remove(entry.plan.callerReference(), entry)) {
                paths -= entry.plan.items();
                wildcards -= entry.plan.wildcards();
                if (entry.invalidationId != null) {
                    created--;
                }
            }
        }
        entry.outcome.complete(result);
    }

    /** Invalidations created and not yet Completed (or given up). */
    synchronized int invalidationsInProgress() {
        return created;
    }

    /** Paths and tags held, including invalidations being created. */
    synchronized int pathsInProgress() {
        return paths;
    }

    /** Wildcard paths held, including invalidations being created. */
    synchronized int wildcardsInProgress() {
        return wildcards;
    }
}
