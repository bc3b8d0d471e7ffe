package dev.tagpurge.admin;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** The operator purge API ({@code tagpurge.operator.*}). */
@ConfigMapping(prefix = "tagpurge.operator")
public interface OperatorConfig {

    /**
     * Serve {@code /api/purges}. Default false: the API needs an OIDC issuer ({@code
     * quarkus.oidc.auth-server-url}), and in production start-up refuses an enabled API without
     * one. Dev and test runs enable it.
     */
    @WithDefault("false")
    boolean enabled();

    /** What a ticket must look like (a Java regular expression, matched whole). */
    @WithName("ticket-pattern")
    @WithDefault("[A-Z][A-Z0-9]+-[0-9]+")
    String ticketPattern();

    /** Most tags, URLs or prefixes a {@code purge-operator} may purge at once. Default 100. */
    @WithName("max-items")
    @WithDefault("100")
    int maxItems();

    /** After everything is purged on a target, how long before it may be again. Default 10m. */
    @WithName("everything-cooldown")
    @WithDefault("10m")
    Duration everythingCooldown();

    /**
     * Purges kept for {@code GET /api/purges}, and read back from the audit topic at start-up.
     * Default 200.
     */
    @WithDefault("200")
    int recent();

    /** API keys for automation, by name ({@code tagpurge.operator.api-keys.<name>.*}). */
    @WithName("api-keys")
    Map<String, ApiKey> apiKeys();

    /** One API key: only its hash is configured, never the key. */
    interface ApiKey {
        /** SHA-256 of the key, hex (for example {@code printf %s "$KEY" | sha256sum}). */
        String hash();

        /** Roles the key has: {@code purge-operator} and/or {@code purge-admin}. */
        List<String> roles();
    }
}
