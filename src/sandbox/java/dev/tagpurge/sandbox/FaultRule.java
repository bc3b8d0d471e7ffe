package dev.tagpurge.sandbox;

import io.vertx.core.json.JsonObject;
import java.time.Duration;

/**
 * A fault the sandbox injects into one provider's requests, before the request is validated.
 *
 * @param status the HTTP status failing requests get, or {@link #NO_STATUS} to only add latency
 * @param remaining how many more requests fail before the rule expires, or {@link #UNLIMITED}
 * @param rate the fraction of requests that fail, 0–1 (1 for count-limited rules)
 * @param latency delay added to every request while the rule is active
 */
public record FaultRule(int status, int remaining, double rate, Duration latency) {

    /** {@link #status()} of a rule that only adds latency. */
    public static final int NO_STATUS = 0;

    /** {@link #remaining()} of a rule that never expires by itself. */
    public static final int UNLIMITED = -1;

    public FaultRule {
        if (status != NO_STATUS && (status < 400 || status > 599)) {
            throw new IllegalArgumentException("fault status must be 400-599, was " + status);
        }
        if (remaining != UNLIMITED && remaining < 1) {
            throw new IllegalArgumentException("fault count must be at least 1, was " + remaining);
        }
        if (!(rate >= 0 && rate <= 1)) {
            throw new IllegalArgumentException("fault rate must be between 0 and 1, was " + rate);
        }
        if (latency.isNegative()) {
            throw new IllegalArgumentException(
                    "fault latency must not be negative, was " + latency);
        }
    }

    /** The next {@code count} requests fail with {@code status}. */
    public static FaultRule failNext(int status, int count) {
        return new FaultRule(status, count, 1, Duration.ZERO);
    }

    /** Every request fails with {@code status} until cleared. */
    public static FaultRule failAlways(int status) {
        return new FaultRule(status, UNLIMITED, 1, Duration.ZERO);
    }

    /** Each request fails with {@code status} with probability {@code rate}, until cleared. */
    public static FaultRule failRate(int status, double rate) {
        return new FaultRule(status, UNLIMITED, rate, Duration.ZERO);
    }

    /** Every request is delayed by {@code latency} and otherwise served normally, until cleared. */
    public static FaultRule latencyOnly(Duration latency) {
        return new FaultRule(NO_STATUS, UNLIMITED, 0, latency);
    }

    /** This rule with another added latency. */
    public FaultRule withLatency(Duration latency) {
        return new FaultRule(status, remaining, rate, latency);
    }

    FaultRule withRemaining(int remaining) {
        return new FaultRule(status, remaining, rate, latency);
    }

    /** The JSON form served by the sandbox admin API. */
    public JsonObject toJson() {
        JsonObject json = new JsonObject().put("latencyMs", latency.toMillis());
        if (status != NO_STATUS) {
            json.put("status", status).put("rate", rate);
        }
        if (remaining != UNLIMITED) {
            json.put("count", remaining);
        }
        return json;
    }
}
