package dev.tagpurge.sandbox;

import java.time.Clock;

/**
 * Settings of a {@link CdnSandbox}; one component per emulated provider. Start from {@link
 * #defaults()} and use the {@code with…} methods, so that adding a provider does not break callers.
 *
 * @param clock the clock of rate-limit windows and record timestamps
 * @param recorderCapacity purge records kept (the oldest are dropped beyond it)
 * @param fastly the Fastly emulator's settings
 */
public record SandboxSettings(Clock clock, int recorderCapacity, FastlyEmulatorSettings fastly) {

    public SandboxSettings {
        if (recorderCapacity < 1) {
            throw new IllegalArgumentException(
                    "recorder capacity must be positive, was " + recorderCapacity);
        }
    }

    /** The system clock, {@link PurgeRecorder#DEFAULT_CAPACITY} records, default providers. */
    public static SandboxSettings defaults() {
        return new SandboxSettings(
                Clock.systemUTC(),
                PurgeRecorder.DEFAULT_CAPACITY,
                FastlyEmulatorSettings.defaults());
    }

    public SandboxSettings withClock(Clock clock) {
        return new SandboxSettings(clock, recorderCapacity, fastly);
    }

    public SandboxSettings withRecorderCapacity(int capacity) {
        return new SandboxSettings(clock, capacity, fastly);
    }

    public SandboxSettings withFastly(FastlyEmulatorSettings fastly) {
        return new SandboxSettings(clock, recorderCapacity, fastly);
    }
}
