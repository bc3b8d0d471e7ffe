package dev.tagpurge.purge.akamai;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithDefaults;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Akamai's own keys of a target, {@code tagpurge.targets.<name>.*}, next to the common ones of
 * {@link dev.tagpurge.config.TargetConfig}. Only targets with {@code provider=akamai} read them;
 * {@link AkamaiSettings} checks them. A {@code network} or CP code that cannot be converted fails
 * when the configuration is loaded, naming the key.
 */
@ConfigMapping(prefix = "tagpurge")
public interface AkamaiTargets {

    /** Akamai keys by target name. */
    @WithDefaults
    Map<String, Keys> targets();

    /** One target's Akamai keys. */
    interface Keys {
        /** EdgeGrid client token; required. From a Secret; never logged. */
        Optional<String> clientToken();

        /** EdgeGrid client secret; required. From a Secret; never logged. */
        Optional<String> clientSecret();

        /** EdgeGrid access token; required. From a Secret; never logged. */
        Optional<String> accessToken();

        /** {@code staging} or {@code production}. Default production. */
        @WithDefault("production")
        AkamaiNetwork network();

        /** CP codes that "everything" purges; without them such purges are rejected. */
        Optional<List<Long>> cpCodes();
    }
}
