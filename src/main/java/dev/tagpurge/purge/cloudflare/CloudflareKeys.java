package dev.tagpurge.purge.cloudflare;

import dev.tagpurge.config.TargetConfig;
import dev.tagpurge.purge.ProviderKeys;
import dev.tagpurge.purge.TargetKeysCheck;

/**
 * Cloudflare's keys for the check made while the configuration is loaded: the same {@link
 * CloudflareSettings#from} check as {@link CloudflarePurgerFactory#validate}.
 */
public final class CloudflareKeys implements ProviderKeys<CloudflareTargets> {

    @Override
    public Class<CloudflareTargets> mapping() {
        return CloudflareTargets.class;
    }

    @Override
    public TargetKeysCheck check(CloudflareTargets keys) {
        return new TargetKeysCheck() {
            @Override
            public String provider() {
                return CloudflarePurgerFactory.PROVIDER;
            }

            @Override
            public void validate(String name, TargetConfig config) {
                CloudflareSettings.from(name, config, keys.targets().get(name));
            }
        };
    }
}
