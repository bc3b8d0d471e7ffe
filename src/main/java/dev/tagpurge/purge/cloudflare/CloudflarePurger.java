package dev.tagpurge.purge.cloudflare;

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
 * Purges one Cloudflare zone: tags, URLs ({@code files}) and prefixes in batches of up to the
 * plan's items per request, everything with {@code purge_everything}. Soft mode uses {@code
 * invalidate_cache} with the same bodies, everything included. Tags compare case-insensitively.
 *
 * <p>The {@link ProviderHttpClient} and base URL are the test seam: point the settings at the CDN
 * sandbox.
 */
public final class CloudflarePurger implements Purger {

    private static final Logger LOG = Logger.getLogger(CloudflarePurger.class);

    private final CloudflareSettings settings;
    private final ProviderHttpClient client;
    private final Clock clock;

    /** An adapter for one target, sending through a shared client. */
    public CloudflarePurger(CloudflareSettings settings, ProviderHttpClient client) {
        this(settings, client, Clock.systemUTC());
    }

    CloudflarePurger(CloudflareSettings settings, ProviderHttpClient client, Clock clock) {
        this.settings = settings;
        this.client = client;
        this.clock = clock;
    }

    @Override
    public String provider() {
        return CloudflarePurgerFactory.PROVIDER;
    }

    @Override
    public RequestLimits limits() {
        return new RequestLimits(
                settings.maxTags(), settings.maxUrls(), settings.maxPrefixes(), Integer.MAX_VALUE);
    }

    @Override
    public boolean caseInsensitiveTags() {
        return true;
    }

    @Override
    public Optional<String> rejectReason(Selector selector, PurgeMode mode) {
        return CloudflareRequests.rejectReason(selector, settings.defaultHost());
    }

    @Override
    public Uni<PurgeResult> purge(PurgeRequest request) {
        CloudflareCall call;
        try {
            call = CloudflareRequests.build(request, settings);
        } catch (IllegalArgumentException e) {
            return Uni.createFrom().item(PurgeResult.permanent("bad-request", e.getMessage()));
        }
        return Uni.createFrom()
                .deferred(() -> send(call))
                .map(CloudflarePurger::answer)
                .map(
                        answer -> {
                            PurgeResult result =
                                    client.bounded(
                                            CloudflareResponses.toResult(answer, clock.instant()));
                            log(request, call, result, answer.quota());
                            return result;
                        })
                .onFailure()
                .recoverWithItem(
                        failure -> {
                            PurgeResult result = CloudflareResponses.fromFailure(failure);
                            log(request, call, result, Optional.empty());
                            return result;
                        });
    }

    private Uni<HttpResponse<Buffer>> send(CloudflareCall call) {
        HttpRequest<Buffer> http = client.post(settings.baseUrl() + call.path());
        CloudflareRequests.headers(settings.apiToken()).forEach(http::putHeader);
        return client.send(http, Optional.of(Buffer.buffer(call.jsonBody())));
    }

    private static CloudflareAnswer answer(HttpResponse<Buffer> response) {
        return new CloudflareAnswer(
                response.statusCode(),
                response.bodyAsString(),
                Optional.ofNullable(response.getHeader("Retry-After")),
                Optional.ofNullable(response.getHeader("x-ratelimit-limit")),
                Optional.ofNullable(response.getHeader("x-ratelimit-remaining")));
    }

    private void log(
            PurgeRequest request, CloudflareCall call, PurgeResult result, Optional<String> quota) {
        if (LOG.isDebugEnabled()) {
            try (var log = LogContext.forBatch(request)) {
                LOG.debugf(
                        "cloudflare purge target=%s batch=%s kind=%s items=%d soft=%s result=%s%s",
                        settings.target(),
                        request.batchId(),
                        call.kind().label(),
                        call.items().size(),
                        call.soft(),
                        result.getClass().getSimpleName(),
                        quota.map(q -> " " + q).orElse(""));
            }
        }
    }
}
