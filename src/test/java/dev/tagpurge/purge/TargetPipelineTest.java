package dev.tagpurge.purge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.tagpurge.coalesce.PurgeMode;
import dev.tagpurge.coalesce.RequestLimits;
import dev.tagpurge.coalesce.Selector;
import dev.tagpurge.event.ChangeEvent;
import dev.tagpurge.mapping.MappedSelectors;
import dev.tagpurge.metrics.TargetMetrics;
import dev.tagpurge.ratelimit.BucketRule;
import dev.tagpurge.ratelimit.LocalRateLimiter;
import dev.tagpurge.ratelimit.RateLimiter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.smallrye.mutiny.Uni;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The dispatcher and one target pipeline, driven by a purger the test answers by hand. */
class TargetPipelineTest {

    /** A purger whose requests stay open until the test answers them. */
    static final class HeldPurger implements Purger {
        record Call(PurgeRequest request, CompletableFuture<PurgeResult> answer) {}

        final ConcurrentLinkedQueue<Call> calls = new ConcurrentLinkedQueue<>();

        @Override
        public String provider() {
            return "held";
        }

        @Override
        public RequestLimits limits() {
            return new RequestLimits(2, 1, 1, Integer.MAX_VALUE);
        }

        @Override
        public boolean caseInsensitiveTags() {
            return false;
        }

        @Override
        public Optional<String> rejectReason(Selector selector, PurgeMode mode) {
            return selector instanceof Selector.Prefix
                    ? Optional.of("no prefixes here")
                    : Optional.empty();
        }

        @Override
        public Uni<PurgeResult> purge(PurgeRequest request) {
            CompletableFuture<PurgeResult> answer = new CompletableFuture<>();
            calls.add(new Call(request, answer));
            return Uni.createFrom().completionStage(answer);
        }

        Call next() {
            await().atMost(Duration.ofSeconds(5)).until(() -> !calls.isEmpty());
            return calls.poll();
        }
    }

    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    private final HeldPurger purger = new HeldPurger();
    private final ConcurrentLinkedQueue<EventProgress> done = new ConcurrentLinkedQueue<>();
    private RateLimiter limiter = RateLimiter.UNLIMITED;

    @AfterEach
    void stop() {
        timer.shutdownNow();
    }

    private PurgeDispatcher dispatcher(int maxPending, Duration deadline) {
        TargetSettings settings =
                new TargetSettings(
                        Duration.ofMillis(5),
                        maxPending,
                        1,
                        Duration.ofSeconds(5),
                        new RetryPolicy(Duration.ofMillis(1), Duration.ofMillis(5)));
        PurgeDispatcher[] self = new PurgeDispatcher[1];
        TargetPipeline pipeline =
                new TargetPipeline(
                        "t",
                        purger,
                        settings,
                        new TargetMetrics(new SimpleMeterRegistry(), "t", "held"),
                        limiter,
                        timer,
                        () -> self[0].signalCapacity());
        self[0] = new PurgeDispatcher(Map.of("t", pipeline), Map.of(), 1000, deadline.toNanos());
        return self[0];
    }

    private void dispatch(PurgeDispatcher d, String id, List<String> tags, List<String> prefixes) {
        ChangeEvent event =
                new ChangeEvent(
                        id,
                        "x",
                        Optional.empty(),
                        Optional.empty(),
                        Optional.empty(),
                        tags,
                        List.of(),
                        prefixes,
                        false,
                        Optional.empty(),
                        List.of(),
                        JsonNodeFactory.instance.objectNode());
        d.dispatch(
                event,
                new MappedSelectors(tags, List.of(), prefixes, false),
                PurgeMode.HARD,
                Instant.now(),
                done::add);
    }

    @Test
    void atThePendingBoundIntakeWaitsAndResumesWhenRequestsDrainIt() {
        PurgeDispatcher d = dispatcher(3, Duration.ofMinutes(1));
        for (int i = 0; i < 6; i++) {
            dispatch(d, "e" + i, List.of("tag-" + i), List.of());
        }
        HeldPurger.Call first = purger.next(); // one in flight (max-in-flight 1), the rest pending
        await().atMost(Duration.ofSeconds(5))
                .until(() -> d.pipelines().get("t").pendingSelectors() == 4);

        CompletableFuture<Void> resumed = d.awaitCapacity().subscribeAsCompletionStage();
        assertThat(d.isPaused()).isTrue();
        assertThat(resumed).isNotDone();

        first.answer().complete(PurgeResult.accepted(List.of("id-1")));
        purger.next().answer().complete(PurgeResult.accepted(List.of("id-2")));

        await().atMost(Duration.ofSeconds(5)).until(resumed::isDone);
        purger.next().answer().complete(PurgeResult.accepted(List.of("id-3")));
        await().atMost(Duration.ofSeconds(5)).until(() -> done.size() == 6);
        assertThat(done).allSatisfy(p -> assertThat(p.status()).isEqualTo(EventStatus.SUCCEEDED));
        assertThat(d.isIdle()).isTrue();
    }

