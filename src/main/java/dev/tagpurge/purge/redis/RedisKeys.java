package dev.tagpurge.purge.redis;

import dev.tagpurge.config.TargetConfig;
import dev.tagpurge.purge.ProviderKeys;
import dev.tagpurge.purge.TargetKeysCheck;

/**
 * Redis' keys for the check made while the configuration is loaded: the namespace and batch size,
 * as {@link RedisPurgerFactory#validate} checks them. Whether the target's Redis client exists is
 * known only once the beans do, so {@link RedisPurgerFactory} checks that at start-up.
 */
public final class RedisKeys implements ProviderKeys<RedisTargets> {

    @Override
    public Class<RedisTargets> mapping() {
        return RedisTargets.class;
    }

    @Override
    public TargetKeysCheck check(RedisTargets keys) {
        return new TargetKeysCheck() {
            @Override
            public String provider() {
                return RedisPurger.PROVIDER;
            }

            @Override
            public void validate(String name, TargetConfig config) {
                RedisPurgerFactory.maxTags(name, config, keys.targets().get(name));
            }

            /** Redis speaks its own protocol: {@code base-url} is not used. */
            @Override
            public boolean requiresHttps() {
                return false;
            }
        };
    }
}
