package dev.tagpurge.purge;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
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
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The HTTP client of a provider adapter with every wait bounded: a request's {@code Uni} fails
 * shortly after {@code tagpurge.purge.request-timeout}, which gives the request up, so a provider
 * that accepts and never answers costs a connection only that long; a request given up (by that
 * timeout or by the pipeline cancelling it) is reset if it is on the wire, which closes its
 * connection, and dropped if it still waits for a connection, so it is never sent later, outside
 * the rate limiter; and Retry-After hints are clamped to {@code tagpurge.purge.max-retry-after}.
 *
 * <p>The pipeline bounds each request at the request timeout itself and cancels it then. The
 * client's own timer waits a grace longer ({@link #ownBound(Duration)}), so the two never fire
 * together: a failure that met a cancellation on its way down would reach Mutiny's handler of
 * dropped exceptions, which logs an error with its stack trace. Vert.x's own timeout on the
 * request, a second later still, is only a backstop: it ends a request given up while it waited for
 * a connection. Whatever ends second, of the timer, the caller's cancellation and Vert.x's answer,
 * is ignored.
 *
 * <p>Create it over a client from {@link ProviderHttpClients}, whose bounded wait queue makes a
 * request that finds the pool and its queue full fail at once ({@code pool-full}, retryable).
 */
public final class ProviderHttpClient {

    /** How much longer than the client's own timer Vert.x's timeout waits. */
    static final Duration BACKSTOP_GRACE = Duration.ofSeconds(1);

    /** The longest grace of the client's own timer after the request timeout. */
    static final Duration OWN_GRACE = Duration.ofSeconds(1);

    private final WebClient client;
    private final Duration requestTimeout;
    private final Duration ownBound;
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
        this.ownBound = ownBound(requestTimeout);
        this.maxRetryAfter = maxRetryAfter;
        ((WebClientInternal) client.getDelegate()).addInterceptor(this::beforeSending);
    }

    /**
     * When the client itself gives a request up: the request timeout and a grace of half of it, at
     * most {@link #OWN_GRACE}, so that a caller bounding the request at the request timeout (the
     * pipeline does) always cancels it first.
     */
    static Duration ownBound(Duration requestTimeout) {
        Duration half = requestTimeout.dividedBy(2);
        return requestTimeout.plus(half.compareTo(OWN_GRACE) < 0 ? half : OWN_GRACE);
    }

    /** A POST to {@code url} carrying the backstop timeout. */
    public HttpRequest<Buffer> post(String url) {
        return client.postAbs(url).timeout(ownBound.plus(BACKSTOP_GRACE).toMillis());
    }

    /**
     * Sends {@code http} with {@code body} (none when empty). The {@code Uni} fails with a {@code
     * TimeoutException} after {@link #ownBound(Duration)} at the latest; cancelling it abandons the
     * request as the class comment says. What the request does after it was given up (the failure
     * of its reset, say) is ignored.
     */
    public Uni<HttpResponse<Buffer>> send(HttpRequest<Buffer> http, Optional<Buffer> body) {
        // An emitter rather than ifNoItem() and the binding's own Uni: it ignores what comes after
        // it ended, where those would hand a late failure to the handler of dropped exceptions.
        return Uni.createFrom()
                .emitter(
                        emitter -> {
                            Object key = http.getDelegate();
                            Call call = new Call();
                            calls.put(key, call);
                            ScheduledFuture<?> timeout =
                                    Infrastructure.getDefaultWorkerPool()
                                            .schedule(
                                                    () ->
                                                            emitter.fail(
                                                                    new TimeoutException(
                                                                            "no answer within "
                                                                                    + ownBound)),
                                                    ownBound.toNanos(),
                                                    TimeUnit.NANOSECONDS);
                            emitter.onTermination(
                                    () -> {
                                        timeout.cancel(false);
                                        if (call.answered()) {
                                            calls.remove(key);
                                        } else {
                                            abandon(call);
                                        }
                                    });
                            body.map(http::sendBuffer)
                                    .orElseGet(http::send)
                                    .subscribe()
                                    .with(
                                            response -> {
                                                call.answer();
                                                emitter.complete(response);
                                            },
                                            failure -> {
                                                call.answer();
                                                emitter.fail(failure);
                                            });
                        });
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

    /**
     * One request's state: whether Vert.x answered it, and between the caller giving up and Vert.x
     * getting a connection.
     */
    private static final class Call {
        private boolean answered;
        private boolean abandoned;
        private HttpClientRequest request;

        /** Records that Vert.x ended the request, with a response or a failure. */
        synchronized void answer() {
            answered = true;
        }

        synchronized boolean answered() {
            return answered;
        }

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
