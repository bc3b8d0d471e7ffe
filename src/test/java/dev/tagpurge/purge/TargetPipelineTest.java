package dev.tagpurge.purge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tagpurge.domain.EventStatus;
import dev.tagpurge.domain.TargetStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** The dispatcher and one target pipeline, in virtual time, driven by a purger answered by hand. */
class TargetPipelineTest extends PipelineHarness {

    @Test
    void atThePendingBoundIntakeWaitsAndResumesWhenRequestsDrainIt() {
        PurgeDispatcher d = dispatcher(3, Duration.ofMinutes(1));
        for (int i = 0; i < 6; i++) {
            dispatch(d, "e" + i, List.of("tag-" + i), List.of());
        }
        linger();
        HeldPurger.Call first = purger.next(); // one in flight (max-in-flight 1), the rest pending
        assertThat(d.pipelines().get("t").pendingSelectors()).isEqualTo(4);

        CompletableFuture<Void> resumed = d.awaitCapacity().subscribeAsCompletionStage();
        assertThat(d.isPaused()).isTrue();
        assertThat(resumed).isNotDone();

        first.answer(PurgeResult.accepted(List.of("id-1")));
        purger.next().answer(PurgeResult.accepted(List.of("id-2")));

        // intake resumes on its own context (here a pool thread), never inside a pipeline's task
        await().atMost(Duration.ofSeconds(5)).until(resumed::isDone);
        purger.next().answer(PurgeResult.accepted(List.of("id-3")));
        assertThat(done).hasSize(6);
        assertThat(done).allSatisfy(p -> assertThat(p.status()).isEqualTo(EventStatus.SUCCEEDED));
        assertThat(d.isIdle()).isTrue();
    }

    @Test
    void eachEventGetsThePurgeIdsOfItsOwnSelectorsWhenTheProviderAnswersPerItem() {
        PurgeDispatcher d = dispatcher(100, Duration.ofMinutes(1));
        dispatch(d, "e1", List.of("a"), List.of());
        dispatch(d, "e2", List.of("b"), List.of());
        dispatch(d, "e3", List.of("c"), List.of());
        linger();
        // however the window split them into requests: every item has its own id but "c"
        int answered = 0;
        while (answered < 3) {
            HeldPurger.Call call = purger.next();
            List<String> requestIds = new ArrayList<>();
            Map<String, String> own = new HashMap<>();
            for (String item : call.request().values()) {
                requestIds.add("id-" + item);
                if (!item.equals("c")) {
                    own.put(item, "id-" + item);
                }
            }
            requestIds.add("request");
            call.answer(new PurgeResult.Accepted(requestIds, own, OptionalLong.empty()));
            answered += call.request().values().size();
            linger();
        }

        assertThat(done).hasSize(3);
        Map<String, List<String>> ids = new HashMap<>();
        done.forEach(p -> ids.put(p.id(), p.targets().get(0).purgeIds()));
        assertThat(ids.get("e1")).containsExactly("id-a");
        assertThat(ids.get("e2")).containsExactly("id-b");
        assertThat(ids.get("e3"))
                .as("an item without its own id gets its request's ids")
                .contains("id-c", "request");
    }

    @Test
    void aRetryableFailureResendsOnlyThatBatchAndCountsAttempts() {
        PurgeDispatcher d = dispatcher(100, Duration.ofMinutes(1));
        dispatch(d, "e1", List.of("a", "b"), List.of());
        linger();
        HeldPurger.Call call = purger.next();
        assertThat(call.request().values()).containsExactly("a", "b");

        call.answer(PurgeResult.retryable("server-error", "503"));
        clock.advance(Duration.ofMillis(5)); // the backoff's cap
        HeldPurger.Call retry = purger.next();
        assertThat(retry.request().values()).containsExactlyInAnyOrder("a", "b");
        assertThat(retry.request().attempt()).isEqualTo(2);
        assertThat(retry.request().batchId())
                .as("the same request again keeps its id (CloudFront's idempotent retry)")
                .isEqualTo(call.request().batchId());
        retry.answer(PurgeResult.accepted(List.of("ok")));

        assertThat(done).hasSize(1);
        TargetProgress outcome = done.peek().targets().get(0);
        assertThat(outcome.status()).isEqualTo(TargetStatus.SUCCEEDED);
        assertThat(outcome.attempts()).isEqualTo(2);
        assertThat(outcome.requests()).isEqualTo(2);
    }

