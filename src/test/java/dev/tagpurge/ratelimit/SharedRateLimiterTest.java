package dev.tagpurge.ratelimit;

import static dev.tagpurge.domain.SelectorKind.TAG;
import static dev.tagpurge.domain.SelectorKind.URL;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tagpurge.testing.FreePort;
import dev.tagpurge.testing.LocalRedisServer;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.redis.client.Redis;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Shared buckets against a real redis-server: two limiters play two replicas of one target. */
class SharedRateLimiterTest {

    private static final Duration WAIT = Duration.ofSeconds(5);
    private static LocalRedisServer server;
    private static Vertx vertx;

    @BeforeAll
    static void start() {
        server = LocalRedisServer.start();
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void stop() {
        vertx.closeAndAwait();
        server.close();
    }

    private static List<BucketRule> tenPerMinute() {
        return List.of(
                BucketRule.perRequest("requests", 10, 10, Duration.ofMinutes(1), Set.of(TAG)));
    }

    /** One replica's limiter of {@code target}: ten a minute shared, half of it when alone. */
    private static SharedRateLimiter replicaOf(String target) {
        return new SharedRateLimiter(
                Redis.createClient(vertx, server.uri()), target, tenPerMinute(), 0.5);
    }

    @Test
    void replicasTogetherStayWithinOneLimit() {
        String target = "t-" + System.nanoTime();
        SharedRateLimiter a = replicaOf(target);
        SharedRateLimiter b = replicaOf(target);

        int granted = 0;
        for (int i = 0; i < 20; i++) {
            SharedRateLimiter replica = i % 2 == 0 ? a : b;
            if (replica.tryAcquire(TAG, 1).await().atMost(WAIT) == 0) {
                granted++;
            }
        }

        assertThat(granted).isEqualTo(10);
        long wait = a.tryAcquire(TAG, 1).await().atMost(WAIT);
        assertThat(wait)
                .isBetween(Duration.ofSeconds(4).toNanos(), Duration.ofSeconds(6).toNanos());
        assertThat(a.isFallingBack()).isFalse();
    }

    @Test
    void aPartlyFullRequestOfAnyReplicaSpendsOnlyATokenTheSharedCapWouldLose() {
        String target = "t-" + System.nanoTime();
        long linger = Duration.ofMillis(50).toNanos();
        SharedRateLimiter a = replicaOf(target);
        SharedRateLimiter b = replicaOf(target);

        assertThat(a.tryAcquireSpare(TAG, 3, linger).await().atMost(WAIT))
                .as("the shared bucket is full")
                .isZero();
        long wait = b.tryAcquireSpare(TAG, 3, linger).await().atMost(WAIT);
        assertThat(wait)
                .as("9 of 10: back to full in 6 s")
                .isBetween(Duration.ofSeconds(5).toNanos(), Duration.ofSeconds(7).toNanos());
        int full = 0;
        while (b.tryAcquire(TAG, 100).await().atMost(WAIT) == 0) {
            full++;
        }
        assertThat(full).as("the refused partly full request took nothing").isEqualTo(9);
        assertThat(a.isFallingBack()).isFalse();
    }

    @Test
    void aThrottleSignalEmptiesTheSharedBucketForEveryReplica() {
        String target = "t-" + System.nanoTime();
        SharedRateLimiter a = replicaOf(target);
        SharedRateLimiter b = replicaOf(target);
        assertThat(a.tryAcquire(TAG, 1).await().atMost(WAIT)).isZero();

        a.onThrottled(TAG);

        Awaitility.await().atMost(WAIT).until(() -> b.tryAcquire(TAG, 1).await().atMost(WAIT) > 0);
    }

    @Test
    void withoutRedisAReplicaFallsBackToItsShareAndSaysSo() {
        String unreachable = "redis://127.0.0.1:" + FreePort.pick();
        SharedRateLimiter alone =
                new SharedRateLimiter(
                        Redis.createClient(vertx, unreachable),
                        "t-" + System.nanoTime(),
                        tenPerMinute(),
                        0.5);

        int granted = 0;
        for (int i = 0; i < 10; i++) {
            if (alone.tryAcquire(TAG, 1).await().atMost(WAIT) == 0) {
                granted++;
            }
        }

        assertThat(alone.isFallingBack()).isTrue();
        assertThat(granted).as("half of the 10-token burst").isEqualTo(5);
    }

    @Test
    void whenTheShareChangesTheLocalBucketsAreRescaledAndStartEmpty() {
        String unreachable = "redis://127.0.0.1:" + FreePort.pick();
        AtomicReference<Double> share = new AtomicReference<>(0.2);
        SharedRateLimiter replica =
                new SharedRateLimiter(
                        Redis.createClient(vertx, unreachable),
                        "t-" + System.nanoTime(),
                        tenPerMinute(),
                        share::get,
                        Duration.ofSeconds(1));

        int granted = 0;
        for (int i = 0; i < 10; i++) {
            if (replica.tryAcquire(TAG, 1).await().atMost(WAIT) == 0) {
                granted++;
            }
        }
        assertThat(granted).as("a fifth of the 10-token burst").isEqualTo(2);
        assertThat(replica.fallbackShare()).isEqualTo(0.2);

        share.set(0.5);

        long wait = replica.tryAcquire(TAG, 1).await().atMost(WAIT);
        assertThat(replica.fallbackShare()).isEqualTo(0.5);
        // empty after the rescale, refilling 5 per minute: one token in 12 s (2 per minute: 30 s)
        assertThat(wait)
                .isBetween(Duration.ofSeconds(11).toNanos(), Duration.ofSeconds(12).toNanos());
    }

    private static void signal(String signal, long pid) throws Exception {
        Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).start();
        assertThat(kill.waitFor()).as("kill -%s %d", signal, pid).isZero();
    }

