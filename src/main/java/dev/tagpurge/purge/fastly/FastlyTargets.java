package dev.tagpurge.purge.fastly;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefaults;
import java.util.Map;
import java.util.Optional;

/**
 * Fastly's own keys of a target, {@code tagpurge.targets.<name>.*}, next to the common ones of
 * {@link dev.tagpurge.config.TargetConfig}. Every target appears here (a target without these keys
 * gets empty values); only targets with {@code provider=fastly} read them, and {@link
 * FastlySettings} checks them.
 */
@ConfigMapping(prefix = "tagpurge")
public interface FastlyTargets {

    /** Fastly keys by target name. */
    @WithDefaults
    Map<String, Keys> targets();

    /** One target's Fastly keys. */
    interface Keys {
        /** Fastly service id; required. */
        Optional<String> serviceId();

        /** API token sent as {@code Fastly-Key}; required. From a Secret; never logged. */
        Optional<String> apiToken();
    }
}
