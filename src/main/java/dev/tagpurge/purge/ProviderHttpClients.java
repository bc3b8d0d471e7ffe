package dev.tagpurge.purge;

import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.ext.web.client.WebClient;
import java.time.Duration;
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
    private static final int MAX_WAIT_QUEUE_SIZE = 32;
    private static final int CONNECT_TIMEOUT_MS = 5_000;
    private static final int KEEP_ALIVE_TIMEOUT_S = 30;

    /**
     * The client every HTTP provider adapter uses: HTTP/1.1 (what the purge APIs speak), a pool of
     * {@value #MAX_POOL_SIZE} connections per host with at most {@value #MAX_WAIT_QUEUE_SIZE}
     * requests waiting for one (beyond that a request fails at once instead of queueing without
     * bound), pooled connections closed after {@value #KEEP_ALIVE_TIMEOUT_S} s unused (before the
     * providers' own keep-alive ends, so a request is not written onto a connection the server is
     * closing), a 5 s connect timeout, no redirects (a purge API that redirects is misconfigured,
     * not something to follow with credentials). Send through {@link ProviderHttpClient}, which
     * bounds each request's time.
     */
    public static WebClient create(Vertx vertx) {
        return create(vertx, options(MAX_POOL_SIZE, MAX_WAIT_QUEUE_SIZE));
    }

    /** The options of {@link #create(Vertx)} with another pool and wait queue size (tests). */
    public static WebClientOptions options(int poolSize, int waitQueueSize) {
        return new WebClientOptions()
                .setUserAgent("tagpurge")
                .setProtocolVersion(HttpVersion.HTTP_1_1)
                .setMaxPoolSize(poolSize)
                .setMaxWaitQueueSize(waitQueueSize)
                .setKeepAliveTimeout(KEEP_ALIVE_TIMEOUT_S)
                .setConnectTimeout(CONNECT_TIMEOUT_MS)
                .setFollowRedirects(false);
    }

    /** A WebClient owned by {@code vertx}, closed only with it (or explicitly). */
    public static WebClient create(Vertx vertx, WebClientOptions options) {
        if (Vertx.currentContext() == null) {
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

    /**
     * The one {@link ProviderHttpClient} of a provider's factory, created on first use (targets of
     * the provider share its pool) and closed with the factory.
     */
    public static final class Shared {
        private final Vertx vertx;
        private final Duration requestTimeout;
        private final Duration maxRetryAfter;
        private WebClient client;
        private ProviderHttpClient http;

        /**
         * @param requestTimeout {@code tagpurge.purge.request-timeout}
         * @param maxRetryAfter {@code tagpurge.purge.max-retry-after}
         */
        public Shared(Vertx vertx, Duration requestTimeout, Duration maxRetryAfter) {
            this.vertx = vertx;
            this.requestTimeout = requestTimeout;
            this.maxRetryAfter = maxRetryAfter;
        }

        /** The client, created on the first call. */
        public synchronized ProviderHttpClient get() {
            if (http == null) {
                client = create(vertx);
                http = new ProviderHttpClient(client, requestTimeout, maxRetryAfter);
            }
            return http;
        }

        /** Closes the client, if it was created. */
        public synchronized void close() {
            if (client != null) {
                client.close();
                client = null;
                http = null;
            }
        }
    }
}
