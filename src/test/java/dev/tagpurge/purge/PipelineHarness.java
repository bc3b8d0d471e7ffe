package dev.tagpurge.purge;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.tagpurge.domain.ChangeEvent;
import dev.tagpurge.domain.MappedSelectors;
import dev.tagpurge.domain.PurgeMode;
import dev.tagpurge.domain.RequestLimits;
import dev.tagpurge.domain.Selector;
import dev.tagpurge.metrics.TargetMetrics;
import dev.tagpurge.ratelimit.RateLimiter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.smallrye.mutiny.Uni;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * One dispatcher with one target pipeline, in virtual time on the test's own thread: a direct
 * executor and a {@link VirtualClock}, driven by a purger the test answers by hand.
 */
class PipelineHarness {

    static final Duration LINGER = Duration.ofMillis(5);
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(5);

    /** A purger whose requests stay open until the test answers them. */
    static final class HeldPurger implements Purger {
        record Call(
                PurgeRequest request, CompletableFuture<PurgeResult> answer, boolean[] cancelled) {
            void answer(PurgeResult result) {
                answer.complete(result);
            }

            boolean wasCancelled() {
                return cancelled[0];
            }
        }

        final Queue<Call> calls = new ArrayDeque<>();

        /** When set, answers (or throws) at once instead of holding the request. */
        Function<PurgeRequest, Uni<PurgeResult>> immediate;

        /** When set, what rejectReason does. */
        Function<Selector, Optional<String>> rejecting;

        int requests;

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
            if (rejecting != null) {
                return rejecting.apply(selector);
            }
            return selector instanceof Selector.Prefix
                    ? Optional.of("no prefixes here")
                    : Optional.empty();
        }

        @Override
        public Uni<PurgeResult> purge(PurgeRequest request) {
            requests++;
            if (immediate != null) {
                return immediate.apply(request);
            }
            CompletableFuture<PurgeResult> answer = new CompletableFuture<>();
            boolean[] cancelled = {false};
            calls.add(new Call(request, answer, cancelled));
            return Uni.createFrom()
                    .completionStage(answer)
                    .onCancellation()
                    .invoke(() -> cancelled[0] = true);
        }

        Call next() {
            Call c = calls.poll();
            if (c == null) {
                throw new AssertionError("no request was sent");
            }
            return c;
        }
    }

    final VirtualClock clock = new VirtualClock();
    final HeldPurger purger = new HeldPurger();
    final Queue<EventProgress> done = new ArrayDeque<>();
    RateLimiter limiter = RateLimiter.UNLIMITED;
    int maxInFlight = 1;
    long maxInFlightBytes = Long.MAX_VALUE;
    int maxUnwrittenOutcomes = Integer.MAX_VALUE;
    Duration maxLinger = LINGER;
    Duration repurgeAfter = Duration.ZERO;
    int repurgeMaxPending = 10;
    final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    PurgeDispatcher dispatcher(int maxPending, Duration deadline) {
        TargetSettings settings =
                new TargetSettings(
                        LINGER,
                        maxLinger,
                        maxPending,
                        maxInFlight,
                        REQUEST_TIMEOUT,
                        new RetryPolicy(Duration.ofMillis(1), Duration.ofMillis(5)),
                        0,
                        Duration.ZERO,
                        repurgeAfter,
                        repurgeMaxPending,
                        deadline);
        PurgeDispatcher[] self = new PurgeDispatcher[1];
        TargetPipeline pipeline =
                new TargetPipeline(
                        "t",
                        purger,
                        settings,
                        new TargetMetrics(registry, "t", "held"),
                        limiter,
                        clock,
                        Runnable::run,
                        () -> self[0].signalCapacity());
        self[0] =
                new PurgeDispatcher(
                        Map.of("t", pipeline),
                        Map.of(),
                        1000,
                        maxInFlightBytes,
                        maxUnwrittenOutcomes,
                        deadline.toNanos(),
                        clock);
        return self[0];
    }

    void dispatch(PurgeDispatcher d, String id, List<String> tags, List<String> prefixes) {
        dispatch(d, event(id, tags, prefixes, Optional.empty()), 0);
    }

    void dispatch(PurgeDispatcher d, ChangeEvent event, int recordBytes) {
        d.dispatch(
                event,
                new MappedSelectors(event.tags(), List.of(), event.prefixes(), false),
                PurgeMode.HARD,
                clock.now(),
                recordBytes,
                done::add);
    }

    static ChangeEvent event(
            String id, List<String> tags, List<String> prefixes, Optional<Instant> time) {
        return new ChangeEvent(
                id,
                "x",
                Optional.empty(),
                time,
                Optional.empty(),
                tags,
                List.of(),
                prefixes,
                false,
                Optional.empty(),
                List.of(),
                JsonNodeFactory.instance.objectNode());
    }

    /** Lets the linger pass, so that what is pending is due. */
    void linger() {
        clock.advance(LINGER);
    }
}
