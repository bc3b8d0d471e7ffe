package dev.tagpurge.purge;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tagpurge.domain.ChangeEvent;
import dev.tagpurge.domain.EventStatus;
import dev.tagpurge.domain.MappedSelectors;
import dev.tagpurge.domain.PurgeMode;
import dev.tagpurge.domain.Selector;
import dev.tagpurge.domain.TargetStatus;
import dev.tagpurge.metrics.TargetMetrics;
import dev.tagpurge.ratelimit.RateLimiter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import org.junit.jupiter.api.Test;

/**
 * Two targets in two layers (an application cache, then a CDN), in virtual time: the CDN gets an
 * event's selectors only once the cache finished with them.
 */
class LayeredPurgeTest {

    private final VirtualClock clock = new VirtualClock();
    private final PipelineHarness.HeldPurger cache = new PipelineHarness.HeldPurger();
    private final PipelineHarness.HeldPurger cdn = new PipelineHarness.HeldPurger();
    private final Queue<EventProgress> done = new ArrayDeque<>();

    private PurgeDispatcher dispatcher(int cdnLayer, Duration cdnDelay, Duration deadline) {
        Map<String, TargetPipeline> pipelines = new LinkedHashMap<>();
        PurgeDispatcher[] self = new PurgeDispatcher[1];
        // the CDN first in configuration order: the layers, not the order, decide
        pipelines.put("cdn", pipeline("cdn", cdn, cdnLayer, cdnDelay, deadline, self));
        pipelines.put("cache", pipeline("cache", cache, 0, Duration.ZERO, deadline, self));
        self[0] =
                new PurgeDispatcher(
                        pipelines,
                        Map.of(),
                        1000,
                        Long.MAX_VALUE,
                        Integer.MAX_VALUE,
                        deadline.toNanos(),
                        clock);
        return self[0];
    }

    private TargetPipeline pipeline(
            String name,
            PipelineHarness.HeldPurger purger,
            int layer,
            Duration layerDelay,
            Duration deadline,
            PurgeDispatcher[] self) {
        TargetSettings settings =
                new TargetSettings(
                        PipelineHarness.LINGER,
                        PipelineHarness.LINGER,
                        100,
                        1,
                        PipelineHarness.REQUEST_TIMEOUT,
                        new RetryPolicy(Duration.ofMillis(1), Duration.ofMillis(5)),
                        layer,
                        layerDelay,
                        Duration.ZERO,
                        10,
                        deadline);
        return new TargetPipeline(
                name,
                purger,
                settings,
                new TargetMetrics(new SimpleMeterRegistry(), name, "held"),
                RateLimiter.UNLIMITED,
                clock,
                Runnable::run,
                () -> self[0].signalCapacity());
    }

    private void dispatch(PurgeDispatcher d, String id, List<String> tags, List<String> urls) {
        ChangeEvent event = PipelineHarness.event(id, tags, List.of(), Optional.empty());
        d.dispatch(
                event,
                new MappedSelectors(tags, urls, List.of(), false),
                PurgeMode.HARD,
                clock.now(),
                0,
                done::add);
    }

    private void linger() {
        clock.advance(PipelineHarness.LINGER);
    }

    private static TargetProgress outcome(EventProgress event, String target) {
        return event.targets().stream()
                .filter(t -> t.target().equals(target))
                .findFirst()
                .orElseThrow();
    }

    @Test
    void theOuterLayerIsPurgedOnlyOnceTheInnerAcceptedAndTheEventWaitsForBoth() {
        PurgeDispatcher d = dispatcher(1, Duration.ZERO, Duration.ofMinutes(1));
        dispatch(d, "e1", List.of("a"), List.of());
        linger();
        PipelineHarness.HeldPurger.Call inner = cache.next();
        assertThat(cdn.calls).as("the CDN waits for the cache").isEmpty();
        clock.advance(Duration.ofMillis(30));
        assertThat(cdn.calls).isEmpty();

        inner.answer(PurgeResult.accepted(List.of("c1")));
        assertThat(done).as("the event is not done before its outer layer").isEmpty();
        linger();
        PipelineHarness.HeldPurger.Call outer = cdn.next();
        assertThat(outer.request().values()).containsExactly("a");
        outer.answer(PurgeResult.accepted(List.of("f1")));

        assertThat(done).hasSize(1);
        EventProgress event = done.peek();
        assertThat(event.status()).isEqualTo(EventStatus.SUCCEEDED);
        assertThat(outcome(event, "cdn").startedAfterMs())
                .isGreaterThanOrEqualTo(outcome(event, "cache").completedAfterMs())
                .isGreaterThanOrEqualTo(35);
        assertThat(outcome(event, "cache").startedAfterMs()).isZero();
    }

    @Test
    void anInnerLayerThatFailsForGoodStillLetsTheOuterLayerPurgeAndTheEventShowsIt() {
        PurgeDispatcher d = dispatcher(1, Duration.ZERO, Duration.ofMinutes(1));
        dispatch(d, "e1", List.of("a"), List.of());
        linger();
        cache.next().answer(PurgeResult.permanent("auth", "NOAUTH"));
        linger();
        cdn.next().answer(PurgeResult.accepted(List.of("f1")));

        assertThat(done).hasSize(1);
        EventProgress event = done.peek();
        assertThat(event.status()).isEqualTo(EventStatus.PARTIAL);
        assertThat(event.anyFailed()).isTrue();
        assertThat(outcome(event, "cache").status()).isEqualTo(TargetStatus.FAILED);
        assertThat(outcome(event, "cdn").status()).isEqualTo(TargetStatus.SUCCEEDED);
    }

