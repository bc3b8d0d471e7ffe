package dev.tagpurge.sandbox;

import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.DoubleSupplier;

/**
 * Faults to inject per provider: fail the next N requests, fail always or a fraction of requests
 * with a status, add latency. One rule per provider; setting a rule replaces the previous one.
 * Thread-safe.
 */
public final class FaultInjector {

    /** What to do with one request. */
    public record Decision(Optional<Integer> status, Duration latency) {

        /** Serve the request normally, at once. */
        public static final Decision NONE = new Decision(Optional.empty(), Duration.ZERO);
    }

    private final ConcurrentMap<String, FaultRule> rules = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, MixedFault> mixed = new ConcurrentHashMap<>();
    private final DoubleSupplier random;

    public FaultInjector() {
        this(() -> ThreadLocalRandom.current().nextDouble());
    }

    /** A fault injector drawing from {@code random} (values in [0, 1)) for rate rules. */
    public FaultInjector(DoubleSupplier random) {
        this.random = random;
    }

    /** Sets {@code provider}'s rule, replacing any previous one. */
    public void set(String provider, FaultRule rule) {
        mixed.remove(provider);
        rules.put(provider, rule);
    }

    /** The next {@code count} requests to {@code provider} fail with {@code status}. */
    public void failNext(String provider, int status, int count) {
        set(provider, FaultRule.failNext(status, count));
    }

    /** Every request to {@code provider} fails with {@code status} until cleared. */
    public void failAlways(String provider, int status) {
        set(provider, FaultRule.failAlways(status));
    }

    /** A fraction {@code rate} of requests to {@code provider} fails with {@code status}. */
    public void failRate(String provider, int status, double rate) {
        set(provider, FaultRule.failRate(status, rate));
    }

    /** Adds latency to {@code provider}'s current rule, or delays every request if it has none. */
    public void addLatency(String provider, Duration latency) {
        rules.merge(
                provider, FaultRule.latencyOnly(latency), (old, added) -> old.withLatency(latency));
    }

    /** The active rules by provider. */
    public Map<String, FaultRule> rules() {
        return Map.copyOf(rules);
    }

    /** Removes every rule. */
    public void clear() {
        rules.clear();
        mixed.clear();
    }

    /** Removes {@code provider}'s rule. */
    public void clear(String provider) {
        rules.remove(provider);
        mixed.remove(provider);
    }

    /**
     * A fraction {@code rate} of {@code provider}'s requests fail, each with one of {@code
     * statuses} or, for {@link #HANG}, by answering only after {@code hang} (a client timeout);
     * until cleared. Which requests fail is drawn at random; the failing ones take the outcomes in
     * turn, so any {@code statuses.size()} failures in a row show each outcome once. Replaces the
     * provider's other rule.
     */
    public void failMixed(String provider, double rate, List<Integer> statuses, Duration hang) {
        rules.remove(provider);
        mixed.put(provider, new MixedFault(rate, List.copyOf(statuses), hang));
    }

    /** In {@link #failMixed}: the request hangs instead of failing with a status. */
    public static final int HANG = -1;

    private record MixedFault(
            double rate, List<Integer> outcomes, Duration hang, AtomicInteger failures) {

        MixedFault(double rate, List<Integer> outcomes, Duration hang) {
            this(rate, outcomes, hang, new AtomicInteger());
        }

        int nextOutcome() {
            return outcomes.get(Math.floorMod(failures.getAndIncrement(), outcomes.size()));
        }
    }

    /**
     * Applies {@code provider}'s fault to one request: decides it, waits its latency on the
     * request's event loop (never blocking it), then hands the decision to {@code respond}.
     */
    public void apply(String provider, RoutingContext ctx, Consumer<Decision> respond) {
        Decision decision = decide(provider);
        long delayMs = decision.latency().toMillis();
        if (delayMs > 0) {
            ctx.vertx().setTimer(delayMs, id -> respond.accept(decision));
        } else {
            respond.accept(decision);
        }
    }

    /** Decides the fate of one request to {@code provider}, consuming a count-limited fault. */
    public Decision decide(String provider) {
        MixedFault m = mixed.get(provider);
        if (m != null) {
            if (random.getAsDouble() >= m.rate() || m.outcomes().isEmpty()) {
                return Decision.NONE;
            }
            int pick = m.nextOutcome();
            return pick == HANG
                    ? new Decision(Optional.empty(), m.hang())
                    : new Decision(Optional.of(pick), Duration.ZERO);
        }
        FaultRule[] applied = new FaultRule[1];
        rules.computeIfPresent(
                provider,
                (p, rule) -> {
                    applied[0] = rule;
                    if (rule.remaining() == FaultRule.UNLIMITED) {
                        return rule;
                    }
                    return rule.remaining() == 1 ? null : rule.withRemaining(rule.remaining() - 1);
                });
        FaultRule rule = applied[0];
        if (rule == null) {
            return Decision.NONE;
        }
        boolean fails =
                rule.status() != FaultRule.NO_STATUS
                        && (rule.remaining() != FaultRule.UNLIMITED
                                || random.getAsDouble() < rule.rate());
        return new Decision(fails ? Optional.of(rule.status()) : Optional.empty(), rule.latency());
    }
}
