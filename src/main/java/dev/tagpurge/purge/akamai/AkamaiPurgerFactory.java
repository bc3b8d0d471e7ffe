package dev.tagpurge.purge.akamai;

import dev.tagpurge.config.TagpurgeConfig;
import dev.tagpurge.config.TargetConfig;
import dev.tagpurge.purge.HttpPurgerFactory;
import dev.tagpurge.purge.Purger;
import dev.tagpurge.purge.TargetKeys;
import io.vertx.mutiny.core.Vertx;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Duration;
import org.jboss.logging.Logger;

/**
 * Creates {@link AkamaiPurger}s for targets with {@code provider=akamai}, reading Akamai's own keys
 * from {@link AkamaiTargets}. All Akamai targets (credentials, networks) share one HTTP client and
 * its connection pool.
 */
@Singleton
public class AkamaiPurgerFactory extends HttpPurgerFactory {

    /** The provider name, as in {@code tagpurge.targets.<name>.provider}. */
    public static final String PROVIDER = "akamai";

    private static final Logger LOG = Logger.getLogger(AkamaiPurgerFactory.class);

    private final AkamaiTargets targets;

    @Inject
    public AkamaiPurgerFactory(Vertx vertx, TagpurgeConfig config, AkamaiTargets targets) {
        this(vertx, config.purge().requestTimeout(), config.purge().maxRetryAfter(), targets);
    }

    /**
     * @param requestTimeout {@code tagpurge.purge.request-timeout}
     * @param maxRetryAfter {@code tagpurge.purge.max-retry-after}
     */
    public AkamaiPurgerFactory(
            Vertx vertx, Duration requestTimeout, Duration maxRetryAfter, AkamaiTargets targets) {
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
     * @throws IllegalArgumentException naming the key ({@code tagpurge.targets.<name>.base-url},
     *     {@code …client-token}, {@code …client-secret}, {@code …access-token}, {@code …cp-codes},
     *     {@code …batch-size}) that is missing or invalid
     */
    @Override
    public Purger create(String name, TargetConfig config) {
        AkamaiSettings settings = settings(name, config);
        if (settings.cpCodes().isEmpty()) {
            LOG.infof(
                    "akamai target %s has no %s: purges of everything will be rejected",
                    name, TargetKeys.key(name, "cp-codes"));
        }
        return new AkamaiPurger(settings, http());
    }

    private AkamaiSettings settings(String name, TargetConfig config) {
        return AkamaiSettings.from(name, config, targets.targets().get(name));
    }
}
