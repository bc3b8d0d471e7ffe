package dev.tagpurge.purge.akamai;

import dev.tagpurge.config.TargetConfig;
import dev.tagpurge.purge.ProviderKeys;
import dev.tagpurge.purge.TargetKeysCheck;

/**
 * Akamai's keys for the check made while the configuration is loaded: the same {@link
 * AkamaiSettings#from} check as {@link AkamaiPurgerFactory#validate}.
 */
public final class AkamaiKeys implements ProviderKeys<AkamaiTargets> {

    @Override
    public Class<AkamaiTargets> mapping() {
        return AkamaiTargets.class;
    }

    @Override
    public TargetKeysCheck check(AkamaiTargets keys) {
        return new TargetKeysCheck() {
            @Override
            public String provider() {
                return AkamaiPurgerFactory.PROVIDER;
            }

            @Override
            public void validate(String name, TargetConfig config) {
                AkamaiSettings.from(name, config, keys.targets().get(name));
            }
        };
    }
}
