package dev.tagpurge.purge.redis;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithDefaults;
import java.util.Map;
import java.util.Optional;

/**
 * Redis' own keys of a target, {@code tagpurge.targets.<name>.*}, next to the common ones of {@link
 * dev.tagpurge.config.TargetConfig}. Only targets with {@code provider=redis} read them.
 */
@ConfigMapping(prefix = "tagpurge")
public interface RedisTargets {

    /** Redis keys by target name. */
    @WithDefaults
    Map<String, Keys> targets();

    /** One target's Redis keys. */
    interface Keys {
        /** Key namespace of the tag index. Default {@code tagpurge:}. */
        @WithDefault("tagpurge:")
        String namespace();

        /**
         * Named Quarkus Redis client ({@code quarkus.redis.<client>.*}); default the default one.
         */
        Optional<String> client();
    }
}
