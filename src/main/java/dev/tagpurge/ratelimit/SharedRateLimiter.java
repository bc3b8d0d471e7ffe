package dev.tagpurge.ratelimit;

import dev.tagpurge.domain.SelectorKind;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.DoubleSupplier;
import org.jboss.logging.Logger;

/**
 * Token buckets shared by every replica, in Redis ({@code tagpurge.ratelimit.shared=true}): one
 * hash per bucket, updated by a Lua script that takes a request's cost from all its buckets
 * atomically, on the Redis server's clock. Keys carry the target in a hash tag, so a target's
 * buckets share one Cluster slot.
 *
 * <p>When Redis does not answer (an error, or nothing within {@code
 * tagpurge.ratelimit.redis-timeout}), this replica falls back to local buckets holding its share of
 * the limit ({@link FallbackShare}: read from a supplier, as it follows the consumer group's
 * membership), says so in a log line and in {@code tagpurge_ratelimit_fallback}, and tries Redis
 * again every {@link #RETRY_REDIS_AFTER}. When the share changes, the local buckets are rebuilt at
 * the new scale, empty: a full bucket on every replica at once would be a burst above the limit.
 */
public final class SharedRateLimiter implements RateLimiter {

    static final Duration RETRY_REDIS_AFTER = Duration.ofSeconds(5);

    private static final Logger LOG = Logger.getLogger(SharedRateLimiter.class);
    private static final String ACQUIRE = script("acquire.lua");
    private static final String CAP = script("cap.lua");
    private static final String PEEK = script("peek.lua");

    private final Redis redis;
    private final String target;
    private final List<BucketRule> rules;
    private final DoubleSupplier fallbackShare;
    private final AtomicReference<ScaledFallback> fallback = new AtomicReference<>();
    private final AtomicBoolean fallingBack = new AtomicBoolean();
    private final AtomicLong retryRedisAtNanos = new AtomicLong();
    private final Duration redisTimeout;
    private final Duration retryRedisAfter;

    /** Shared buckets with the default Redis timeout, 250 ms. */
    public SharedRateLimiter(
            Redis redis, String target, List<BucketRule> rules, double fallbackShare) {
        this(redis, target, rules, () -> fallbackShare, Duration.ofSeconds(1));
    }

    /**
     * @param fallbackShare this replica's share while Redis is unreachable, read whenever the local
     *     buckets are used; cheap and non-blocking
     * @param redisTimeout {@code tagpurge.ratelimit.redis-timeout}: the longest wait for Redis on
     *     any call, after which this replica uses its local share
     */
    public SharedRateLimiter(
            Redis redis,
            String target,
            List<BucketRule> rules,
            DoubleSupplier fallbackShare,
            Duration redisTimeout) {
        this(redis, target, rules, fallbackShare, redisTimeout, RETRY_REDIS_AFTER);
    }

    SharedRateLimiter(
            Redis redis,
            String target,
            List<BucketRule> rules,
            DoubleSupplier fallbackShare,
            Duration redisTimeout,
            Duration retryRedisAfter) {
        if (redisTimeout.isNegative() || redisTimeout.isZero()) {
            throw new IllegalArgumentException(
                    "tagpurge.ratelimit.redis-timeout must be positive, was " + redisTimeout);
        }
        this.redis = redis;
        this.target = target;
        this.rules = List.copyOf(rules);
        this.fallbackShare = fallbackShare;
        double share = fallbackShare.getAsDouble();
        this.fallback.set(new ScaledFallback(share, scaledLimiter(share)));
        this.redisTimeout = redisTimeout;
        this.retryRedisAfter = retryRedisAfter;
    }

    /** Whether this replica is on its local share because Redis did not answer. */
    public boolean isFallingBack() {
        return fallingBack.get();
    }

    /** The share of the limit the local buckets hold now (the gauge). */
    public double fallbackShare() {
        return fallback().share();
    }

    @Override
    public Uni<Long> tryAcquire(SelectorKind kind, int items) {
        return acquire(kind, items, BucketRule.FULL_REQUEST);
    }

    @Override
    public Uni<Long> tryAcquireSpare(SelectorKind kind, int items, long withinNanos) {
        return acquire(kind, items, Math.max(0, withinNanos));
    }

    /** Takes the cost when every bucket holds {@link BucketRule#tokensNeeded}. */
    private Uni<Long> acquire(SelectorKind kind, int items, long spareWithinNanos) {
        List<BucketRule> counting = counting(kind);
        if (counting.isEmpty()) {
            return Uni.createFrom().item(0L);
        }
        if (fallingBack.get() && System.nanoTime() < retryRedisAtNanos.get()) {
            return fallbackAcquire(kind, items, spareWithinNanos);
        }
        Request eval = Request.cmd(Command.EVAL).arg(ACQUIRE).arg(counting.size());
        counting.forEach(r -> eval.arg(key(r)));
        for (BucketRule r : counting) {
            eval.arg(r.capacity())
                    .arg(r.refillTokens())
                    .arg(periodMillis(r))
                    .arg(r.chargedCost(kind, items))
                    .arg(r.tokensNeeded(kind, items, spareWithinNanos));
        }
        return send(eval)
                .map(SharedRateLimiter::waitNanos)
                .invoke(this::redisAnswered)
                .onFailure()
                .recoverWithUni(
                        failure -> {
                            redisFailed(failure);
                            return fallbackAcquire(kind, items, spareWithinNanos);
                        });
    }

