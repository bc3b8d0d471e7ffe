package dev.tagpurge.sandbox;

import java.util.Set;

/**
 * How the Fastly emulator behaves.
 *
 * @param acceptedTokens {@code Fastly-Key} values it accepts; empty accepts any non-empty token
 * @param hourlyLimit counted API calls (purge_all) per token and clock hour; Fastly's is 1000
 */
public record FastlyEmulatorSettings(Set<String> acceptedTokens, int hourlyLimit) {

    /** Fastly's documented budget of non-read API calls per hour. */
    public static final int DEFAULT_HOURLY_LIMIT = 1000;

    public FastlyEmulatorSettings {
        acceptedTokens = Set.copyOf(acceptedTokens);
        if (hourlyLimit < 0) {
            throw new IllegalArgumentException(
                    "hourly limit must not be negative, was " + hourlyLimit);
        }
    }

    /** Any non-empty token, 1000 counted calls per hour. */
    public static FastlyEmulatorSettings defaults() {
        return new FastlyEmulatorSettings(Set.of(), DEFAULT_HOURLY_LIMIT);
    }

    public FastlyEmulatorSettings withAcceptedTokens(String... tokens) {
        return new FastlyEmulatorSettings(Set.of(tokens), hourlyLimit);
    }

    public FastlyEmulatorSettings withHourlyLimit(int limit) {
        return new FastlyEmulatorSettings(acceptedTokens, limit);
    }
}
