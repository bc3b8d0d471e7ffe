package dev.tagpurge.purge;

import dev.tagpurge.config.TagpurgeConfig;
import dev.tagpurge.config.TargetConfig;
import dev.tagpurge.metrics.MetricNames;
import dev.tagpurge.ratelimit.BucketMargins;
import dev.tagpurge.ratelimit.BucketRule;
import dev.tagpurge.ratelimit.FallbackShare;
import dev.tagpurge.ratelimit.LocalRateLimiter;
import dev.tagpurge.ratelimit.RateLimiter;
import dev.tagpurge.ratelimit.SharedRateLimiter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.quarkus.redis.client.RedisClientName;
import io.vertx.mutiny.redis.client.Redis;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Default;
import jakarta.enterprise.inject.Instance;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.function.DoubleSupplier;

/**
 * Builds each target's {@link RateLimiter} from its configuration: the provider's documented
 * buckets (its adapter's {@link Purger#rateLimits()}) with the target's overrides, local or shared
 * in Redis.
 */
@ApplicationScoped
public class RateLimiterFactory {

    private final TagpurgeConfig config;
    private final Instance<Redis> redisClients;
    private final MeterRegistry registry;
    private final ConsumerGroupMembership membership;

    public RateLimiterFactory(
            TagpurgeConfig config,
            @Any Instance<Redis> redisClients,
            MeterRegistry registry,
            ConsumerGroupMembership membership) {
        this.config = config;
        this.redisClients = redisClients;
        this.registry = registry;
        this.membership = membership;
    }

    /**
     * The limiter of target {@code name}; {@link RateLimiter#UNLIMITED} when it has no buckets.
     *
     * @param maxInFlight the target's concurrent requests, for the in-flight part of the margin
     * @param purger the target's adapter: its provider's buckets ({@link Purger#rateLimits()}) and
     *     its items per request, likewise for buckets counting items
     */
    public RateLimiter create(String name, TargetConfig target, int maxInFlight, Purger purger) {
        List<BucketRule> rules =
                BucketMargins.withMargin(
                        rules(name, target, purger.rateLimits()),
                        config.ratelimit().margin(),
                        maxInFlight,
                        purger.limits());
        if (rules.isEmpty()) {
            return RateLimiter.UNLIMITED;
        }
        if (!config.ratelimit().shared()) {
            return new LocalRateLimiter(rules);
        }
        SharedRateLimiter shared =
                new SharedRateLimiter(
                        redis(), name, rules, fallbackShare(), config.ratelimit().redisTimeout());
        registry.gauge(
                MetricNames.RATELIMIT_FALLBACK,
                Tags.of("target", name),
                shared,
                s -> s.isFallingBack() ? 1 : 0);
        registry.gauge(
                MetricNames.RATELIMIT_FALLBACK_SHARE,
                Tags.of("target", name),
                shared,
                SharedRateLimiter::fallbackShare);
        return shared;
    }

    /**
     * This replica's share while Redis is unreachable: the explicit {@code fallback-share}, else
     * one over the input group's live members, else one over {@code max-replicas}.
     */
    private DoubleSupplier fallbackShare() {
        OptionalDouble explicit =
                config.ratelimit()
                        .fallbackShare()
                        .map(OptionalDouble::of)
                        .orElse(OptionalDouble.empty());
        int maxReplicas = config.ratelimit().maxReplicas();
        double checked = FallbackShare.of(explicit, OptionalInt.empty(), maxReplicas);
        if (explicit.isPresent()) {
            return () -> checked;
        }
        membership.start();
        return () -> FallbackShare.of(explicit, membership.members(), maxReplicas);
    }

    /**
     * The provider's defaults with {@code tagpurge.targets.<name>.rate-limits.<bucket>.*} applied.
     */
    static List<BucketRule> rules(String name, TargetConfig target, List<BucketRule> defaults) {
        List<BucketRule> rules = new ArrayList<>(defaults.size());
        for (BucketRule d : defaults) {
            TargetConfig.BucketOverride o = target.rateLimits().get(d.name());
            rules.add(
                    o == null
                            ? d
                            : new BucketRule(
                                    d.name(),
                                    o.capacity().orElse(d.capacity()),
                                    o.refillTokens().orElse(d.refillTokens()),
                                    o.refillPeriod().orElse(d.refillPeriod()),
                                    d.kinds(),
                                    d.perItem(),
                                    d.weight()));
        }
        for (Map.Entry<String, TargetConfig.BucketOverride> o : target.rateLimits().entrySet()) {
            if (defaults.stream().noneMatch(d -> d.name().equals(o.getKey()))) {
                throw new IllegalArgumentException(
                        "tagpurge.targets."
                                + name
                                + ".rate-limits."
                                + o.getKey()
                                + ": no such bucket for provider "
                                + target.provider()
                                + "; known: "
                                + defaults.stream().map(BucketRule::name).toList());
            }
        }
        return rules;
    }

    private Redis redis() {
        return config.ratelimit()
                .redisClient()
                .map(n -> redisClients.select(RedisClientName.Literal.of(n)).get())
                .orElseGet(() -> redisClients.select(Default.Literal.INSTANCE).get());
    }
}
