package dev.tagpurge.purge;

import io.vertx.mutiny.core.Vertx;
import jakarta.annotation.PreDestroy;
import java.time.Duration;

/**
 * The part every HTTP provider's {@link PurgerFactory} shares: its provider id and one {@link
 * ProviderHttpClient} for all its targets, created on first use through {@link ProviderHttpClients}
 * (so it lives as long as Vert.x, and the targets share its connection pool) and closed with the
 * factory. A subclass reads its provider's own keys and builds its {@link HttpPurger}.
 */
public abstract class HttpPurgerFactory implements PurgerFactory {

    private final String provider;
    private final ProviderHttpClients.Shared http;

    /**
     * @param provider the provider id, as in {@code tagpurge.targets.<name>.provider}
     * @param requestTimeout {@code tagpurge.purge.request-timeout}, bounding each request in the
     *     HTTP client itself
     * @param maxRetryAfter {@code tagpurge.purge.max-retry-after}
     */
    protected HttpPurgerFactory(
            String provider, Vertx vertx, Duration requestTimeout, Duration maxRetryAfter) {
        this.provider = provider;
        this.http = new ProviderHttpClients.Shared(vertx, requestTimeout, maxRetryAfter);
    }

    @Override
    public final String provider() {
        return provider;
    }

    /** The provider's shared client, created on the first call. */
    protected ProviderHttpClient http() {
        return http.get();
    }

    /** Closes the shared client, if it was created. */
    @PreDestroy
    public void close() {
        http.close();
    }
}