    @Test
    void selectorsTheInnerLayerDoesNotTakeGoToTheOuterLayerAtOnce() {
        cache.rejecting =
                s -> s instanceof Selector.Url ? Optional.of("no URLs") : Optional.empty();
        PurgeDispatcher d = dispatcher(1, Duration.ZERO, Duration.ofMinutes(1));
        dispatch(d, "e1", List.of("a"), List.of("https://x.example/p"));
        linger();
        PipelineHarness.HeldPurger.Call url = cdn.next();
        assertThat(url.request().values()).containsExactly("https://x.example/p");
        url.answer(PurgeResult.accepted(List.of("f1")));
        assertThat(cdn.calls).as("the tag still waits for the cache").isEmpty();
        assertThat(done).isEmpty();

        cache.next().answer(PurgeResult.accepted(List.of("c1")));
        linger();
        cdn.next().answer(PurgeResult.accepted(List.of("f2")));
        assertThat(done).hasSize(1);
        assertThat(outcome(done.peek(), "cdn").selectors()).isEqualTo(2);
        assertThat(outcome(done.peek(), "cache").error()).isEqualTo("rejected: no URLs");
    }

    @Test
    void theLayerDelayPassesBeforeTheOuterSelectorsEnterTheWindow() {
        PurgeDispatcher d = dispatcher(1, Duration.ofMillis(200), Duration.ofMinutes(1));
        dispatch(d, "e1", List.of("a"), List.of());
        linger();
        cache.next().answer(PurgeResult.accepted(List.of("c1")));
        clock.advance(Duration.ofMillis(199));
        assertThat(cdn.calls).isEmpty();
        clock.advance(Duration.ofMillis(1));
        linger();
        cdn.next().answer(PurgeResult.accepted(List.of("f1")));
        assertThat(done).hasSize(1);
        assertThat(outcome(done.peek(), "cdn").startedAfterMs()).isGreaterThanOrEqualTo(205);
    }

    @Test
    void theDeadlineBoundsTheWholeChain() {
        PurgeDispatcher d = dispatcher(1, Duration.ZERO, Duration.ofSeconds(1));
        dispatch(d, "e1", List.of("a"), List.of());
        linger();
        PipelineHarness.HeldPurger.Call hanging = cache.next(); // no answer until the deadline
        clock.advance(Duration.ofSeconds(1));

        assertThat(done).hasSize(1);
        EventProgress event = done.peek();
        assertThat(event.status()).isEqualTo(EventStatus.FAILED);
        assertThat(outcome(event, "cache").error()).startsWith("deadline-exceeded");
        assertThat(outcome(event, "cdn").error())
                .isEqualTo("deadline-exceeded: still waiting for the lower layers");
        hanging.answer(PurgeResult.accepted(List.of("late")));
        clock.advance(Duration.ofSeconds(10));
        assertThat(cdn.requests).as("nothing is sent past the deadline").isZero();
        assertThat(d.isIdle()).isTrue();
    }

    @Test
    void anInnerLayerThatCannotSucceedBeforeTheDeadlineReleasesTheOuterLayerAtOnce() {
        PurgeDispatcher d = dispatcher(1, Duration.ZERO, Duration.ofSeconds(1));
        dispatch(d, "e1", List.of("a"), List.of());
        linger();
        // a Retry-After past the deadline: the cache's outcome is known to fail now
        cache.next()
                .answer(
                        new PurgeResult.Retryable(
                                "throttled", "429", Optional.of(Duration.ofSeconds(5)), true));
        assertThat(done).isEmpty();
        linger();
        cdn.next().answer(PurgeResult.accepted(List.of("f1")));
        assertThat(done).hasSize(1);
        assertThat(done.peek().status()).isEqualTo(EventStatus.PARTIAL);
        assertThat(outcome(done.peek(), "cache").error()).startsWith("deadline-exceeded");
    }

    @Test
    void theOuterLayerStillCoalescesAcrossEvents() {
        PurgeDispatcher d = dispatcher(1, Duration.ZERO, Duration.ofMinutes(1));
        dispatch(d, "e1", List.of("a"), List.of());
        dispatch(d, "e2", List.of("a"), List.of());
        linger();
        cache.next().answer(PurgeResult.accepted(List.of("c1")));
        linger();
        cdn.next().answer(PurgeResult.accepted(List.of("f1")));
        assertThat(cdn.requests).isEqualTo(1);
        assertThat(done).hasSize(2);
    }

    @Test
    void targetsInOneLayerArePurgedTogether() {
        PurgeDispatcher d = dispatcher(0, Duration.ZERO, Duration.ofMinutes(1));
        dispatch(d, "e1", List.of("a"), List.of());
        linger();
        PipelineHarness.HeldPurger.Call inner = cache.next();
        PipelineHarness.HeldPurger.Call outer = cdn.next();
        outer.answer(PurgeResult.accepted(List.of("f1")));
        inner.answer(PurgeResult.accepted(List.of("c1")));
        assertThat(done).hasSize(1);
        assertThat(done.peek().status()).isEqualTo(EventStatus.SUCCEEDED);
    }
}
