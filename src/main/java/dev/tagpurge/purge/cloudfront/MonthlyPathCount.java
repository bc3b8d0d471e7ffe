package dev.tagpurge.purge.cloudfront;

import dev.tagpurge.purge.BilledPaths;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.concurrent.TimeoutException;
import org.jboss.logging.Logger;

/**
 * The invalidation paths submitted to one distribution in the current calendar month (UTC), as
 * CloudFront bills them, shared by every replica in Redis: {@code INCRBY} on {@code
 * tagpurge:cloudfront:paths:<distributionId>:<yyyy-MM>}, which expires {@link #KEPT_AFTER_MONTH}
 * after its month ends.
 *
 * <p>Counting never blocks nor fails a purge: {@link #add} only queues the increment. When Redis
 * does not answer (an error, or nothing within {@link #REDIS_TIMEOUT}), the paths are kept here, a
 * log line says the count is this replica's own, and they are sent once Redis answers again (tried
 * at most every {@link #RETRY_REDIS_AFTER}). Reads ({@link #paths()}, for gauges) never wait
 * either: they return the last total Redis answered plus what this replica has not stored yet, and
 * refresh it in the background when older than {@link #REFRESH_AFTER}, so paths other replicas sent
 * show up here too. A month's paths still unsent when the month ends are dropped with a log line.
 * Thread-safe.
 */
final class MonthlyPathCount {

    /** CloudFront's free invalidation paths per month, per AWS account. */
    static final int FREE_PATHS_PER_MONTH = 1000;

    /** CloudFront's price per invalidation path past the free ones. */
    static final double USD_PER_PATH = 0.005;

    static final Duration REDIS_TIMEOUT = Duration.ofSeconds(2);
    static final Duration RETRY_REDIS_AFTER = Duration.ofSeconds(5);
    static final Duration REFRESH_AFTER = Duration.ofSeconds(15);

    /** How long a month's key stays after the month, for a look back at last month's count. */
    static final Duration KEPT_AFTER_MONTH = Duration.ofDays(31);

    private static final Logger LOG = Logger.getLogger(MonthlyPathCount.class);
    private static final String INCREMENT =
            "local n = redis.call('INCRBY', KEYS[1], ARGV[1])\n"
                    + "redis.call('EXPIREAT', KEYS[1], ARGV[2])\n"
                    + "return n";

    private final Optional<Redis> redis;
    private final String target;
    private final String distributionId;
    private final Clock clock;

    // guarded by this
    private YearMonth month;
    private long shared;
    private long unsent;
    private long sending;
    private boolean refreshing;
    private boolean fallingBack;
    private Instant retryRedisAt = Instant.MIN;
    private Instant refreshedAt;

    /**
     * @param redis the shared store; empty counts on this replica alone
     */
    MonthlyPathCount(Optional<Redis> redis, String target, String distributionId, Clock clock) {
        this.redis = redis;
        this.target = target;
        this.distributionId = distributionId;
        this.clock = clock;
        this.month = YearMonth.now(clock.withZone(ZoneOffset.UTC));
    }

    /** Counts {@code paths} more for the current month; returns at once. */
    void add(int paths) {
        if (paths <= 0) {
            return;
        }
        synchronized (this) {
            roll();
            unsent += paths;
        }
        flush();
    }

    /** The month's paths as far as this replica knows now; starts a refresh when stale. */
    long paths() {
        boolean refresh;
        long paths;
        synchronized (this) {
            roll();
            paths = shared + unsent + sending;
            refresh = redisUsable() && !refreshing && stale();
        }
        if (refresh) {
            refresh().subscribe().with(ok -> {}, failure -> {});
        }
        return paths;
    }

    /** What a preview shows: the month's count read from Redis now, or this replica's own. */
    Uni<BilledPaths> current() {
        boolean ask;
        synchronized (this) {
            roll();
            ask = redisUsable() && !refreshing;
        }
        Uni<Void> read = ask ? refresh() : Uni.createFrom().voidItem();
        return read.onFailure().recoverWithItem((Void) null).map(ignored -> snapshot());
    }

    /** The count now, without asking Redis. */
    synchronized BilledPaths snapshot() {
        roll();
        return new BilledPaths(
                month, shared + unsent + sending, countedBy(), FREE_PATHS_PER_MONTH, USD_PER_PATH);
    }

    /** The month's cost estimate past the free paths ({@link BilledPaths#costUsd()}). */
    double costUsd() {
        paths();
        return snapshot().costUsd();
    }

