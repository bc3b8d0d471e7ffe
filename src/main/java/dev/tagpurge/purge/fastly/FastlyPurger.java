package dev.tagpurge.purge.fastly;

import dev.tagpurge.domain.PurgeMode;
import dev.tagpurge.domain.RequestLimits;
import dev.tagpurge.domain.Selector;
import dev.tagpurge.purge.LogContext;
import dev.tagpurge.purge.ProviderHttpClient;
import dev.tagpurge.purge.PurgeRequest;
import dev.tagpurge.purge.PurgeResult;
import dev.tagpurge.purge.Purger;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.ext.web.client.HttpRequest;
import io.vertx.mutiny.ext.web.client.HttpResponse;
import java.time.Clock;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Purges one Fastly service: tags in bulk key purges of up to 256 keys, URLs one per call,
 * everything with purge_all (always hard). Prefixes are rejected: Fastly has no prefix purge.
 *
 * <p>The {@link ProviderHttpClient} and base URL are the test seam: point the settings at the CDN
 * sandbox.
 */
public final class FastlyPurger implements Purger {

    private static final Logger LOG = Logger.getLogger(FastlyPurger.class);

    private final FastlySettings settings;
    private final ProviderHttpClient client;
    private final Clock clock;

    /** An adapter for one target, sending through a shared client. */
    public FastlyPurger(FastlySettings settings, ProviderHttpClient client) {
        this(settings, client, Clock.systemUTC());
    }

    FastlyPurger(FastlySettings settings, ProviderHttpClient client, Clock clock) {
        this.settings = settings;
        this.client = client;
        this.clock = clock;
    }

    @Override
    public String provider() {
        return FastlyPurgerFactory.PROVIDER;
    }

    @Override
    public RequestLimits limits() {
        // One URL per call; prefixes are never sent, but limits must be positive.
        return new RequestLimits(settings.maxKeys(), 1, 1, Integer.MAX_VALUE);
    }

    @Override
    public boolean caseInsensitiveTags() {
        return false;
    }

    @Override
    public Optional<String> rejectReason(Selector selector, PurgeMode mode) {
        return FastlyRequests.rejectReason(selector, settings.defaultHost());
    }

    @Override
    public Uni<PurgeResult> purge(PurgeRequest request) {
        FastlyCall call;
        try {
            call = FastlyRequests.build(request, settings);
        } catch (IllegalArgumentException e) {
            return Uni.createFrom().item(PurgeResult.permanent("bad-request", e.getMessage()));
        }
        return Uni.createFrom()
                .deferred(() -> send(call))
                .map(response -> FastlyResponses.toResult(call, answer(response), clock.instant()))
                .onFailure()
                .recoverWithItem(FastlyResponses::fromFailure)
                .map(client::bounded)
                .invoke(result -> log(request, call, result));
    }

    private Uni<HttpResponse<Buffer>> send(FastlyCall call) {
        HttpRequest<Buffer> http = client.post(settings.baseUrl() + call.path());
        FastlyRequests.headers(call, settings.apiToken()).forEach(http::putHeader);
        return client.send(http, call.jsonBody().map(Buffer::buffer));
    }

    private static FastlyAnswer answer(HttpResponse<Buffer> response) {
        return new FastlyAnswer(
                response.statusCode(),
                response.bodyAsString(),
                Optional.ofNullable(response.getHeader("Retry-After")),
                Optional.ofNullable(response.getHeader("Fastly-RateLimit-Reset")),
                Optional.ofNullable(response.getHeader("Fastly-RateLimit-Remaining")));
    }

    private void log(PurgeRequest request, FastlyCall call, PurgeResult result) {
        if (LOG.isDebugEnabled()) {
            try (var log = LogContext.forBatch(request)) {
                LOG.debugf(
                        "fastly purge target=%s batch=%s kind=%s items=%d soft=%s result=%s",
                        settings.target(),
                        request.batchId(),
                        call.kind().label(),
                        call.items().size(),
                        call.soft(),
                        result.getClass().getSimpleName());
            }
        }
    }
}
