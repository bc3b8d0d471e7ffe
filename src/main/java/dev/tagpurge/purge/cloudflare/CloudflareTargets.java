package dev.tagpurge.purge.cloudflare;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefaults;
import java.util.Map;
import java.util.Optional;

/**
 * Cloudflare's own keys of a target, {@code tagpurge.targets.<name>.*}, next to the common ones of
 * {@link dev.tagpurge.config.TargetConfig}. Only targets with {@code provider=cloudflare} read
 * them; {@link CloudflareSettings} checks them. A {@code plan} that is not a plan fails when the
 * configuration is loaded, naming the key and the accepted values.
 */
@ConfigMapping(prefix = "tagpurge")
public interface CloudflareTargets {

    /** Cloudflare keys by target name. */
    @WithDefaults
    Map<String, Keys> targets();

    /** One target's Cloudflare keys. */
    interface Keys {
        /** The zone's 32-character hex id; required. */
        Optional<String> zoneId();

        /** API token sent as a bearer token; required. From a Secret; never logged. */
        Optional<String> apiToken();

        /**
         * The zone's plan ({@code free}, {@code pro}, {@code business}, {@code enterprise}), which
         * sets the default per-request and rate limits; default {@code free}, the smallest.
         */
        Optional<CloudflarePlan> plan();
    }
}
