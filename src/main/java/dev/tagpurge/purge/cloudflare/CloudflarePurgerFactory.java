package dev.tagpurge.purge.cloudflare;

import dev.tagpurge.config.TagpurgeConfig;
import dev.tagpurge.config.TargetConfig;
import dev.tagpurge.purge.HttpPurgerFactory;
import dev.tagpurge.purge.Purger;
import io.vertx.mutiny.core.Vertx;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Duration;

/**
 * Creates {@link CloudflarePurger}s for targets with {@code provider=cloudflare}, reading
 * Cloudflare's own keys from {@link CloudflareTargets}. All Cloudflare targets share one HTTP
 * client and its connection pool.
 */
@Singleton
public class CloudflarePurgerFactory extends HttpPurgerFactory {

    /** The provider name, as in {@code tagpurge.targets.<name>.provider}. */
    public static final String PROVIDER = "cloudflare";

    private final CloudflareTargets targets;

    @Inject
    public CloudflarePurgerFactory(Vertx vertx, TagpurgeConfig config, CloudflareTargets targets) {
        this(vertx, config.purge().requestTimeout(), config.purge().maxRetryAfter(), targets);
    }

    /**
     * @param requestTimeout {@code tagpurge.purge.request-timeout}
     * @param maxRetryAfter {@code tagpurge.purge.max-retry-after}
     */
    public CloudflarePurgerFactory(
            Vertx vertx,
            Duration requestTimeout,
            Duration maxRetryAfter,
            CloudflareTargets targets) {
        super(PROVIDER, vertx, requestTimeout, maxRetryAfter);
        this.targets = targets;
    }

    /** Checks target {@code name}'s keys as {@link #create} reads them. */
    @Override
    public void validate(String name, TargetConfig config) {
        settings(name, config);
    }

    /**
     * Builds the adapter for target {@code name}.
     *
     * @throws IllegalArgumentException naming the key ({@code tagpurge.targets.<name>.zone-id},
     *     {@code …api-token}, {@code …base-url}, {@code …batch-size}) that is missing or invalid
     */
    @Override
    public Purger create(String name, TargetConfig config) {
        return new CloudflarePurger(settings(name, config), http());
    }

    private CloudflareSettings settings(String name, TargetConfig config) {
        return CloudflareSettings.from(name, config, targets.targets().get(name));
    }
}