    /** Whether the count is this replica's own because Redis did not answer. */
    synchronized boolean isFallingBack() {
        return fallingBack;
    }

    /** The Redis key of a month's count. */
    String key(YearMonth m) {
        return "tagpurge:cloudfront:paths:" + distributionId + ":" + m;
    }

    private String countedBy() {
        if (redis.isEmpty()) {
            return "this replica alone (no Redis client): paths other replicas sent are missing";
        }
        if (fallingBack) {
            return "this replica's own while Redis does not answer: the last total read from Redis"
                    + " plus "
                    + unsent
                    + " paths not stored yet; other replicas' paths since then are missing";
        }
        return "every replica, in Redis (" + key(month) + ")";
    }

    private void flush() {
        YearMonth m;
        long n;
        synchronized (this) {
            if (!redisUsable() || unsent == 0) {
                return;
            }
            m = month;
            n = unsent;
            unsent = 0;
            sending += n;
        }
        long expireAt =
                m.plusMonths(1)
                        .atDay(1)
                        .atStartOfDay(ZoneOffset.UTC)
                        .toInstant()
                        .plus(KEPT_AFTER_MONTH)
                        .getEpochSecond();
        send(Request.cmd(Command.EVAL).arg(INCREMENT).arg(1).arg(key(m)).arg(n).arg(expireAt))
                .subscribe()
                .with(
                        total -> {
                            synchronized (this) {
                                if (month.equals(m)) {
                                    sending -= n;
                                    shared = Math.max(shared, total.toLong());
                                    refreshedAt = clock.instant();
                                }
                                answered();
                            }
                        },
                        failure -> {
                            synchronized (this) {
                                if (month.equals(m)) {
                                    sending -= n;
                                    unsent += n;
                                } else {
                                    LOG.warnf(
                                            "target %s: %d CloudFront paths of %s were not stored"
                                                    + " in Redis before the month ended",
                                            target, n, m);
                                }
                                failed(failure);
                            }
                        });
    }

    private Uni<Void> refresh() {
        return Uni.createFrom().deferred(this::startRefresh);
    }

    private Uni<Void> startRefresh() {
        YearMonth m;
        synchronized (this) {
            m = month;
            refreshing = true;
        }
        return send(Request.cmd(Command.GET).arg(key(m)))
                .onItemOrFailure()
                .transform(
                        (response, failure) -> {
                            synchronized (this) {
                                refreshing = false;
                                if (failure != null) {
                                    failed(failure);
                                    return null;
                                }
                                if (month.equals(m)) {
                                    shared =
                                            Math.max(
                                                    shared,
                                                    response == null ? 0 : response.toLong());
                                    refreshedAt = clock.instant();
                                }
                                answered();
                            }
                            flush();
                            return null;
                        });
    }

    // A Redis that stalls must not hold anything: past the timeout the call counts as failed.
    private Uni<Response> send(Request request) {
        return redis.orElseThrow()
                .send(request)
                .ifNoItem()
                .after(REDIS_TIMEOUT)
                .failWith(() -> new TimeoutException("no answer within " + REDIS_TIMEOUT));
    }

    // Callers hold the lock.
    private void roll() {
        YearMonth now = YearMonth.now(clock.withZone(ZoneOffset.UTC));
        if (now.equals(month)) {
            return;
        }
        if (unsent > 0) {
            LOG.warnf(
                    "target %s: %d CloudFront paths of %s were not stored in Redis before the"
                            + " month ended",
                    target, unsent, month);
        }
        month = now;
        shared = 0;
        unsent = 0;
        sending = 0;
        refreshedAt = null;
    }

    private boolean redisUsable() {
        return redis.isPresent() && (!fallingBack || !clock.instant().isBefore(retryRedisAt));
    }

    private boolean stale() {
        return refreshedAt == null || !clock.instant().isBefore(refreshedAt.plus(REFRESH_AFTER));
    }

    private void answered() {
        if (fallingBack) {
            fallingBack = false;
            LOG.infof(
                    "target %s: Redis answers again; CloudFront paths billed are counted for every"
                            + " replica",
                    target);
        }
    }

    private void failed(Throwable failure) {
        retryRedisAt = clock.instant().plus(RETRY_REDIS_AFTER);
        if (!fallingBack) {
            fallingBack = true;
            LOG.warnf(
                    "target %s: Redis does not answer (%s); CloudFront paths billed are counted by"
                            + " this replica alone until it does",
                    target, failure.getMessage());
        }
    }
}
