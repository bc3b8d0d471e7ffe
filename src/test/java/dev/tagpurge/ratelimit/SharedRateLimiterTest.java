package dev.tagpurge.ratelimit;

import static dev.tagpurge.coalesce.SelectorKind.TAG;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tagpurge.testing.FreePort;
import dev.tagpurge.testing.LocalRedisServer;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.redis.client.Redis;
import java.time.Duration;
import java.util.List;
import java.util.Set;
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

    @Test
    void replicasTogetherStayWithinOneLimit() {
        String target = "t-" + System.nanoTime();
        SharedRateLimiter a =
                new SharedRateLimiter(
                        Redis.createClient(vertx, server.uri()), target, tenPerMinute(), 0.5);
        SharedRateLimiter b =
                new SharedRateLimiter(
                        Redis.createClient(vertx, server.uri()), target, tenPerMinute(), 0.5);

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
    void aThrottleSignalEmptiesTheSharedBucketForEveryReplica() {
        String target = "t-" + System.nanoTime();
        SharedRateLimiter a =
                new SharedRateLimiter(
                        Redis.createClient(vertx, server.uri()), target, tenPerMinute(), 0.5);
        SharedRateLimiter b =
                new SharedRateLimiter(
                        Redis.createClient(vertx, server.uri()), target, tenPerMinute(), 0.5);
        assertThat(a.tryAcquire(TAG, 1).await().atMost(WAIT)).isZero();

        a.onThrottled(TAG);

        org.awaitility.Awaitility.await()
                .atMost(WAIT)
                .until(() -> b.tryAcquire(TAG, 1).await().atMost(WAIT) > 0);
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
}
