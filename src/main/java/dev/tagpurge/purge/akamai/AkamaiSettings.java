package dev.tagpurge.purge.akamai;

import static dev.tagpurge.purge.TargetKeys.key;
import static dev.tagpurge.purge.TargetKeys.required;

import dev.tagpurge.config.TargetConfig;
import dev.tagpurge.purge.TargetKeys;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The validated settings of one Akamai Fast Purge (CCU v3) target.
 *
 * @param target the configured target name
 * @param baseUrl the API root without a trailing slash: the credential's {@code
 *     https://akab-….purge.akamaiapis.net}, or the sandbox's {@code …/akamai}
 * @param signingHost the {@code host[:port]} that EdgeGrid signs, as the HTTP client sends it in
 *     {@code Host} (the port only when it is not the scheme's default)
 * @param basePath the path of {@code baseUrl} ({@code ""} for a bare host); part of the signed path
 * @param clientToken EdgeGrid client token; never printed (see {@link #toString()})
 * @param clientSecret EdgeGrid client secret; never printed
 * @param accessToken EdgeGrid access token; never printed
 * @param network {@code staging} or {@code production}, as in the CCU v3 path
 * @param cpCodes the CP codes that an "everything" purge invalidates or deletes
 * @param defaultHost host that completes path-only URLs: the first entry of {@code hosts}
 * @param maxTags tags per request, at most {@value #MAX_TAGS_PER_REQUEST}
 * @param maxUrls URLs per request, at most {@value #MAX_URLS_PER_REQUEST}
 */
public record AkamaiSettings(
        String target,
        String baseUrl,
        String signingHost,
        String basePath,
        String clientToken,
        String clientSecret,
        String accessToken,
        String network,
        List<Long> cpCodes,
        Optional<String> defaultHost,
        int maxTags,
        int maxUrls) {

    /**
     * Tags per request by default: the burst of Akamai's cache-tag bucket, so that one request can
     * always be admitted by an idle account (a denied request consumes nothing, so a larger one
     * would be refused forever).
     */
    public static final int MAX_TAGS_PER_REQUEST = 5_000;

    /** URLs per request by default: the burst of Akamai's URL-object bucket (see tags). */
    public static final int MAX_URLS_PER_REQUEST = 10_000;

    public AkamaiSettings {
        cpCodes = List.copyOf(cpCodes);
    }

    /**
     * Reads and validates a target's configuration; a missing or invalid key fails with the key's
     * full name. {@code base-url} is required: Akamai has no single API host, each credential has
     * its own.
     */
    public static AkamaiSettings from(String name, TargetConfig config, AkamaiTargets.Keys keys) {
        String baseUrl =
                TargetKeys.baseUrl(name, required("akamai", name, "base-url", config.baseUrl()));
        URI uri = URI.create(baseUrl);
        return new AkamaiSettings(
                name,
                baseUrl,
                signingHost(uri),
                uri.getRawPath() == null ? "" : uri.getRawPath(),
                required("akamai", name, "client-token", keys.clientToken()),
                required("akamai", name, "client-secret", keys.clientSecret()),
                required("akamai", name, "access-token", keys.accessToken()),
                keys.network().label(),
                cpCodes(name, keys.cpCodes().orElse(List.of())),
                config.hosts().flatMap(TargetKeys::firstHost),
                batchSize(name, config, MAX_TAGS_PER_REQUEST),
                batchSize(name, config, MAX_URLS_PER_REQUEST));
    }

    /** Redacts the credential so that logging a settings object can never leak it. */
    @Override
    public String toString() {
        return "AkamaiSettings[target="
                + target
                + ", baseUrl="
                + baseUrl
                + ", clientToken=***, clientSecret=***, accessToken=***, network="
                + network
                + ", cpCodes="
                + cpCodes
                + ", defaultHost="
                + defaultHost
                + ", maxTags="
                + maxTags
                + ", maxUrls="
                + maxUrls
                + "]";
    }

    // EdgeGrid signs the host the client sends in Host: Vert.x leaves out the scheme's default
    // port.
    private static String signingHost(URI uri) {
        int port = uri.getPort();
        int defaultPort = "https".equals(uri.getScheme()) ? 443 : 80;
        String host = uri.getHost().toLowerCase(Locale.ROOT);
        return port == -1 || port == defaultPort ? host : host + ":" + port;
    }

    private static List<Long> cpCodes(String name, List<Long> codes) {
        for (long code : codes) {
            if (code < 1) {
                throw new IllegalArgumentException(
                        key(name, "cp-codes") + " must be positive integers, was " + code);
            }
        }
        return codes.stream().distinct().toList();
    }

    private static int batchSize(String name, TargetConfig config, int max) {
        int batchSize = config.batchSize().orElse(max);
        if (batchSize < 1) {
            throw new IllegalArgumentException(
                    key(name, "batch-size") + " must be at least 1, was " + batchSize);
        }
        return Math.min(batchSize, max);
    }
}
