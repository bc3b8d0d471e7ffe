package dev.tagpurge.purge.fastly;

import dev.tagpurge.config.TargetConfig;
import dev.tagpurge.purge.ProviderKeys;
import dev.tagpurge.purge.TargetKeysCheck;

/**
 * Fastly's keys for the check made while the configuration is loaded: the same {@link
 * FastlySettings#from} check as {@link FastlyPurgerFactory#validate}.
 */
public final class FastlyKeys implements ProviderKeys<FastlyTargets> {

    @Override
    public Class<FastlyTargets> mapping() {
        return FastlyTargets.class;
    }

    @Override
    public TargetKeysCheck check(FastlyTargets keys) {
        return new TargetKeysCheck() {
            @Override
            public String provider() {
                return FastlyPurgerFactory.PROVIDER;
            }

            @Override
            public void validate(String name, TargetConfig config) {
                FastlySettings.from(name, config, keys.targets().get(name));
            }
        };
    }
}
