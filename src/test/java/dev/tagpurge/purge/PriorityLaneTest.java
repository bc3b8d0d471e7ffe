package dev.tagpurge.purge;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tagpurge.domain.EventStatus;
import dev.tagpurge.domain.MappedSelectors;
import dev.tagpurge.domain.PurgeMode;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Operator purges in the priority lane ({@link PurgeDispatcher#dispatchAhead}), in virtual time:
 * they go out before event traffic that is already due, without waiting for the linger, yet they
 * still coalesce with pending selectors and still wait for the rate limiter.
 */
class PriorityLaneTest extends PipelineHarness {

    private static final String URL = "https://www.example.com/op";

    private void dispatchAhead(PurgeDispatcher d, String id, List<String> tags, List<String> urls) {
        d.dispatchAhead(
                event(id, tags, List.of(), Optional.empty()),
                new MappedSelectors(tags, urls, List.of(), false),
                PurgeMode.HARD,
                clock.now(),
                done::add);
    }

    @Test
    void anOperatorPurgeGoesOutBeforeEventTrafficThatIsAlreadyDue() {
        PurgeDispatcher d = dispatcher(100, Duration.ofMinutes(1));
        for (int i = 0; i < 6; i++) {
            dispatch(d, "e" + i, List.of("tag-" + i), List.of());
        }
        linger();
        HeldPurger.Call first = purger.next(); // max-in-flight 1: two full tag requests wait

        dispatchAhead(d, "op", List.of(), List.of(URL));
        first.answer(PurgeResult.accepted(List.of("1")));

        HeldPurger.Call next = purger.next();
        assertThat(next.request().values())
                .as("the operator's URL jumps the tag requests that were due before it")
                .containsExactly(URL);
        next.answer(PurgeResult.accepted(List.of("op-id")));
        assertThat(done)
                .as("the first request's events, then the operator's; the other tags still wait")
                .extracting(p -> p.id())
                .containsExactly("e0", "e1", "op");
        EventProgress op = done.stream().filter(p -> p.id().equals("op")).findFirst().get();
        assertThat(op.targets().get(0).purgeIds()).containsExactly("op-id");
    }

    @Test
    void withoutThePriorityLaneTheSameUrlWaitsBehindTheTags() {
        // the control of the test above: the lane is what makes the difference
        PurgeDispatcher d = dispatcher(100, Duration.ofMinutes(1));
        for (int i = 0; i < 6; i++) {
            dispatch(d, "e" + i, List.of("tag-" + i), List.of());
        }
        linger();
        HeldPurger.Call first = purger.next();
        d.dispatch(
                event("ev-url", List.of(), List.of(), Optional.empty()),
                new MappedSelectors(List.of(), List.of(URL), List.of(), false),
                PurgeMode.HARD,
                clock.now(),
                0,
                done::add);
        linger();
        first.answer(PurgeResult.accepted(List.of("1")));

        assertThat(purger.next().request().values()).doesNotContain(URL);
    }

    @Test
    void anOperatorPurgeNeedsNoLingerButStillWaitsForARateLimitToken() {
        ManualLimiter bucket = new ManualLimiter(0, Duration.ofMillis(300));
        limiter = bucket;
        PurgeDispatcher d = dispatcher(100, Duration.ofMinutes(1));

        dispatchAhead(d, "op", List.of("urgent"), List.of());
        assertThat(purger.calls).as("no token, no request").isEmpty();
        assertThat(bucket.asked).as("asked at once, not after the linger").isEqualTo(1);

        bucket.refill(1);
        clock.advance(Duration.ofMillis(300));
        HeldPurger.Call call = purger.next();
        assertThat(call.request().values()).containsExactly("urgent");
    }

    @Test
    void anOperatorTagMergesWithTheSamePendingEventTagIntoOneRequest() {
        ManualLimiter bucket = new ManualLimiter(0, Duration.ofMillis(300));
        limiter = bucket;
        PurgeDispatcher d = dispatcher(100, Duration.ofMinutes(1));
        dispatch(d, "e1", List.of("shared"), List.of());
        dispatchAhead(d, "op", List.of("shared"), List.of());

        bucket.refill(1);
        clock.advance(Duration.ofMillis(300));
        HeldPurger.Call call = purger.next();
        assertThat(call.request().values()).containsExactly("shared");
        call.answer(PurgeResult.accepted(List.of("id")));

        assertThat(done).extracting(p -> p.id()).containsExactlyInAnyOrder("e1", "op");
        assertThat(done).allSatisfy(p -> assertThat(p.status()).isEqualTo(EventStatus.SUCCEEDED));
        assertThat(purger.requests).isEqualTo(1);
    }
}
