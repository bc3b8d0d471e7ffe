package dev.tagpurge.purge;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tagpurge.domain.SelectorKind;
import dev.tagpurge.ratelimit.BucketRule;
import dev.tagpurge.ratelimit.LocalRateLimiter;
import io.smallrye.mutiny.Uni;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * While a bucket that counts requests has no token to spare, a partly full request waits past the
 * linger for more selectors (up to the max linger), so scarce tokens carry full requests; a full
 * request is never held.
 */
class StretchingLingerTest extends PipelineHarness {

    private static final Duration MAX_LINGER = Duration.ofSeconds(1);

    private final List<Sent> sent = new ArrayList<>();

    private record Sent(long atNanos, List<String> values) {}

    @BeforeEach
    void answerAtOnce() {
        purger.immediate =
                request -> {
                    sent.add(new Sent(clock.nanoTime(), request.values()));
                    return Uni.createFrom().item(PurgeResult.accepted(List.of("ok")));
                };
    }

    /** A bucket of 4 requests refilled by one every {@code refillEvery}, on the virtual clock. */
    private void bucket(Duration refillEvery) {
        limiter =
                new LocalRateLimiter(
                        List.of(
                                BucketRule.perRequest(
                                        "requests", 4, 1, refillEvery, Set.of(SelectorKind.TAG))),
                        clock::nanoTime);
    }

    /** Dispatches event {@code id} naming {@code tag}; returns when (virtual time). */
    private long dispatchNow(PurgeDispatcher d, String id, String tag) {
        long at = clock.nanoTime();
        dispatch(d, id, List.of(tag), List.of());
        return at;
    }

    @Test
    void aPartlyFullRequestWaitsForTheBucketToRefillWhileAFullOneGoesAtOnce() {
        bucket(Duration.ofMillis(100));
        maxLinger = MAX_LINGER;
        PurgeDispatcher d = dispatcher(100, Duration.ofMinutes(1));

        dispatch(d, "e1", List.of("a"), List.of());
        linger();
        assertThat(sent).as("a full bucket spares a token for a partly full request").hasSize(1);

        dispatch(d, "e2", List.of("b"), List.of());
        linger();
        clock.advance(Duration.ofMillis(20));
        assertThat(sent).as("3 of 4 tokens: b waits for company").hasSize(1);

        dispatch(d, "e3", List.of("c"), List.of());
        assertThat(sent).as("full (2 tags): sent without waiting").hasSize(2);
        assertThat(sent.get(1).values()).containsExactlyInAnyOrder("b", "c");

        long dispatchedAt = dispatchNow(d, "e4", "d");
        clock.advance(Duration.ofMillis(150));
        assertThat(sent).as("2 tokens left, back to 4 only after 200 ms").hasSize(2);
        clock.advance(Duration.ofMillis(100));
        assertThat(sent).hasSize(3);
        assertThat(sent.get(2).atNanos() - dispatchedAt)
                .as("sent when the bucket was full again, long before the max linger")
                .isBetween(Duration.ofMillis(150).toNanos(), Duration.ofMillis(250).toNanos());
        assertThat(done).hasSize(4);
    }

    @Test
    void noPartlyFullRequestWaitsLongerThanTheMaxLinger() {
        bucket(Duration.ofSeconds(10));
        maxLinger = MAX_LINGER;
        PurgeDispatcher d = dispatcher(100, Duration.ofMinutes(1));
        dispatch(d, "e1", List.of("a", "b"), List.of());
        assertThat(sent).hasSize(1);

        long dispatchedAt = dispatchNow(d, "e2", "c");
        clock.advance(MAX_LINGER.minusMillis(1));
        assertThat(sent).as("3 of 4 tokens, and the bucket refills slowly").hasSize(1);
        clock.advance(Duration.ofMillis(1));

        assertThat(sent).hasSize(2);
        assertThat(sent.get(1).atNanos() - dispatchedAt).isEqualTo(MAX_LINGER.toNanos());
        assertThat(done).hasSize(2);
    }

    @Test
    void withTheMaxLingerAtTheLingerAPartlyFullRequestSpendsAnyToken() {
        bucket(Duration.ofSeconds(10));
        PurgeDispatcher d = dispatcher(100, Duration.ofMinutes(1));
        dispatch(d, "e1", List.of("a", "b"), List.of());

        long dispatchedAt = dispatchNow(d, "e2", "c");
        linger();

        assertThat(sent).hasSize(2);
        assertThat(sent.get(1).atNanos() - dispatchedAt).isEqualTo(LINGER.toNanos());
    }
}
