package dev.tagpurge.it;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/**
 * The Fastly target {@code cdn} with its verification probe on: {@code www.example.com} allowed and
 * reached through the sandbox's Fastly edge, tags {@code vp-<id>} probed at {@code /vp/<id>}, tags
 * {@code vx-<id>} on a host not allowed, and completions waiting for the results.
 */
public class VerificationProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        String probe = "tagpurge.targets.cdn.probe.";
        return Map.ofEntries(
                Map.entry(probe + "enabled", "true"),
                Map.entry(probe + "allowed-hosts", "www.example.com"),
                Map.entry(probe + "delay", "0s"),
                Map.entry(probe + "max-urls", "5"),
                Map.entry(probe + "tag-urls.\"vp-{id}\"", "https://www.example.com/vp/{id}"),
                Map.entry(probe + "tag-urls.\"vx-{id}\"", "https://evil.example.net/vx/{id}"),
                Map.entry(
                        probe + "connect-to.\"www.example.com\"",
                        "${test.tagpurge.sandbox-url}/edge/fastly"),
                Map.entry("tagpurge.verification.completion-wait", "20s"));
    }
}
