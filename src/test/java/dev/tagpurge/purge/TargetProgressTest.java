package dev.tagpurge.purge;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TargetProgressTest {

    private static final Instant RECEIVED = Instant.parse("2026-12-05T02:00:00Z");
    private static final long DISPATCHED_NANOS = 5_000_000_000L;

    private static TargetProgress target() {
        EventProgress event =
                new EventProgress(
                        PipelineHarness.event("e-1", List.of(), List.of(), Optional.empty()),
                        RECEIVED,
                        DISPATCHED_NANOS,
                        Long.MAX_VALUE,
                        p -> {});
        TargetProgress target = event.addTarget("cloudflare", "cloudflare");
        target.expect(6);
        return target;
    }

    @Test
    void oneAnswersIdsAreKeptAsTheAnswerGaveThem() {
        TargetProgress target = target();
        List<String> answer = List.of("req-1");

        target.succeeded(answer);
        target.succeeded(answer);

        assertThat(target.purgeIds()).containsExactly("req-1");
        assertThat(target.purgeIds())
                .as("the request's own immutable list, shared by the events it carried")
                .isSameAs(answer);
    }

    @Test
    void laterAnswersAddTheirIdsInOrderWithoutRepeats() {
        TargetProgress target = target();

        target.succeeded(List.of("a"));
        target.succeeded(List.of("b", "a"));
        target.succeeded(List.of("c"));

        assertThat(target.purgeIds()).containsExactly("a", "b", "c");
    }

    @Test
    void atMostFiveIdsAreKeptAndAnAnswerWithRepeatsIsNotKeptAsItIs() {
        TargetProgress target = target();
        List<String> repeats = new ArrayList<>(List.of("x", "x", "y"));

        target.succeeded(repeats);
        repeats.clear();
        target.succeeded(List.of("1", "2", "3", "4"));

        assertThat(target.purgeIds()).containsExactly("x", "y", "1", "2", "3");
    }

    @Test
    void aMutableAnswerIsCopied() {
        TargetProgress target = target();
        List<String> mutable = new ArrayList<>(List.of("m"));

        target.succeeded(mutable);
        mutable.add("later");

        assertThat(target.purgeIds()).containsExactly("m");
    }

    @Test
    void anOpenTargetHasNoIdsAndNoCompletionInstant() {
        TargetProgress target = target();

        assertThat(target.purgeIds()).isEmpty();
        assertThat(target.isDone()).isFalse();
        assertThat(target.completedAt()).isNull();
        assertThat(target.completedAfterMs()).isZero();
    }

    @Test
    void theCompletionInstantIsTheReceiptPlusTheTimeSinceDispatch() {
        TargetProgress target = target();

        target.complete(DISPATCHED_NANOS + 1_250_000_000L);

        assertThat(target.isDone()).isTrue();
        assertThat(target.completedAt()).isEqualTo(RECEIVED.plusMillis(1_250));
        assertThat(target.completedAfterMs()).isEqualTo(1_250);
    }

    @Test
    void theStartIsTheFirstEntryIntoTheWindow() {
        TargetProgress target = target();

        target.started(DISPATCHED_NANOS + 40_000_000L);
        target.started(DISPATCHED_NANOS + 90_000_000L);

        assertThat(target.startedAfterMs()).isEqualTo(40);
    }

    @Test
    void aRequestCountsOnceHoweverManyOfTheEventsSelectorsItCarries() {
        TargetProgress target = target();

        target.sentIn(7, 1);
        target.sentIn(7, 1);
        target.sentIn(8, 2);
        target.sentIn(8, 2);

        assertThat(target.requests()).isEqualTo(2);
        assertThat(target.attempts()).isEqualTo(2);
    }

    @Test
    void answersAfterTheOutcomeIsFinalChangeNothing() {
        TargetProgress target = target();
        target.succeeded(List.of("first"));
        target.complete(DISPATCHED_NANOS);

        target.succeeded(List.of("late"));
        target.failed("late failure");

        assertThat(target.purgeIds()).containsExactly("first");
        assertThat(target.error()).isNull();
    }
}
