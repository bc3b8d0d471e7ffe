package dev.tagpurge.purge.cloudflare;

import dev.tagpurge.config.TargetConfig;
import dev.tagpurge.purge.ProviderHttpClients;
import dev.tagpurge.purge.Purger;
import dev.tagpurge.purge.PurgerFactory;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.ext.web.client.WebClient;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * Creates {@link CloudflarePurger}s for targets with {@code provider=cloudflare}. All Cloudflare
 * targets share one {@link WebClient}, created on first use, so they share its connection pool.
 */
@ApplicationScoped
public class CloudflarePurgerFactory implements PurgerFactory {

    /** The provider name, as in {@code tagpurge.targets.<name>.provider}. */
    public static final String PROVIDER = "cloudflare";

    // Several zones and up to max-in-flight requests each share api.cloudflare.com.

    private final Vertx vertx;
    private WebClient client;

    @Inject
    public CloudflarePurgerFactory(Vertx vertx) {
        this.vertx = vertx;
    }

    @Override
    public String provider() {
        return PROVIDER;
    }

    /** Checks target {@code name}'s keys as {@link #create} reads them. */
    @Override
    public void validate(String name, TargetConfig config) {
        CloudflareSettings.from(name, config);
    }

    /**
     * Builds the adapter for target {@code name}.
     *
     * @throws IllegalArgumentException naming the key ({@code tagpurge.targets.<name>.zone-id},
     *     {@code …api-token}, {@code …plan}, {@code …base-url}, {@code …batch-size}) that is
     *     missing or invalid
     */
    @Override
    public Purger create(String name, TargetConfig config) {
        return new CloudflarePurger(CloudflareSettings.from(name, config), client());
    }

    private synchronized WebClient client() {
        if (client == null) {
            client = ProviderHttpClients.create(vertx);
        }
        return client;
    }

    @PreDestroy
    synchronized void close() {
        if (client != null) {
            client.close();
            client = null;
        }
    }
}
