package dev.tagpurge.sandbox;

import java.time.Clock;

/**
 * Settings of a {@link CdnSandbox}; one component per emulated provider. Start from {@link
 * #defaults()} and use the {@code with…} methods, so that adding a provider does not break callers.
 *
 * @param clock the clock of rate-limit windows and record timestamps
 * @param recorderCapacity purge records kept (the oldest are dropped beyond it)
 * @param fastly the Fastly emulator's settings
 * @param cloudflare the Cloudflare emulator's settings
 * @param akamai the Akamai emulator's settings (its accepted EdgeGrid credential, its buckets)
 * @param cloudfront the CloudFront emulator's settings (InProgress time, in-progress limits)
 */
public record SandboxSettings(
        Clock clock,
        int recorderCapacity,
        FastlyEmulatorSettings fastly,
        CloudflareEmulatorSettings cloudflare,
        AkamaiEmulatorSettings akamai,
        CloudFrontEmulatorSettings cloudfront) {

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
                FastlyEmulatorSettings.defaults(),
                CloudflareEmulatorSettings.defaults(),
                AkamaiEmulatorSettings.defaults(),
                CloudFrontEmulatorSettings.defaults());
    }

    public SandboxSettings withClock(Clock clock) {
        return new SandboxSettings(clock, recorderCapacity, fastly, cloudflare, akamai, cloudfront);
    }

    public SandboxSettings withRecorderCapacity(int capacity) {
        return new SandboxSettings(clock, capacity, fastly, cloudflare, akamai, cloudfront);
    }

    public SandboxSettings withFastly(FastlyEmulatorSettings fastly) {
        return new SandboxSettings(clock, recorderCapacity, fastly, cloudflare, akamai, cloudfront);
    }

    public SandboxSettings withCloudflare(CloudflareEmulatorSettings cloudflare) {
        return new SandboxSettings(clock, recorderCapacity, fastly, cloudflare, akamai, cloudfront);
    }

    public SandboxSettings withAkamai(AkamaiEmulatorSettings akamai) {
        return new SandboxSettings(clock, recorderCapacity, fastly, cloudflare, akamai, cloudfront);
    }

    public SandboxSettings withCloudFront(CloudFrontEmulatorSettings cloudfront) {
        return new SandboxSettings(clock, recorderCapacity, fastly, cloudflare, akamai, cloudfront);
    }
}
