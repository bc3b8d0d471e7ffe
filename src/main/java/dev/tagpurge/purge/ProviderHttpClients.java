package dev.tagpurge.purge;

import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.ext.web.client.WebClient;
import java.util.concurrent.CompletableFuture;

/**
 * Creates the HTTP clients of provider adapters so that they belong to Vert.x itself, not to
 * whatever Vert.x context happens to build the adapter. Vert.x closes a client together with the
 * context it was created on; adapters are built lazily, often on a worker thread carrying some
 * context that is closed early in shutdown, which would close the client before the graceful drain
 * could send the last purges (seen in {@code GracefulShutdownIT}).
 */
public final class ProviderHttpClients {

    private ProviderHttpClients() {}

    private static final int MAX_POOL_SIZE = 32;
    private static final int CONNECT_TIMEOUT_MS = 5_000;

    /**
     * The client every HTTP provider adapter uses: HTTP/1.1 (what the purge APIs speak), a pool of
     * {@value #MAX_POOL_SIZE} connections per host, a 5 s connect timeout, no redirects (a purge
     * API that redirects is misconfigured, not something to follow with credentials).
     */
    public static WebClient create(Vertx vertx) {
        return create(
                vertx,
                new WebClientOptions()
                        .setUserAgent("tagpurge")
                        .setProtocolVersion(io.vertx.core.http.HttpVersion.HTTP_1_1)
                        .setMaxPoolSize(MAX_POOL_SIZE)
                        .setConnectTimeout(CONNECT_TIMEOUT_MS)
                        .setFollowRedirects(false));
    }

    /** A WebClient owned by {@code vertx}, closed only with it (or explicitly). */
    public static WebClient create(Vertx vertx, WebClientOptions options) {
        if (io.vertx.core.Vertx.currentContext() == null) {
            return WebClient.create(vertx, options);
        }
        // off any context: a plain thread has none, so the close hook goes to Vert.x itself
        CompletableFuture<WebClient> created = new CompletableFuture<>();
        Thread creator =
                new Thread(
                        () -> {
                            try {
                                created.complete(WebClient.create(vertx, options));
                            } catch (RuntimeException e) {
                                created.completeExceptionally(e);
                            }
                        },
                        "tagpurge-http-client-init");
        creator.start();
        return created.join();
    }
}
