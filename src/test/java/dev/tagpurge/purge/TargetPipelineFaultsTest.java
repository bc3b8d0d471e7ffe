package dev.tagpurge.purge;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tagpurge.domain.ChangeEvent;
import dev.tagpurge.domain.EventStatus;
import dev.tagpurge.domain.MappedSelectors;
import dev.tagpurge.domain.PurgeMode;
import dev.tagpurge.domain.SelectorKind;
import dev.tagpurge.ratelimit.Budget;
import dev.tagpurge.ratelimit.RateLimiter;
import io.smallrye.mutiny.Uni;
import java.lang.reflect.Field;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * What used to stall a partition for good: exceptions that vanished inside the result handling,
 * waits without a deadline, durations from input that overflowed. Each test ends with every event
 * having an outcome, in virtual time.
 */
class TargetPipelineFaultsTest extends PipelineHarness {

    @Test
    void anEventFromYearOneCompletesInsteadOfOverflowingTheLatency() {
        PurgeDispatcher d = dispatcher(100, Duration.ofMinutes(1));
        dispatch(
                d,
                event(
                        "zero-time",
                        List.of("a"),
                        List.of(),
                        Optional.of(Instant.parse("0001-01-01T00:00:00Z"))),
                100);
        dispatch(d, "canary", List.of("b"), List.of());
        linger();
        purger.next().answer(PurgeResult.accepted(List.of("ok")));

        assertThat(done).extracting(p -> p.id()).containsExactlyInAnyOrder("zero-time", "canary");
        assertThat(done).allSatisfy(p -> assertThat(p.status()).isEqualTo(EventStatus.SUCCEEDED));
        assertThat(d.isIdle()).isTrue();
    }

    @Test
    void anAbsurdRetryAfterIsClampedAndEveryEventBehindItMeetsItsDeadline() {
        PurgeDispatcher d = dispatcher(100, Duration.ofMinutes(2));
        dispatch(d, "throttled", List.of("a"), List.of());
        linger();
        purger.next()
                .answer(
                        new PurgeResult.Retryable(
                                "throttled",
                                "429",
                                Optional.of(Duration.ofSeconds(Long.MAX_VALUE)),
                                true));
        assertThat(done).as("a retry past the deadline fails at once, without overflow").hasSize(1);
        assertThat(done.poll().targets().get(0).error())
                .isEqualTo("deadline-exceeded: last error throttled: 429");

        dispatch(d, "behind", List.of("b"), List.of());
        clock.advance(Duration.ofMinutes(2));
        assertThat(done).hasSize(1);
        assertThat(done.poll().targets().get(0).error())
                .isEqualTo("deadline-exceeded: still waiting for the provider's Retry-After");
        assertThat(purger.requests).isEqualTo(1);

        clock.advance(TargetPipeline.MAX_HOLD); // the pause ends after the clamp, not in years
        dispatch(d, "later", List.of("c"), List.of());
        linger();
        purger.next().answer(PurgeResult.accepted(List.of("ok")));
        assertThat(done.poll().status()).isEqualTo(EventStatus.SUCCEEDED);
    }

    @Test
    void selectorsWaitingForTokensFailAtTheirDeadline() {
        limiter = new ManualLimiter(0, Duration.ofMinutes(10));
        PurgeDispatcher d = dispatcher(100, Duration.ofSeconds(30));
        dispatch(d, "e1", List.of("a"), List.of());
        linger();
        clock.advance(Duration.ofSeconds(29));
        assertThat(done).isEmpty();

        clock.advance(Duration.ofSeconds(1));
        assertThat(done).hasSize(1);
        assertThat(done.peek().status()).isEqualTo(EventStatus.FAILED);
        assertThat(done.peek().targets().get(0).error())
                .isEqualTo("deadline-exceeded: still waiting for rate-limit tokens");
        assertThat(purger.requests).isZero();
        assertThat(d.isIdle()).as("an expired selector nobody waits for is never sent").isTrue();
    }

    @Test
    void aLimiterThatNeverAnswersIsAskedAgainAndNothingIsSentWithoutTokens() {
        int[] asked = {0};
        limiter =
                new RateLimiter() {
                    @Override
                    public Uni<Long> tryAcquire(SelectorKind kind, int items) {
                        asked[0]++;
                        return Uni.createFrom().nothing();
                    }

                    @Override
                    public void onThrottled(SelectorKind kind) {}

                    @Override
                    public void onRemaining(SelectorKind kind, long remaining) {}

                    @Override
                    public Uni<Budget> budget(SelectorKind kind) {
                        return Uni.createFrom().nothing();
                    }
                };
        PurgeDispatcher d = dispatcher(100, Duration.ofSeconds(30));
        dispatch(d, "e1", List.of("a"), List.of());
        linger();
        clock.advance(Duration.ofSeconds(10));
        assertThat(asked[0]).as("asked again after each timeout").isGreaterThan(2);
        assertThat(purger.requests).isZero();

        clock.advance(Duration.ofSeconds(20));
        assertThat(done).hasSize(1);
        assertThat(done.peek().targets().get(0).error()).startsWith("deadline-exceeded");
    }

