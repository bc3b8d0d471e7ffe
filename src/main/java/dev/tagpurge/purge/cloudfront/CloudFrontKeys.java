package dev.tagpurge.purge.cloudfront;

import dev.tagpurge.config.TargetConfig;
import dev.tagpurge.purge.ProviderKeys;
import dev.tagpurge.purge.TargetKeysCheck;

/**
 * CloudFront's keys for the check made while the configuration is loaded: the same {@link
 * CloudFrontSettings#from} check as {@link CloudFrontPurgerFactory#validate}.
 */
public final class CloudFrontKeys implements ProviderKeys<CloudFrontTargets> {

    @Override
    public Class<CloudFrontTargets> mapping() {
        return CloudFrontTargets.class;
    }

    @Override
    public TargetKeysCheck check(CloudFrontTargets keys) {
        return new TargetKeysCheck() {
            @Override
            public String provider() {
                return CloudFrontPurgerFactory.PROVIDER;
            }

            @Override
            public void validate(String name, TargetConfig config) {
                CloudFrontSettings.from(name, config, keys.targets().get(name));
            }
        };
    }
}
