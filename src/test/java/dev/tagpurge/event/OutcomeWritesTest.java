package dev.tagpurge.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.smallrye.mutiny.Uni;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.common.errors.NetworkException;
import org.junit.jupiter.api.Test;

/**
 * A record's completion and its dead letter are retried each on its own: a dead letter written
 * again never publishes the completion again.
 */
class OutcomeWritesTest {

    private static final Duration WAIT = Duration.ofSeconds(5);
    private final OutcomeWrites writes =
            new OutcomeWrites(Duration.ofMillis(1), Duration.ofMillis(5), 4);

    @Test
    void aDeadLetterThatFailsOnceThenSucceedsPublishesTheCompletionExactlyOnce() {
        CountingWrite completion = new CountingWrite(0);
        CountingWrite deadLetter = new CountingWrite(1);

        writes.completionThenDeadLetter(completion.uni(), deadLetter::uni).await().atMost(WAIT);

        assertThat(completion.attempts).hasValue(1);
        assertThat(deadLetter.attempts).hasValue(2);
    }

    @Test
    void aCompletionThatFailsOnceIsSentAgainAndTheDeadLetterOnlyAfterIt() {
        CountingWrite completion = new CountingWrite(1);
        CountingWrite deadLetter = new CountingWrite(0);

        writes.completionThenDeadLetter(completion.uni(), deadLetter::uni).await().atMost(WAIT);

        assertThat(completion.attempts).hasValue(2);
        assertThat(deadLetter.attempts).hasValue(1);
    }

    @Test
    void aWriteStillFailingAfterItsRetriesFailsTheOutcome() {
        CountingWrite completion = new CountingWrite(0);
        CountingWrite deadLetter = new CountingWrite(Integer.MAX_VALUE);

        assertThatThrownBy(
                        () ->
                                writes.completionThenDeadLetter(completion.uni(), deadLetter::uni)
                                        .await()
                                        .atMost(WAIT))
                .isInstanceOf(NetworkException.class);
        assertThat(completion.attempts).hasValue(1);
        assertThat(deadLetter.attempts)
                .as("an attempt, one at once, four with backoff")
                .hasValue(6);
    }

    /** A lazy write, like the publishers': every subscription is one send attempt. */
    private static final class CountingWrite {
        final AtomicInteger attempts = new AtomicInteger();
        private final int failures;

        CountingWrite(int failures) {
            this.failures = failures;
        }

        Uni<Void> uni() {
            return Uni.createFrom()
                    .deferred(
                            () ->
                                    attempts.incrementAndGet() <= failures
                                            ? Uni.createFrom()
                                                    .failure(new NetworkException("broker down"))
                                            : Uni.createFrom().voidItem());
        }
    }
}