    @Test
    void aRequestWithoutAnswerTimesOutIsCancelledAndRetried() {
        PurgeDispatcher d = dispatcher(100, Duration.ofMinutes(1));
        dispatch(d, "e1", List.of("a"), List.of());
        linger();
        HeldPurger.Call hung = purger.next();

        clock.advance(REQUEST_TIMEOUT);
        assertThat(hung.wasCancelled()).as("the adapter may free its connection").isTrue();
        clock.advance(Duration.ofMillis(5));
        HeldPurger.Call retry = purger.next();
        hung.answer(PurgeResult.accepted(List.of("late"))); // a late answer changes nothing
        assertThat(done).isEmpty();

        retry.answer(PurgeResult.accepted(List.of("ok")));
        assertThat(done).hasSize(1);
        assertThat(done.peek().targets().get(0).purgeIds()).containsExactly("ok");
        assertThat(done.peek().targets().get(0).attempts()).isEqualTo(2);
    }

    @Test
    void anAdapterThatAnswersAtOnceDoesNotReenterTheDrain() {
        maxInFlight = 4;
        purger.immediate = request -> Uni.createFrom().item(PurgeResult.accepted(List.of("now")));
        PurgeDispatcher d = dispatcher(100, Duration.ofMinutes(1));
        for (int i = 0; i < 50; i++) {
            dispatch(d, "e" + i, List.of("t" + i), List.of());
        }
        linger();
        assertThat(done).hasSize(50);
        assertThat(purger.requests).isEqualTo(25); // two tags per request
        assertThat(d.isIdle()).isTrue();
    }

    @Test
    void anAdapterThatThrowsIsRetriedNotLost() {
        int[] calls = {0};
        purger.immediate =
                request -> {
                    if (calls[0]++ == 0) {
                        throw new IllegalStateException("adapter bug");
                    }
                    return Uni.createFrom().item(PurgeResult.accepted(List.of("ok")));
                };
        PurgeDispatcher d = dispatcher(100, Duration.ofMinutes(1));
        dispatch(d, "e1", List.of("a"), List.of());
        linger();
        clock.advance(Duration.ofMillis(5));

        assertThat(done).hasSize(1);
        assertThat(done.peek().status()).isEqualTo(EventStatus.SUCCEEDED);
        assertThat(calls[0]).isEqualTo(2);
    }

    @Test
    void anExceptionWhileHandlingAnAnswerFailsThatBatchsEventsInsteadOfVanishing() {
        limiter =
                new ManualLimiter(100, Duration.ZERO) {
                    @Override
                    public void onRemaining(SelectorKind kind, long remaining) {
                        throw new ArithmeticException("long overflow");
                    }
                };
        PurgeDispatcher d = dispatcher(100, Duration.ofMinutes(1));
        dispatch(d, "e1", List.of("a"), List.of());
        dispatch(d, "e2", List.of("b"), List.of());
        linger();
        purger.next().answer(new PurgeResult.Accepted(List.of("ok"), OptionalLong.of(5)));

        assertThat(done).hasSize(2);
        assertThat(done)
                .allSatisfy(
                        p ->
                                assertThat(p.targets().get(0).error())
                                        .startsWith("internal-error")
                                        .contains("long overflow"));
        assertThat(d.isIdle()).isTrue();
    }

    @Test
    void aRejectReasonThatThrowsFailsTheTargetOfThatEventOnly() {
        purger.rejecting =
                s -> {
                    if (s.value().equals("bad")) {
                        throw new IllegalArgumentException("unparseable");
                    }
                    return Optional.empty();
                };
        PurgeDispatcher d = dispatcher(100, Duration.ofMinutes(1));
        dispatch(d, "hostile", List.of("bad"), List.of());
        dispatch(d, "canary", List.of("good"), List.of());
        linger();
        purger.next().answer(PurgeResult.accepted(List.of("ok")));

        assertThat(done).extracting(p -> p.id()).containsExactly("hostile", "canary");
        assertThat(done.peek().targets().get(0).error()).startsWith("internal-error");
        assertThat(done)
                .last()
                .satisfies(p -> assertThat(p.status()).isEqualTo(EventStatus.SUCCEEDED));
    }

    @Test
    void intakePausesAtTheBoundInBytesAndResumesWhenThoseEventsAreDone() {
        maxInFlightBytes = 64 * 1024;
        PurgeDispatcher d = dispatcher(100, Duration.ofMinutes(1));
        dispatch(d, event("big", List.of("a"), List.of(), Optional.empty()), 80 * 1024);
        assertThat(d.hasCapacity()).isFalse();
        assertThat(d.bytesInFlight()).isGreaterThan(80 * 1024);

        linger();
        purger.next().answer(PurgeResult.accepted(List.of("ok")));
        assertThat(d.hasCapacity()).isTrue();
        assertThat(d.bytesInFlight()).isZero();
    }

