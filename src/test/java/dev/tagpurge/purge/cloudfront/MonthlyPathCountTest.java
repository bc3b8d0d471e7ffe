package dev.tagpurge.purge.cloudfront;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tagpurge.purge.BilledPaths;
import dev.tagpurge.testing.FreePort;
import dev.tagpurge.testing.LocalRedisServer;
import dev.tagpurge.testing.MutableClock;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The month's billed paths against a real redis-server: two counters play two replicas. */
class MonthlyPathCountTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final AtomicInteger DISTRIBUTIONS = new AtomicInteger();
    private static LocalRedisServer server;
    private static Vertx vertx;
    private static Redis admin;

    @BeforeAll
    static void start() {
        server = LocalRedisServer.start();
        vertx = Vertx.vertx();
        admin = Redis.createClient(vertx, server.uri());
    }

    @AfterAll
    static void stop() {
        admin.close();
        vertx.closeAndAwait();
        server.close();
    }

    private static String distribution() {
        return "E" + ProcessHandle.current().pid() + "X" + DISTRIBUTIONS.incrementAndGet();
    }

    private static MonthlyPathCount count(String uri, String distribution, MutableClock clock) {
        return new MonthlyPathCount(
                Optional.of(Redis.createClient(vertx, uri)), "dist", distribution, clock);
    }

    private static Response redis(Request request) {
        return admin.send(request).await().atMost(WAIT);
    }

    private static long stored(String key) {
        Response value = redis(Request.cmd(Command.GET).arg(key));
        return value == null ? 0 : value.toLong();
    }

    @Test
    void replicasAddUpInOneKeyPerDistributionAndMonth() {
        MutableClock clock = new MutableClock(Instant.parse("2026-12-02T10:00:00Z"));
        String distribution = distribution();
        MonthlyPathCount a = count(server.uri(), distribution, clock);
        MonthlyPathCount b = count(server.uri(), distribution, clock);

        a.add(3);
        b.add(4);

        String key = "tagpurge:cloudfront:paths:" + distribution + ":2026-12";
        await().atMost(WAIT).until(() -> stored(key) == 7);
        BilledPaths seenByA = a.current().await().atMost(WAIT);
        assertThat(seenByA.paths()).isEqualTo(7);
        assertThat(seenByA.month()).isEqualTo(YearMonth.of(2026, 12));
        assertThat(seenByA.countedBy()).contains("every replica").contains(key);
        assertThat(b.current().await().atMost(WAIT).paths()).isEqualTo(7);
        // kept 31 days after the month ends: 2027-01-01 + 31 days
        assertThat(redis(Request.cmd(Command.EXPIRETIME).arg(key)).toLong())
                .isEqualTo(Instant.parse("2027-02-01T00:00:00Z").getEpochSecond());
        assertThat(a.isFallingBack()).isFalse();
    }

    @Test
    void aNewMonthStartsAtZeroInItsOwnKey() {
        MutableClock clock = new MutableClock(Instant.parse("2027-01-31T23:59:00Z"));
        String distribution = distribution();
        MonthlyPathCount count = count(server.uri(), distribution, clock);
        count.add(5);
        await().atMost(WAIT).until(() -> count.current().await().atMost(WAIT).paths() == 5);

        clock.advance(Duration.ofMinutes(2));

        assertThat(count.snapshot().paths()).isZero();
        assertThat(count.snapshot().month()).isEqualTo(YearMonth.of(2027, 2));
        count.add(2);
        await().atMost(WAIT).until(() -> count.current().await().atMost(WAIT).paths() == 2);
        assertThat(stored("tagpurge:cloudfront:paths:" + distribution + ":2027-01")).isEqualTo(5);
        assertThat(stored("tagpurge:cloudfront:paths:" + distribution + ":2027-02")).isEqualTo(2);
    }

    @Test
    void aReplicaSeesWhatAnotherSentOnceItRefreshes() {
        MutableClock clock = new MutableClock(Instant.parse("2026-12-02T10:00:00Z"));
        String distribution = distribution();
        MonthlyPathCount reader = count(server.uri(), distribution, clock);
        MonthlyPathCount writer = count(server.uri(), distribution, clock);
        assertThat(reader.current().await().atMost(WAIT).paths()).isZero();

        writer.add(1200);
        await().atMost(WAIT)
                .until(
                        () ->
                                stored("tagpurge:cloudfront:paths:" + distribution + ":2026-12")
                                        == 1200);
        clock.advance(MonthlyPathCount.REFRESH_AFTER);

        // a gauge read returns at once and refreshes in the background
        await().atMost(WAIT).until(() -> reader.paths() == 1200);
        assertThat(reader.costUsd()).isEqualTo(1.0);
    }

    @Test
    void withoutRedisTheReplicaCountsAloneAndSaysSo() {
        MutableClock clock = new MutableClock(Instant.parse("2026-12-02T10:00:00Z"));
        MonthlyPathCount alone =
                count("redis://127.0.0.1:" + FreePort.pick(), distribution(), clock);

        alone.add(3);

        await().atMost(WAIT).until(alone::isFallingBack);
        BilledPaths local = alone.current().await().atMost(WAIT);
        assertThat(local.paths()).isEqualTo(3);
        assertThat(local.countedBy()).contains("this replica's own").contains("3 paths");
        alone.add(2);
        assertThat(alone.paths()).isEqualTo(5);
    }

    @Test
    void pathsCountedWhileRedisWasAwayAreStoredWhenItAnswersAgain() {
        MutableClock clock = new MutableClock(Instant.parse("2026-12-02T10:00:00Z"));
        String distribution = distribution();
        String key = "tagpurge:cloudfront:paths:" + distribution + ":2026-12";
        int port = FreePort.pick();
        MonthlyPathCount count = count("redis://127.0.0.1:" + port, distribution, clock);
        count.add(3);
        await().atMost(WAIT).until(count::isFallingBack);

        try (LocalRedisServer back = LocalRedisServer.start(port)) {
            clock.advance(MonthlyPathCount.RETRY_REDIS_AFTER);
            count.add(1);

            await().atMost(WAIT).until(() -> !count.isFallingBack());
            Redis direct = Redis.createClient(vertx, back.uri());
            try {
                await().atMost(WAIT)
                        .until(
                                () ->
                                        direct.send(Request.cmd(Command.GET).arg(key))
                                                        .await()
                                                        .atMost(WAIT)
                                                        .toLong()
                                                == 4);
            } finally {
                direct.close();
            }
            assertThat(count.snapshot().paths()).isEqualTo(4);
        }
    }

    @Test
    void withoutAnyRedisClientTheCountIsLocalFromTheStart() {
        MonthlyPathCount local =
                new MonthlyPathCount(
                        Optional.empty(),
                        "dist",
                        distribution(),
                        new MutableClock(Instant.parse("2026-12-02T10:00:00Z")));

        local.add(1001);

        assertThat(local.paths()).isEqualTo(1001);
        assertThat(local.snapshot().countedBy()).contains("this replica alone");
        assertThat(local.costUsd()).isEqualTo(0.005);
    }
}
