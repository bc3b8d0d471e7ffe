package dev.tagpurge.sandbox;

import java.time.Duration;

/**
 * How the Akamai Fast Purge emulator behaves: the one EdgeGrid credential it accepts and its four
 * account-wide token buckets.
 *
 * @param clientToken the accepted EdgeGrid client token
 * @param clientSecret the secret signatures are verified with; never printed
 * @param accessToken the accepted EdgeGrid access token
 * @param requests API requests: 100 burst, 50 per second
 * @param urls URL objects: 10,000 burst, 200 per second
 * @param cpCodes CP-code objects: 300 burst, 30 per minute
 * @param tags cache-tag objects: 5,000 burst, 500 per minute
 */
public record AkamaiEmulatorSettings(
        String clientToken,
        String clientSecret,
        String accessToken,
        Bucket requests,
        Bucket urls,
        Bucket cpCodes,
        Bucket tags) {

    /** The client token of the default sandbox credential. */
    public static final String DEFAULT_CLIENT_TOKEN = "akab-sandbox-client-token";

    /** The client secret of the default sandbox credential: not a secret, a sandbox fixture. */
    public static final String DEFAULT_CLIENT_SECRET = "sandbox-client-secret";

    /** The access token of the default sandbox credential. */
    public static final String DEFAULT_ACCESS_TOKEN = "akab-sandbox-access-token";

    /**
     * A token bucket: it holds at most {@code burst} tokens and gains {@code refill} tokens per
     * {@code period}, continuously.
     */
    public record Bucket(long burst, long refill, Duration period) {

        public Bucket {
            if (burst < 1 || refill < 1 || period.isNegative() || period.isZero()) {
                throw new IllegalArgumentException(
                        "bucket burst, refill and period must be positive, was "
                                + burst
                                + ", "
                                + refill
                                + " per "
                                + period);
            }
        }

        /** {@code burst} tokens, refilled at {@code perSecond} per second. */
        public static Bucket perSecond(long burst, long perSecond) {
            return new Bucket(burst, perSecond, Duration.ofSeconds(1));
        }

        /** {@code burst} tokens, refilled at {@code perMinute} per minute. */
        public static Bucket perMinute(long burst, long perMinute) {
            return new Bucket(burst, perMinute, Duration.ofMinutes(1));
        }
    }

    public AkamaiEmulatorSettings {
        requireText("client token", clientToken);
        requireText("client secret", clientSecret);
        requireText("access token", accessToken);
        if (requests == null || urls == null || cpCodes == null || tags == null) {
            throw new IllegalArgumentException("every akamai bucket must be set");
        }
    }

    /** The default sandbox credential and Akamai's documented buckets. */
    public static AkamaiEmulatorSettings defaults() {
        return new AkamaiEmulatorSettings(
                DEFAULT_CLIENT_TOKEN,
                DEFAULT_CLIENT_SECRET,
                DEFAULT_ACCESS_TOKEN,
                Bucket.perSecond(100, 50),
                Bucket.perSecond(10_000, 200),
                Bucket.perMinute(300, 30),
                Bucket.perMinute(5_000, 500));
    }

    public AkamaiEmulatorSettings withCredential(
            String clientToken, String clientSecret, String accessToken) {
        return new AkamaiEmulatorSettings(
                clientToken, clientSecret, accessToken, requests, urls, cpCodes, tags);
    }

    public AkamaiEmulatorSettings withRequests(Bucket bucket) {
        return new AkamaiEmulatorSettings(
                clientToken, clientSecret, accessToken, bucket, urls, cpCodes, tags);
    }

    public AkamaiEmulatorSettings withUrls(Bucket bucket) {
        return new AkamaiEmulatorSettings(
                clientToken, clientSecret, accessToken, requests, bucket, cpCodes, tags);
    }

    public AkamaiEmulatorSettings withCpCodes(Bucket bucket) {
        return new AkamaiEmulatorSettings(
                clientToken, clientSecret, accessToken, requests, urls, bucket, tags);
    }

    public AkamaiEmulatorSettings withTags(Bucket bucket) {
        return new AkamaiEmulatorSettings(
                clientToken, clientSecret, accessToken, requests, urls, cpCodes, bucket);
    }

    /** Redacts the secret, so that printing the settings never shows it. */
    @Override
    public String toString() {
        return "AkamaiEmulatorSettings[clientToken="
                + clientToken
                + ", clientSecret=***, accessToken="
                + accessToken
                + ", requests="
                + requests
                + ", urls="
                + urls
                + ", cpCodes="
                + cpCodes
                + ", tags="
                + tags
                + "]";
    }

    private static void requireText(String what, String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("the akamai emulator needs a " + what);
        }
    }
}
