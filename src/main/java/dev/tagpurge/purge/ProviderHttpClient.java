package dev.tagpurge.purge;

import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.ext.web.client.impl.ClientPhase;
import io.vertx.ext.web.client.impl.HttpContext;
import io.vertx.ext.web.client.impl.WebClientInternal;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.ext.web.client.HttpRequest;
import io.vertx.mutiny.ext.web.client.HttpResponse;
import io.vertx.mutiny.ext.web.client.WebClient;
import java.time.Duration;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CancellationException;

/**
 * The HTTP client of a provider adapter with every wait bounded: a request gets {@code
 * tagpurge.purge.request-timeout} in Vert.x itself (for the wait for a pooled connection and for
 * the answer), so a provider that accepts and never answers costs a connection only that long; a
 * request whose {@code Uni} is cancelled (the pipeline gave up on it) is reset if it is on the
 * wire, which closes its connection, and dropped if it still waits for a connection, so it is never
 * sent later, outside the rate limiter; and Retry-After hints are clamped to {@code
 * tagpurge.purge.max-retry-after}.
 *
 * <p>Create it over a client from {@link ProviderHttpClients}, whose bounded wait queue makes a
 * request that finds the pool and its queue full fail at once ({@code pool-full}, retryable).
 */
public final class ProviderHttpClient {

    private final WebClient client;
    private final Duration requestTimeout;
    private final Duration maxRetryAfter;
    // Requests between send and answer, by identity: the interceptor sees the same object, the
    // Vert.x core request under the Mutiny one (keyed as Object: the two types share a name).
    private final Map<Object, Call> calls = Collections.synchronizedMap(new IdentityHashMap<>());

    /**
     * @param requestTimeout {@code tagpurge.purge.request-timeout}
     * @param maxRetryAfter {@code tagpurge.purge.max-retry-after}
     */
    public ProviderHttpClient(WebClient client, Duration requestTimeout, Duration maxRetryAfter) {
        if (requestTimeout.isNegative() || requestTimeout.isZero()) {
            throw new IllegalArgumentException("tagpurge.purge.request-timeout must be positive");
        }
        this.client = client;
        this.requestTimeout = requestTimeout;
        this.maxRetryAfter = maxRetryAfter;
        ((WebClientInternal) client.getDelegate()).addInterceptor(this::beforeSending);
    }

    /** A POST to {@code url} carrying the request timeout. */
    public HttpRequest<Buffer> post(String url) {
        return client.postAbs(url).timeout(Math.max(1, requestTimeout.toMillis()));
    }

    /**
     * Sends {@code http} with {@code body} (none when empty). The {@code Uni} fails with a {@code
     * TimeoutException} after the request timeout at the latest; cancelling it abandons the request
     * as the class comment says.
     */
    public Uni<HttpResponse<Buffer>> send(HttpRequest<Buffer> http, Optional<Buffer> body) {
        return Uni.createFrom()
                .deferred(
                        () -> {
                            Call call = new Call();
                            calls.put(http.getDelegate(), call);
                            return body.map(http::sendBuffer)
                                    .orElseGet(http::send)
                                    .onTermination()
                                    .invoke(
                                            (item, failure, cancelled) -> {
                                                if (cancelled) {
                                                    abandon(call);
                                                } else {
                                                    calls.remove(http.getDelegate());
                                                }
                                            });
                        })
                .ifNoItem()
                .after(requestTimeout)
                .fail();
    }

    /** {@code result} with its Retry-After hint within {@code tagpurge.purge.max-retry-after}. */
    public PurgeResult bounded(PurgeResult result) {
        return ProviderAnswers.clampRetryAfter(result, maxRetryAfter);
    }

    // The entry stays until Vert.x ends the request, so the interceptor can still drop it.
    private static void abandon(Call call) {
        HttpClientRequest onTheWire = call.abandon();
        if (onTheWire != null) {
            // HTTP/1.1 cannot cancel one request: reset closes its connection, freeing the slot
            onTheWire.reset();
        }
    }

    // Runs at every phase of every request of the client: SEND_REQUEST comes when the request got
    // its connection, just before it is written; FAILURE or DISPATCH_RESPONSE ends it.
    private void beforeSending(HttpContext<?> context) {
        if (context.phase() == ClientPhase.FAILURE
                || context.phase() == ClientPhase.DISPATCH_RESPONSE) {
            calls.remove(context.request());
        } else if (context.phase() == ClientPhase.SEND_REQUEST) {
            Call call = calls.get(context.request());
            if (call != null && !call.sending(context.clientRequest())) {
                // nothing was written; the handler keeps Vert.x from logging the reset as an error
                context.clientRequest().exceptionHandler(ignored -> {});
                context.clientRequest().reset();
                context.fail(new CancellationException("abandoned before it was sent"));
                return;
            }
        }
        context.next();
    }

    /** One request's state, between the caller giving up and Vert.x getting a connection. */
    private static final class Call {
        private boolean abandoned;
        private HttpClientRequest request;

        /** Records the request on the wire; false when it was abandoned meanwhile. */
        synchronized boolean sending(HttpClientRequest request) {
            this.request = request;
            return !abandoned;
        }

        /** Marks it abandoned; the request already on the wire, if any. */
        synchronized HttpClientRequest abandon() {
            abandoned = true;
            return request;
        }
    }
}