    private Uni<Long> fallbackAcquire(SelectorKind kind, int items, long spareWithinNanos) {
        RateLimiter local = fallback().limiter();
        return spareWithinNanos < 0
                ? local.tryAcquire(kind, items)
                : local.tryAcquireSpare(kind, items, spareWithinNanos);
    }

    @Override
    public void onThrottled(SelectorKind kind) {
        cap(kind, 0);
        fallback().limiter().onThrottled(kind);
    }

    @Override
    public void onRemaining(SelectorKind kind, long remaining) {
        cap(kind, remaining);
        fallback().limiter().onRemaining(kind, remaining);
    }

    /**
     * Reads the shared buckets with a read-only script (refill computed on the Redis server's
     * clock, nothing written). While this replica is on its local share, or when Redis fails or
     * does not answer within the timeout, answers the local share's buckets instead, labelled
     * {@link Budget#FALLBACK}; a read never switches the limiter itself to its fallback.
     */
    @Override
    public Uni<Budget> budget(SelectorKind kind) {
        List<BucketRule> counting = counting(kind);
        if (counting.isEmpty()) {
            return Uni.createFrom().item(new Budget(Budget.SHARED, List.of()));
        }
        if (fallingBack.get() && System.nanoTime() < retryRedisAtNanos.get()) {
            return Uni.createFrom().item(fallbackBudget(kind));
        }
        Request eval = Request.cmd(Command.EVAL).arg(PEEK).arg(counting.size());
        counting.forEach(r -> eval.arg(key(r)));
        counting.forEach(r -> eval.arg(r.capacity()).arg(r.refillTokens()).arg(periodMillis(r)));
        return send(eval)
                .map(
                        response -> {
                            List<Budget.BucketBudget> out = new ArrayList<>(counting.size());
                            for (int i = 0; i < counting.size(); i++) {
                                out.add(
                                        new Budget.BucketBudget(
                                                counting.get(i),
                                                Double.parseDouble(response.get(i).toString())));
                            }
                            return new Budget(Budget.SHARED, out);
                        })
                .onFailure()
                .recoverWithItem(failure -> fallbackBudget(kind));
    }

    private Budget fallbackBudget(SelectorKind kind) {
        return fallback().limiter().budgetNow(kind, Budget.FALLBACK);
    }

    private void cap(SelectorKind kind, long ceiling) {
        List<BucketRule> counting = counting(kind);
        if (counting.isEmpty() || fallingBack.get()) {
            return;
        }
        Request eval = Request.cmd(Command.EVAL).arg(CAP).arg(counting.size());
        counting.forEach(r -> eval.arg(key(r)));
        eval.arg(Math.max(0, ceiling));
        counting.forEach(r -> eval.arg(r.capacity()).arg(r.refillTokens()).arg(periodMillis(r)));
        send(eval).subscribe().with(ok -> {}, this::redisFailed);
    }

    /** The local buckets at the current share, rebuilt (empty) when the share changed. */
    private ScaledFallback fallback() {
        double share = fallbackShare.getAsDouble();
        ScaledFallback current = fallback.get();
        if (current.share() == share) {
            return current;
        }
        LocalRateLimiter rescaled = scaledLimiter(share);
        for (SelectorKind kind : SelectorKind.values()) {
            rescaled.onThrottled(kind);
        }
        ScaledFallback next = new ScaledFallback(share, rescaled);
        if (fallback.compareAndSet(current, next)) {
            LOG.infof(
                    "target %s: fallback share of the rate limits %.4f -> %.4f",
                    target, current.share(), share);
            return next;
        }
        return fallback.get();
    }

    private LocalRateLimiter scaledLimiter(double share) {
        return new LocalRateLimiter(rules.stream().map(r -> r.scaled(share)).toList());
    }

    private record ScaledFallback(double share, LocalRateLimiter limiter) {}

    // A Redis that stalls without refusing connections (stopped, swapping) must not hold the
    // target: past the timeout the call counts as failed and the local share takes over.
    private Uni<Response> send(Request request) {
        return redis.send(request)
                .ifNoItem()
                .after(redisTimeout)
                .failWith(() -> new TimeoutException("no answer within " + redisTimeout));
    }

    // Rounded up: a margin's stretched period must not turn into a faster rate in the script.
    private static long periodMillis(BucketRule r) {
        long nanos = r.refillPeriod().toNanos();
        return (nanos + 999_999) / 1_000_000;
    }

    private List<BucketRule> counting(SelectorKind kind) {
        List<BucketRule> out = new ArrayList<>(rules.size());
        for (BucketRule r : rules) {
            if (r.cost(kind, 1) > 0) {
                out.add(r);
            }
        }
        return out;
    }

    String key(BucketRule rule) {
        return "tagpurge:ratelimit:{" + target + "}:" + rule.name();
    }

    private static long waitNanos(Response response) {
        return TimeUnit.MILLISECONDS.toNanos(response.toLong());
    }

    private void redisAnswered(long ignored) {
        if (fallingBack.compareAndSet(true, false)) {
            LOG.infof(
                    "target %s: shared rate limits in Redis reachable again; leaving the local share",
                    target);
        }
    }

    private void redisFailed(Throwable failure) {
        retryRedisAtNanos.set(System.nanoTime() + retryRedisAfter.toNanos());
        if (fallingBack.compareAndSet(false, true)) {
            LOG.warnf(
                    "target %s: shared rate limits in Redis unreachable (%s); using this replica's share until it answers",
                    target, failure.getMessage());
        }
    }

    private static String script(String name) {
        try (InputStream in = SharedRateLimiter.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
