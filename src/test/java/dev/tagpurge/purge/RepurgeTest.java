package dev.tagpurge.purge;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tagpurge.domain.EventStatus;
import dev.tagpurge.metrics.MetricNames;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code repurge-after}: the second purge of accepted selectors, in virtual time. */
class RepurgeTest extends PipelineHarness {

    private double repurges(String outcome) {
        var counter =
                registry.find(MetricNames.REPURGES)
                        .tags("target", "t", "outcome", outcome)
                        .counter();
        return counter == null ? 0 : counter.count();
    }

    @Test
    void theSelectorsGoOutAgainAfterTheDelayAndTheEventCompletesAfterTheFirstPurge() {
        repurgeAfter = Duration.ofSeconds(2);
        PurgeDispatcher d = dispatcher(100, Duration.ofMinutes(1));
        dispatch(d, "e1", List.of("a", "b"), List.of());
        linger();
        purger.next().answer(PurgeResult.accepted(List.of("id-1")));
        assertThat(done).hasSize(1);
        assertThat(done.peek().status()).isEqualTo(EventStatus.SUCCEEDED);
        assertThat(d.eventsInFlight()).isZero();

        clock.advance(Duration.ofMillis(1990));
        assertThat(purger.calls).isEmpty();
        clock.advance(Duration.ofMillis(10));
        linger();
        HeldPurger.Call again = purger.next();
        assertThat(again.request().values()).containsExactlyInAnyOrder("a", "b");
        again.answer(PurgeResult.accepted(List.of("id-2")));
        assertThat(repurges("succeeded")).isEqualTo(2);

        clock.advance(Duration.ofSeconds(5));
        assertThat(purger.calls).as("a second purge is not purged a third time").isEmpty();
        assertThat(done).hasSize(1);
        assertThat(d.isIdle()).isTrue();
    }

    @Test
    void theSecondPurgeCoalescesWithEventTraffic() {
        repurgeAfter = Duration.ofSeconds(2);
        PurgeDispatcher d = dispatcher(100, Duration.ofMinutes(1));
        dispatch(d, "e1", List.of("a"), List.of());
        linger();
        purger.next().answer(PurgeResult.accepted(List.of("id-1")));
        clock.advance(Duration.ofMillis(1998));
        dispatch(d, "e2", List.of("a"), List.of()); // pending when the second purge is due
        clock.advance(Duration.ofMillis(10));
        HeldPurger.Call call = purger.next();
        assertThat(call.request().values()).containsExactly("a");
        call.answer(PurgeResult.accepted(List.of("id-2")));
        assertThat(purger.calls).isEmpty();
        assertThat(done).hasSize(2);
        assertThat(repurges("succeeded")).isEqualTo(1);
    }

    @Test
    void beyondItsBoundASecondPurgeIsDroppedAndCounted() {
        repurgeAfter = Duration.ofSeconds(2);
        repurgeMaxPending = 1;
        PurgeDispatcher d = dispatcher(100, Duration.ofMinutes(1));
        dispatch(d, "e1", List.of("a", "b"), List.of());
        linger();
        purger.next().answer(PurgeResult.accepted(List.of("id-1")));
        assertThat(repurges("dropped")).isEqualTo(1);
        clock.advance(Duration.ofSeconds(2));
        linger();
        HeldPurger.Call again = purger.next();
        assertThat(again.request().values()).hasSize(1);
        again.answer(PurgeResult.permanent("auth", "403"));
        assertThat(repurges("failed")).isEqualTo(1);
        assertThat(repurges("succeeded")).isZero();
    }

    @Test
    void secondPurgesWaitingForTheProviderNeverHoldIntakeBack() {
        repurgeAfter = Duration.ofSeconds(2);
        PurgeDispatcher d = dispatcher(2, Duration.ofMinutes(1));
        dispatch(d, "e1", List.of("a", "b"), List.of());
        linger();
        purger.next().answer(PurgeResult.accepted(List.of("id-1")));
        clock.advance(Duration.ofSeconds(2));
        linger();
        // the second purge is out and unanswered, two more selectors pending behind it
        HeldPurger.Call held = purger.next();
        assertThat(d.hasCapacity()).isTrue();
        dispatch(d, "e2", List.of("c", "d"), List.of());
        dispatch(d, "e3", List.of("e", "f"), List.of());
        assertThat(d.hasCapacity()).as("the events' own selectors still count").isFalse();
        held.answer(PurgeResult.accepted(List.of("id-2")));
        linger();
        purger.next().answer(PurgeResult.accepted(List.of("id-3")));
        linger();
        purger.next().answer(PurgeResult.accepted(List.of("id-4")));
        assertThat(done).hasSize(3);
        assertThat(d.hasCapacity()).isTrue();
    }

    @Test
    void aSecondPurgeThatCannotGoOutBeforeTheDeadlineFails() {
        repurgeAfter = Duration.ofSeconds(2);
        PurgeDispatcher d = dispatcher(100, Duration.ofSeconds(1));
        dispatch(d, "e1", List.of("a"), List.of());
        linger();
        purger.next().answer(PurgeResult.accepted(List.of("id-1")));
        clock.advance(Duration.ofSeconds(2));
        linger();
        purger.next().answer(PurgeResult.retryable("server-error", "503"));
        clock.advance(Duration.ofSeconds(1));
        while (!purger.calls.isEmpty()) {
            purger.next().answer(PurgeResult.retryable("server-error", "503"));
            clock.advance(Duration.ofMillis(5));
        }
        clock.advance(Duration.ofSeconds(1));
        assertThat(repurges("failed")).isEqualTo(1);
        assertThat(d.isIdle()).isTrue();
    }
}