    @Test
    void aBatchsHeldBytesPauseIntakeUntilReleasedButNeverHoldBackItsOwnRecords() {
        maxInFlightBytes = 64 * 1024;
        PurgeDispatcher d = dispatcher(100, Duration.ofMinutes(1));
        long batch = 80 * 1024;
        d.holdBytes(batch);
        assertThat(d.hasCapacity()).as("the next batch waits").isFalse();
        assertThat(d.hasCapacity(batch)).as("this batch's next record goes on").isTrue();

        CompletableFuture<Void> ownNext = d.awaitCapacity(batch).subscribeAsCompletionStage();
        CompletableFuture<Void> nextBatch = d.awaitCapacity().subscribeAsCompletionStage();
        assertThat(ownNext).isDone();
        assertThat(nextBatch).isNotDone();

        d.releaseBytes(batch);
        assertThat(d.bytesInFlight()).isZero();
        assertThat(nextBatch).succeedsWithin(Duration.ofSeconds(5));
    }

    @Test
    void aHeldEventStaysInFlightAfterItsPurgeUntilReleased() {
        maxInFlightBytes = 64 * 1024;
        PurgeDispatcher d = dispatcher(100, Duration.ofMinutes(1));
        ChangeEvent big = event("big", List.of("a"), List.of(), Optional.empty());
        List<Runnable> releases = new ArrayList<>();
        d.dispatchHeld(
                big,
                new MappedSelectors(big.tags(), List.of(), List.of(), false),
                PurgeMode.HARD,
                clock.now(),
                80 * 1024,
                (p, release) -> {
                    done.add(p);
                    releases.add(release);
                });

        linger();
        purger.next().answer(PurgeResult.accepted(List.of("ok")));
        // purged, but its outcome is not written yet: it still holds its memory
        assertThat(done).hasSize(1);
        assertThat(d.eventsInFlight()).isEqualTo(1);
        assertThat(d.hasCapacity()).isFalse();

        releases.getFirst().run();
        assertThat(d.eventsInFlight()).isZero();
        assertThat(d.bytesInFlight()).isZero();
        assertThat(d.hasCapacity()).isTrue();
    }

    @Test
    void intakePausesWhilePurgedEventsAwaitTheirOutcomeWritesAndResumesAsTheyAreWritten() {
        maxUnwrittenOutcomes = 2;
        PurgeDispatcher d = dispatcher(100, Duration.ofMinutes(1));
        List<Runnable> releases = new ArrayList<>();
        for (String id : List.of("e1", "e2", "e3")) {
            ChangeEvent e = event(id, List.of(id), List.of(), Optional.empty());
            d.dispatchHeld(
                    e,
                    new MappedSelectors(e.tags(), List.of(), List.of(), false),
                    PurgeMode.HARD,
                    clock.now(),
                    0,
                    (p, release) -> {
                        done.add(p);
                        releases.add(release);
                    });
        }
        // in the window or at the provider, none counts: the bound is for written outcomes only
        assertThat(d.outcomesUnwritten()).isZero();
        assertThat(d.hasCapacity()).isTrue();

        for (int request = 0; request < 3 && done.size() < 3; request++) {
            linger();
            purger.next().answer(PurgeResult.accepted(List.of("ok")));
        }
        assertThat(done).hasSize(3);
        assertThat(d.outcomesUnwritten()).isEqualTo(3);
        assertThat(d.hasCapacity()).as("three purged, none written, bound 2").isFalse();
        CompletableFuture<Void> resumed = d.awaitCapacity().subscribeAsCompletionStage();

        releases.get(0).run();
        assertThat(d.hasCapacity()).as("two unwritten: still at the bound").isFalse();
        assertThat(resumed).isNotDone();

        releases.get(1).run();
        assertThat(d.outcomesUnwritten()).isEqualTo(1);
        assertThat(d.hasCapacity()).isTrue();
        assertThat(resumed).succeedsWithin(Duration.ofSeconds(5));

        releases.get(2).run();
        assertThat(d.outcomesUnwritten()).isZero();
        assertThat(d.eventsInFlight()).isZero();
    }

    @Test
    void anEventInFlightKeepsItsIdentityAndTimeButNotTheParsedEvent() {
        PurgeDispatcher d = dispatcher(100, Duration.ofMinutes(1));
        Instant time = Instant.parse("2026-01-02T03:04:05.123456789Z");
        dispatch(d, event("e1", List.of("a"), List.of(), Optional.of(time)), 0);
        linger();
        purger.next().answer(PurgeResult.accepted(List.of("ok")));
        EventProgress progress = done.peek();
        assertThat(progress.id()).isEqualTo("e1");
        assertThat(progress.type()).isEqualTo("x");
        assertThat(progress.startedAt()).isEqualTo(time);
        assertThat(EventProgress.class.getDeclaredFields())
                .extracting(Field::getType)
                .as("what an event in flight keeps of the parsed event")
                .doesNotContain(ChangeEvent.class, Optional.class, Instant.class);
    }
}