    @Test
    void aStalledRedisFallsBackWithinTheTimeoutAndIsUsedAgainOnceItAnswers() throws Exception {
        // a server of its own: stopping it must not stall the other tests
        try (LocalRedisServer stalled = LocalRedisServer.start()) {
            SharedRateLimiter limiter =
                    new SharedRateLimiter(
                            Redis.createClient(vertx, stalled.uri()),
                            "t-" + System.nanoTime(),
                            tenPerMinute(),
                            () -> 0.5,
                            Duration.ofMillis(250),
                            Duration.ofMillis(500));
            assertThat(limiter.tryAcquire(TAG, 1).await().atMost(WAIT)).isZero();
            assertThat(limiter.isFallingBack()).isFalse();

            signal("STOP", stalled.pid());
            try {
                // without a timeout this never answers: Redis accepts and stays silent
                assertThat(limiter.tryAcquire(TAG, 1).await().atMost(WAIT))
                        .as("granted from the local share")
                        .isZero();
                assertThat(limiter.isFallingBack()).isTrue();
                // the local share is half of 10: four more, then a wait, all without Redis
                for (int i = 0; i < 4; i++) {
                    assertThat(limiter.tryAcquire(TAG, 1).await().atMost(WAIT)).isZero();
                }
                assertThat(limiter.tryAcquire(TAG, 1).await().atMost(WAIT)).isPositive();
            } finally {
                signal("CONT", stalled.pid());
            }

            await().atMost(Duration.ofSeconds(15))
                    .untilAsserted(
                            () -> {
                                limiter.tryAcquire(TAG, 1).await().atMost(WAIT);
                                assertThat(limiter.isFallingBack())
                                        .as("back on the shared buckets")
                                        .isFalse();
                            });
        }
    }

    private static double tokens(Budget budget) {
        assertThat(budget.buckets()).hasSize(1);
        return budget.buckets().get(0).tokens();
    }

    @Test
    void theBudgetIsReadFromTheSharedBucketWithoutTakingTokens() {
        String target = "t-" + System.nanoTime();
        SharedRateLimiter a = replicaOf(target);
        SharedRateLimiter b = replicaOf(target);

        Budget fresh = a.budget(TAG).await().atMost(WAIT);
        assertThat(fresh.source()).isEqualTo(Budget.SHARED);
        assertThat(tokens(fresh)).as("a bucket nobody used is full").isEqualTo(10.0);
        assertThat(fresh.buckets().get(0).capacity()).isEqualTo(10);
        assertThat(fresh.buckets().get(0).refillPerSecond()).isEqualTo(10.0 / 60);

        for (int i = 0; i < 3; i++) {
            assertThat(a.tryAcquire(TAG, 1).await().atMost(WAIT)).isZero();
        }
        for (int i = 0; i < 5; i++) {
            // the other replica sees the 3 taken; 10 a minute refill at most a token in 6 s
            assertThat(tokens(b.budget(TAG).await().atMost(WAIT))).isBetween(7.0, 8.0);
        }
        int granted = 0;
        while (a.tryAcquire(TAG, 1).await().atMost(WAIT) == 0) {
            granted++;
        }
        assertThat(granted).as("five reads took nothing").isEqualTo(7);
        assertThat(b.budget(URL).await().atMost(WAIT).unlimited())
                .as("no bucket counts URLs")
                .isTrue();
        assertThat(a.isFallingBack()).isFalse();
    }

    @Test
    void withoutRedisTheBudgetIsTheLocalShareAndTheLimiterDoesNotSwitch() {
        String unreachable = "redis://127.0.0.1:" + FreePort.pick();
        SharedRateLimiter alone =
                new SharedRateLimiter(
                        Redis.createClient(vertx, unreachable),
                        "t-" + System.nanoTime(),
                        tenPerMinute(),
                        0.5);

        Budget budget = alone.budget(TAG).await().atMost(WAIT);

        assertThat(budget.source()).isEqualTo(Budget.FALLBACK);
        assertThat(budget.buckets().get(0).capacity()).as("half of 10").isEqualTo(5);
        assertThat(tokens(budget)).isEqualTo(5.0);
        assertThat(alone.isFallingBack()).as("a read changes nothing").isFalse();
    }

    @Test
    void aStalledRedisGivesTheLocalShareWithinTheTimeout() throws Exception {
        try (LocalRedisServer stalled = LocalRedisServer.start()) {
            SharedRateLimiter limiter =
                    new SharedRateLimiter(
                            Redis.createClient(vertx, stalled.uri()),
                            "t-" + System.nanoTime(),
                            tenPerMinute(),
                            () -> 0.5,
                            Duration.ofMillis(250),
                            Duration.ofMillis(500));
            assertThat(limiter.budget(TAG).await().atMost(WAIT).source()).isEqualTo(Budget.SHARED);

            signal("STOP", stalled.pid());
            try {
                // without the timeout this never answers: Redis accepts and stays silent
                assertThat(limiter.budget(TAG).await().atMost(WAIT).source())
                        .isEqualTo(Budget.FALLBACK);
            } finally {
                signal("CONT", stalled.pid());
            }
        }
    }

    @Test
    void anUnlimitedTargetSaysSo() {
        Budget budget = RateLimiter.UNLIMITED.budget(TAG).await().atMost(WAIT);

        assertThat(budget.unlimited()).isTrue();
        assertThat(budget.source()).isEqualTo(Budget.UNLIMITED_SOURCE);
    }
}
