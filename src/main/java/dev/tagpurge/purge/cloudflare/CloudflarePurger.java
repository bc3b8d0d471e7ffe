package dev.tagpurge.purge.cloudflare;

import dev.tagpurge.domain.PurgeMode;
import dev.tagpurge.domain.RequestLimits;
import dev.tagpurge.domain.Selector;
import dev.tagpurge.purge.HttpCall;
import dev.tagpurge.purge.HttpPurger;
import dev.tagpurge.purge.LogContext;
import dev.tagpurge.purge.ProviderHttpClient;
import dev.tagpurge.purge.PurgeRequest;
import dev.tagpurge.purge.PurgeResult;
import dev.tagpurge.ratelimit.BucketRule;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.ext.web.client.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
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
public final class CloudflarePurger extends HttpPurger<CloudflareCall, CloudflareAnswer> {

    private static final Logger LOG = Logger.getLogger(CloudflarePurger.class);

    private final CloudflareSettings settings;

    /** An adapter for one target, sending through a shared client. */
    public CloudflarePurger(CloudflareSettings settings, ProviderHttpClient client) {
        this(settings, client, Clock.systemUTC());
    }

    CloudflarePurger(CloudflareSettings settings, ProviderHttpClient client, Clock clock) {
        super(client, clock);
        this.settings = settings;
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

    /** A URL as an absolute URL, a prefix as {@code host/path}, as Cloudflare takes them. */
    @Override
    public String sentAs(Selector selector) {
        return switch (selector.kind()) {
            case URL -> CloudflareRequests.absoluteUrl(selector.value(), settings.defaultHost());
            case PREFIX -> CloudflareRequests.hostPrefix(selector.value(), settings.defaultHost());
            case TAG, EVERYTHING -> selector.value();
        };
    }

    /** The plan's purge rate limits. */
    @Override
    public List<BucketRule> rateLimits() {
        return settings.plan().rateLimits();
    }

    @Override
    protected List<CloudflareCall> calls(PurgeRequest request) {
        return List.of(CloudflareRequests.build(request, settings));
    }

    @Override
    protected HttpCall http(CloudflareCall call) {
        return new HttpCall(
                settings.baseUrl() + call.path(),
                CloudflareRequests.headers(settings.apiToken()),
                Optional.of(call.jsonBody().getBytes(StandardCharsets.UTF_8)));
    }

    @Override
    protected CloudflareAnswer answer(HttpResponse<Buffer> response) {
        return new CloudflareAnswer(
                response.statusCode(),
                response.bodyAsString(),
                Optional.ofNullable(response.getHeader("Retry-After")),
                Optional.ofNullable(response.getHeader("x-ratelimit-limit")),
                Optional.ofNullable(response.getHeader("x-ratelimit-remaining")));
    }

    @Override
    protected PurgeResult result(CloudflareCall call, CloudflareAnswer answer, Instant now) {
        return CloudflareResponses.toResult(answer, now);
    }

    @Override
    protected void log(
            PurgeRequest request,
            CloudflareCall call,
            int part,
            int parts,
            PurgeResult result,
            Optional<CloudflareAnswer> answer) {
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
                        answer.flatMap(CloudflareAnswer::quota).map(q -> " " + q).orElse(""));
            }
        }
    }
}
