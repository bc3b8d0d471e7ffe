package dev.tagpurge.purge.fastly;

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

/**
 * Creates {@link FastlyPurger}s for targets with {@code provider=fastly}. All Fastly targets share
 * one {@link dev.tagpurge.purge.ProviderHttpClient}, created on first use, so they share its
 * connection pool.
 */
@ApplicationScoped
public class FastlyPurgerFactory implements PurgerFactory {

    /** The provider name, as in {@code tagpurge.targets.<name>.provider}. */
    public static final String PROVIDER = "fastly";

    // Several targets and up to max-in-flight requests each share api.fastly.com.

    private final ProviderHttpClients.Shared http;

    @Inject
    public FastlyPurgerFactory(Vertx vertx, TagpurgeConfig config) {
        this(vertx, config.purge().requestTimeout(), config.purge().maxRetryAfter());
    }

    /**
     * @param requestTimeout {@code tagpurge.purge.request-timeout}, bounding each request in the
     *     HTTP client itself
     * @param maxRetryAfter {@code tagpurge.purge.max-retry-after}
     */
    public FastlyPurgerFactory(Vertx vertx, Duration requestTimeout, Duration maxRetryAfter) {
        this.http = new ProviderHttpClients.Shared(vertx, requestTimeout, maxRetryAfter);
    }

    @Override
    public String provider() {
        return PROVIDER;
    }

    /** Checks target {@code name}'s keys as {@link #create} reads them. */
    @Override
    public void validate(String name, TargetConfig config) {
        FastlySettings.from(name, config);
    }

    /**
     * Builds the adapter for target {@code name}.
     *
     * @throws IllegalArgumentException naming the key ({@code tagpurge.targets.<name>.service-id},
     *     {@code …api-token}, {@code …base-url}, {@code …batch-size}) that is missing or invalid
     */
    @Override
    public Purger create(String name, TargetConfig config) {
        return new FastlyPurger(FastlySettings.from(name, config), http.get());
    }

    @PreDestroy
    void close() {
        http.close();
    }
}
