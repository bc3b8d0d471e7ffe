package dev.tagpurge.bench;

import static dev.tagpurge.bench.Stats.ceilDiv;
import static dev.tagpurge.bench.Stats.percentile;

import dev.tagpurge.sandbox.RecordedPurge;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * One arm's run of the scarce-bucket phase ({@link ScarceBucketRun}): the Cloudflare requests the
 * sandbox answered against the fewest that could carry the burst's tags, and the latency the events
 * paid for it.
 *
 * @param arm the arm's name
 * @param run the run's index; both arms of a run send the same events
 * @param requests requests the sandbox answered, those answered 429 included
 * @param tooMany requests answered 429
 * @param items tags carried by all requests, a tag carried twice counted twice
 * @param distinctSent distinct tags named by the burst's events
 * @param distinctPurged distinct tags named by the requests answered 2xx
 * @param purgedAsSent whether the tags purged are exactly the tags sent
 * @param events events in the burst
 * @param completed events whose completion was written within the time limit
 * @param notSucceeded completions whose status is not {@code succeeded}
 * @param p50Ms median latency, from the event's production to its completion's write
 * @param p99Ms 99th percentile of that latency (nearest rank)
 * @param maxMs the largest
 * @param drainSeconds from the first event produced to the last completion written
 */
record ScarceBucketResult(
        String arm,
        int run,
        long requests,
        long tooMany,
        long items,
        int distinctSent,
        int distinctPurged,
        boolean purgedAsSent,
        int events,
        int completed,
        int notSucceeded,
        double p50Ms,
        double p99Ms,
        double maxMs,
        double drainSeconds) {

    /** Tags one request may carry on Cloudflare's Pro plan. */
    static final int TAGS_PER_REQUEST = 100;

    /** Status 429, Too Many Requests: the bucket was empty when the request arrived. */
    private static final int TOO_MANY_REQUESTS = 429;

    /**
     * The result of an arm's run from the requests the sandbox recorded during the burst, the tags
     * the burst named, and per event its production and completion times in epoch milliseconds
     * ({@code completedMillis[i]} 0 where event {@code i} has no completion).
     */
    static ScarceBucketResult of(
            String arm,
            int run,
            List<RecordedPurge> purges,
            Set<String> sentTags,
            long[] producedMillis,
            long[] completedMillis,
            int notSucceeded) {
        long items = 0;
        long tooMany = 0;
        Set<String> purged = new HashSet<>();
        for (RecordedPurge r : purges) {
            items += r.items().size();
            if (r.status() == TOO_MANY_REQUESTS) {
                tooMany++;
            }
            if (r.succeeded()) {
                purged.addAll(r.items());
            }
        }
        List<Double> latencies = new ArrayList<>();
        long firstProduced = Long.MAX_VALUE;
        long lastCompleted = Long.MIN_VALUE;
        for (int i = 0; i < producedMillis.length; i++) {
            firstProduced = Math.min(firstProduced, producedMillis[i]);
            if (completedMillis[i] != 0) {
                latencies.add((double) (completedMillis[i] - producedMillis[i]));
                lastCompleted = Math.max(lastCompleted, completedMillis[i]);
            }
        }
        latencies.sort(Double::compare);
        return new ScarceBucketResult(
                arm,
                run,
                purges.size(),
                tooMany,
                items,
                sentTags.size(),
                purged.size(),
                purged.equals(sentTags),
                producedMillis.length,
                latencies.size(),
                notSucceeded,
                percentile(latencies, 50),
                percentile(latencies, 99),
                percentile(latencies, 100),
                latencies.isEmpty() ? Double.NaN : (lastCompleted - firstProduced) / 1000.0);
    }

    /** The fewest requests that purge every distinct tag once: ceil(distinct tags ÷ 100). */
    long minimum() {
        return ceilDiv(distinctSent, TAGS_PER_REQUEST);
    }

    /** The fewest requests for the tags the service did send: ceil(items ÷ 100). */
    long itemsMinimum() {
        return ceilDiv(items, TAGS_PER_REQUEST);
    }

    /** Requests ÷ {@link #minimum()}: what coalescing across the whole burst would save. */
    double perMinimum() {
        return (double) requests / minimum();
    }

    /** Requests ÷ {@link #itemsMinimum()}: what fuller requests alone would save. */
    double perItemsMinimum() {
        return (double) requests / itemsMinimum();
    }

    /** What makes this run's figures wrong or incomplete; empty when nothing does. */
    List<String> errors() {
        List<String> errors = new ArrayList<>();
        if (!purgedAsSent) {
            errors.add(
                    String.format(
                            "%,d distinct tags purged where %,d were sent (or not the same ones)",
                            distinctPurged, distinctSent));
        }
        if (completed < events) {
            errors.add(
                    String.format(
                            "%,d of %,d completions within the time limit", completed, events));
        }
        if (notSucceeded > 0) {
            errors.add(String.format("%,d completions not succeeded", notSucceeded));
        }
        return errors;
    }
}