    @Test
    void aRetryThatAnEventJoinedGetsANewBatchId() {
        PurgeDispatcher d = dispatcher(100, Duration.ofMinutes(1));
        dispatch(d, "e1", List.of("a"), List.of());
        linger();
        HeldPurger.Call call = purger.next();
        dispatch(d, "e2", List.of("a"), List.of()); // a later change of the same tag
        call.answer(PurgeResult.retryable("timeout", "no answer"));
        clock.advance(Duration.ofMillis(5));

        HeldPurger.Call retry = purger.next();
        retry.answer(PurgeResult.accepted(List.of("ok")));
        // e2's "a" may be merged into the retry; whichever request carries it must be new
        linger();
        while (!purger.calls.isEmpty()) {
            purger.next().answer(PurgeResult.accepted(List.of("ok")));
            linger();
        }
        assertThat(done).hasSize(2);
        assertThat(retry.request().batchId()).isNotEqualTo(call.request().batchId());
    }

    @Test
    void pastTheDeadlineARetryableFailureFailsTheEvent() {
        PurgeDispatcher d = dispatcher(100, Duration.ofSeconds(1));
        dispatch(d, "e1", List.of("a"), List.of());
        linger();
        purger.next()
                .answer(
                        new PurgeResult.Retryable(
                                "server-error", "503", Optional.of(Duration.ofSeconds(10)), false));

        assertThat(done).hasSize(1);
        assertThat(done.peek().status()).isEqualTo(EventStatus.FAILED);
        assertThat(done.peek().targets().get(0).error()).startsWith("deadline-exceeded");
        clock.advance(Duration.ofSeconds(1));
        assertThat(purger.calls).isEmpty();
    }

    @Test
    void aPermanentFailureIsNotRetried() {
        PurgeDispatcher d = dispatcher(100, Duration.ofMinutes(1));
        dispatch(d, "e1", List.of("a"), List.of());
        linger();
        purger.next().answer(PurgeResult.permanent("auth", "401"));

        assertThat(done).hasSize(1);
        assertThat(done.peek().anyFailed()).isTrue();
        assertThat(done.peek().targets().get(0).error()).isEqualTo("auth: 401");
        clock.advance(Duration.ofSeconds(1));
        assertThat(purger.calls).isEmpty();
    }

    @Test
    void selectorsTheTargetCannotTakeAreRejectedWithoutARequest() {
        PurgeDispatcher d = dispatcher(100, Duration.ofMinutes(1));
        dispatch(d, "e1", List.of(), List.of("/p/"));
        linger();

        assertThat(done).hasSize(1);
        assertThat(done.peek().targets().get(0).status()).isEqualTo(TargetStatus.REJECTED);
        assertThat(done.peek().status()).isEqualTo(EventStatus.FAILED);
        assertThat(purger.requests).isZero();
    }

    @Test
    void whileTheBucketIsEmptySelectorsKeepCoalescingIntoTheNextRequest() {
        ManualLimiter bucket = new ManualLimiter(1, Duration.ofMillis(300));
        limiter = bucket;
        PurgeDispatcher d = dispatcher(100, Duration.ofMinutes(1));
        dispatch(d, "e0", List.of("first"), List.of());
        linger();
        purger.next().answer(PurgeResult.accepted(List.of("1")));

        // the single token is spent: these wait, and merge, instead of going out one by one
        for (int i = 1; i <= 5; i++) {
            dispatch(d, "e" + i, List.of("tag-" + (i % 3)), List.of());
        }
        linger();
        assertThat(purger.calls).isEmpty();
        bucket.refill(1);
        clock.advance(Duration.ofMillis(300));
        HeldPurger.Call merged = purger.next();

        assertThat(merged.request().values()).hasSize(2).doesNotHaveDuplicates();
        merged.answer(PurgeResult.accepted(List.of("2")));
        bucket.refill(1);
        clock.advance(Duration.ofMillis(300));
        HeldPurger.Call rest = purger.next();
        rest.answer(PurgeResult.accepted(List.of("3")));
        assertThat(done).hasSize(6);
        assertThat(merged.request().values()).doesNotContainAnyElementsOf(rest.request().values());
        assertThat(bucket.asked)
                .as("asked again after each wait, never sent without a token")
                .isGreaterThanOrEqualTo(4);
    }
}
