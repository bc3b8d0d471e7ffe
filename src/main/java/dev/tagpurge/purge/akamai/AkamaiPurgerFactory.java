package dev.tagpurge.purge.akamai;

import dev.tagpurge.config.TagpurgeConfig;
import dev.tagpurge.config.TargetConfig;
import dev.tagpurge.purge.ProviderHttpClients;
import dev.tagpurge.purge.Purger;
import dev.tagpurge.purge.PurgerFactory;
import io.vertx.mutiny.core.Vertx;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import org.jboss.logging.Logger;

/**
 * Creates {@link AkamaiPurger}s for targets with {@code provider=akamai}. All Akamai targets share
 * one {@link dev.tagpurge.purge.ProviderHttpClient}, created on first use through {@link
 * ProviderHttpClients} (so it lives as long as Vert.x), and share its connection pool.
 */
@ApplicationScoped
public class AkamaiPurgerFactory implements PurgerFactory {

    /** The provider name, as in {@code tagpurge.targets.<name>.provider}. */
    public static final String PROVIDER = "akamai";

    private static final Logger LOG = Logger.getLogger(AkamaiPurgerFactory.class);

    // Several targets (credentials, networks) and up to max-in-flight requests each.

    private final ProviderHttpClients.Shared http;

    @Inject
    public AkamaiPurgerFactory(Vertx vertx, TagpurgeConfig config) {
        this(vertx, config.purge().requestTimeout(), config.purge().maxRetryAfter());
    }

    /**
     * @param requestTimeout {@code tagpurge.purge.request-timeout}, bounding each request in the
     *     HTTP client itself
     * @param maxRetryAfter {@code tagpurge.purge.max-retry-after}
     */
    public AkamaiPurgerFactory(Vertx vertx, Duration requestTimeout, Duration maxRetryAfter) {
        this.http = new ProviderHttpClients.Shared(vertx, requestTimeout, maxRetryAfter);
    }

    @Override
    public String provider() {
        return PROVIDER;
    }

    /** Checks target {@code name}'s keys as {@link #create} reads them. */
    @Override
    public void validate(String name, TargetConfig config) {
        AkamaiSettings.from(name, config);
    }

    /**
     * Builds the adapter for target {@code name}.
     *
     * @throws IllegalArgumentException naming the key ({@code tagpurge.targets.<name>.base-url},
     *     {@code …client-token}, {@code …client-secret}, {@code …access-token}, {@code …network},
     *     {@code …cp-codes}, {@code …batch-size}) that is missing or invalid
     */
    @Override
    public Purger create(String name, TargetConfig config) {
        AkamaiSettings settings = AkamaiSettings.from(name, config);
        if (settings.cpCodes().isEmpty()) {
            LOG.infof(
                    "akamai target %s has no %s: purges of everything will be rejected",
                    name, dev.tagpurge.purge.TargetKeys.key(name, "cp-codes"));
        }
        return new AkamaiPurger(settings, http.get());
    }

    @PreDestroy
    void close() {
        http.close();
    }
}
