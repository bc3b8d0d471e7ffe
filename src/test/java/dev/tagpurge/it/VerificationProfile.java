package dev.tagpurge.it;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.HashMap;
import java.util.Map;

/**
 * The verification probe on all four CDN targets, each reached through its provider's sandbox edge,
 * completions waiting for the results. Fastly's {@code cdn}: {@code www.example.com} allowed, tags
 * {@code vp-<id>} probed at {@code /vp/<id>}, tags {@code vx-<id>} on a host not allowed.
 * Cloudflare's {@code zone}, CloudFront's {@code dist} and Akamai's {@code edge}: {@code
 * multi.example.com} allowed, tags {@code multi-vp-<id>} probed at {@code /vp/<id>}.
 */
public class VerificationProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        Map<String, String> config = new HashMap<>();
        String probe = "tagpurge.targets.cdn.probe.";
        config.putAll(probe(probe, "www.example.com", "fastly"));
        config.put(probe + "tag-urls.\"vp-{id}\"", "https://www.example.com/vp/{id}");
        config.put(probe + "tag-urls.\"vx-{id}\"", "https://evil.example.net/vx/{id}");
        for (Map.Entry<String, String> target :
                Map.of("zone", "cloudflare", "dist", "cloudfront", "edge", "akamai").entrySet()) {
            probe = "tagpurge.targets." + target.getKey() + ".probe.";
            config.putAll(probe(probe, "multi.example.com", target.getValue()));
            config.put(probe + "tag-urls.\"multi-vp-{id}\"", "https://multi.example.com/vp/{id}");
        }
        config.put("tagpurge.verification.completion-wait", "20s");
        return config;
    }

    private static Map<String, String> probe(String probe, String host, String provider) {
        return Map.of(
                probe + "enabled", "true",
                probe + "allowed-hosts", host,
                probe + "delay", "0s",
                probe + "max-urls", "5",
                probe + "connect-to.\"" + host + "\"",
                        "${test.tagpurge.sandbox-url}/edge/" + provider);
    }
}
