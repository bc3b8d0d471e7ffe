package dev.tagpurge.event;

import io.smallrye.mutiny.Uni;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * How a record's outcome is written: its completion event, then (when it has one) its dead letter,
 * each retried on its own with backoff. A write is a lazy {@code Uni} that sends its record again
 * on every subscription, so retrying the two as one would publish the completion once more for
 * every failed dead-letter attempt.
 */
final class OutcomeWrites {

    /**
     * An attempt, a second one at once, then up to four more with backoff from 1 s doubling (with
     * jitter, at most 30 s): about 15 s of an unreachable broker before the batch is nacked.
     */
    static final OutcomeWrites DEFAULT =
            new OutcomeWrites(Duration.ofSeconds(1), Duration.ofSeconds(30), 4);

    private final Duration initialBackoff;
    private final Duration maxBackoff;
    private final int retries;

    OutcomeWrites(Duration initialBackoff, Duration maxBackoff, int retries) {
        this.initialBackoff = initialBackoff;
        this.maxBackoff = maxBackoff;
        this.retries = retries;
    }

    /**
     * Writes {@code completion}, then the dead letter {@code deadLetter} supplies; each is
     * subscribed again only when it failed itself. Fails when either still fails after its retries.
     */
    Uni<Void> completionThenDeadLetter(Uni<Void> completion, Supplier<Uni<Void>> deadLetter) {
        return retried(completion).chain(() -> retried(deadLetter.get()));
    }

    /**
     * {@code write}, subscribed again with backoff while it fails; the common case runs without the
     * retry operators, which are only added after a first failure.
     */
    Uni<Void> retried(Uni<Void> write) {
        return write.onFailure()
                .recoverWithUni(
                        firstFailure ->
                                write.onFailure()
                                        .retry()
                                        .withBackOff(initialBackoff, maxBackoff)
                                        .atMost(retries));
    }
}