    @Test
    void eachEventGetsThePurgeIdsOfItsOwnSelectorsWhenTheProviderAnswersPerItem() {
        PurgeDispatcher d = dispatcher(100, Duration.ofMinutes(1));
        dispatch(d, "e1", List.of("a"), List.of());
        dispatch(d, "e2", List.of("b"), List.of());
        dispatch(d, "e3", List.of("c"), List.of());
        // however the linger split them into requests: every item has its own id but "c"
        int answered = 0;
        while (answered < 3) {
            HeldPurger.Call call = purger.next();
            List<String> requestIds = new java.util.ArrayList<>();
            Map<String, String> own = new java.util.HashMap<>();
            for (String item : call.request().values()) {
                requestIds.add("id-" + item);
                if (!item.equals("c")) {
                    own.put(item, "id-" + item);
                }
            }
            requestIds.add("request");
            call.answer()
                    .complete(
                            new PurgeResult.Accepted(
                                    requestIds, own, java.util.OptionalLong.empty()));
            answered += call.request().values().size();
        }

        await().atMost(Duration.ofSeconds(5)).until(() -> done.size() == 3);
        Map<String, List<String>> ids = new java.util.HashMap<>();
        done.forEach(p -> ids.put(p.event().id(), p.targets().get(0).purgeIds()));
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
        HeldPurger.Call call = purger.next();
        assertThat(call.request().values()).containsExactly("a", "b");

        call.answer().complete(PurgeResult.retryable("server-error", "503"));
        HeldPurger.Call retry = purger.next();
        assertThat(retry.request().values()).containsExactlyInAnyOrder("a", "b");
        assertThat(retry.request().attempt()).isEqualTo(2);
        assertThat(retry.request().batchId())
                .as("the same request again keeps its id (CloudFront's idempotent retry)")
                .isEqualTo(call.request().batchId());
        retry.answer().complete(PurgeResult.accepted(List.of("ok")));

        await().atMost(Duration.ofSeconds(5)).until(() -> done.size() == 1);
        TargetProgress outcome = done.peek().targets().get(0);
        assertThat(outcome.status()).isEqualTo(TargetStatus.SUCCEEDED);
        assertThat(outcome.attempts()).isEqualTo(2);
        assertThat(outcome.requests()).isEqualTo(2);
    }

    @Test
    void aRetryThatAnEventJoinedGetsANewBatchId() {
        PurgeDispatcher d = dispatcher(100, Duration.ofMinutes(1));
        dispatch(d, "e1", List.of("a"), List.of());
        HeldPurger.Call call = purger.next();
        dispatch(d, "e2", List.of("a"), List.of()); // a later change of the same tag
        call.answer().complete(PurgeResult.retryable("timeout", "no answer"));

        HeldPurger.Call retry = purger.next();
        retry.answer().complete(PurgeResult.accepted(List.of("ok")));
        // e2's "a" may be merged into the retry; whichever request carries it must be new
        await().atMost(Duration.ofSeconds(5))
                .until(() -> done.size() == 2 || !purger.calls.isEmpty());
        purger.calls.forEach(c -> c.answer().complete(PurgeResult.accepted(List.of("ok"))));
        await().atMost(Duration.ofSeconds(5)).until(() -> done.size() == 2);
        assertThat(retry.request().batchId()).isNotEqualTo(call.request().batchId());
    }

    @Test
    void pastTheDeadlineARetryableFailureFailsTheEvent() {
        PurgeDispatcher d = dispatcher(100, Duration.ZERO);
        dispatch(d, "e1", List.of("a"), List.of());
        purger.next().answer().complete(PurgeResult.retryable("timeout", "slow"));

        await().atMost(Duration.ofSeconds(5)).until(() -> done.size() == 1);
        assertThat(done.peek().status()).isEqualTo(EventStatus.FAILED);
        assertThat(done.peek().targets().get(0).error()).startsWith("deadline-exceeded");
        assertThat(purger.calls).isEmpty();
    }

    @Test
    void aPermanentFailureIsNotRetried() {
        PurgeDispatcher d = dispatcher(100, Duration.ofMinutes(1));
        dispatch(d, "e1", List.of("a"), List.of());
        purger.next().answer().complete(PurgeResult.permanent("auth", "401"));

        await().atMost(Duration.ofSeconds(5)).until(() -> done.size() == 1);
        assertThat(done.peek().anyFailed()).isTrue();
        assertThat(done.peek().targets().get(0).error()).isEqualTo("auth: 401");
        assertThat(purger.calls).isEmpty();
    }

    @Test
    void selectorsTheTargetCannotTakeAreRejectedWithoutARequest() {
        PurgeDispatcher d = dispatcher(100, Duration.ofMinutes(1));
        dispatch(d, "e1", List.of(), List.of("/p/"));

        await().atMost(Duration.ofSeconds(5)).until(() -> done.size() == 1);
        assertThat(done.peek().targets().get(0).status()).isEqualTo(TargetStatus.REJECTED);
        assertThat(done.peek().status()).isEqualTo(EventStatus.FAILED);
        assertThat(purger.calls).isEmpty();
    }

    @Test
    void whileTheBucketIsEmptySelectorsKeepCoalescingIntoTheNextRequest() {
        limiter =
                new LocalRateLimiter(
                        List.of(
                                BucketRule.perRequest(
                                        "requests",
                                        1,
                                        1,
                                        Duration.ofMillis(300),
                                        java.util.EnumSet.allOf(
                                                dev.tagpurge.coalesce.SelectorKind.class))));
        PurgeDispatcher d = dispatcher(100, Duration.ofMinutes(1));
        dispatch(d, "e0", List.of("first"), List.of());
        purger.next().answer().complete(PurgeResult.accepted(List.of("1")));

        // the single token is spent: these wait, and merge, instead of going out one by one
        for (int i = 1; i <= 5; i++) {
            dispatch(d, "e" + i, List.of("tag-" + (i % 3)), List.of());
        }
        HeldPurger.Call merged = purger.next();

        assertThat(merged.request().values()).hasSize(2).doesNotHaveDuplicates();
        merged.answer().complete(PurgeResult.accepted(List.of("2")));
        HeldPurger.Call rest = purger.next();
        rest.answer().complete(PurgeResult.accepted(List.of("3")));
        await().atMost(Duration.ofSeconds(5)).until(() -> done.size() == 6);
        assertThat(merged.request().values()).doesNotContainAnyElementsOf(rest.request().values());
    }
}
