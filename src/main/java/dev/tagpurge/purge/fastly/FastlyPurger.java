package dev.tagpurge.purge.fastly;

import static dev.tagpurge.domain.SelectorKind.EVERYTHING;

import dev.tagpurge.domain.PurgeMode;
import dev.tagpurge.domain.RequestLimits;
import dev.tagpurge.domain.Selector;
import dev.tagpurge.domain.SelectorKind;
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
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * Purges one Fastly service: tags in bulk key purges of up to 256 keys, URLs one per call,
 * everything with purge_all (always hard). Prefixes are rejected: Fastly has no prefix purge.
 *
 * <p>The {@link ProviderHttpClient} and base URL are the test seam: point the settings at the CDN
 * sandbox.
 */
public final class FastlyPurger extends HttpPurger<FastlyCall, FastlyAnswer> {

    /** Only purge_all counts among purges: 1,000 non-read API calls an hour. */
    public static final List<BucketRule> RATE_LIMITS =
            List.of(
                    BucketRule.perRequest(
                            "purge-all", 1000, 1000, Duration.ofHours(1), Set.of(EVERYTHING)));

    private static final Logger LOG = Logger.getLogger(FastlyPurger.class);

    private final FastlySettings settings;

    /** An adapter for one target, sending through a shared client. */
    public FastlyPurger(FastlySettings settings, ProviderHttpClient client) {
        this(settings, client, Clock.systemUTC());
    }

    FastlyPurger(FastlySettings settings, ProviderHttpClient client, Clock clock) {
        super(client, clock);
        this.settings = settings;
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

    /** A URL as {@code host/path?query}, the form Fastly's URL purge takes. */
    @Override
    public String sentAs(Selector selector) {
        return selector.kind() == SelectorKind.URL
                ? FastlyRequests.hostPath(selector.value(), settings.defaultHost())
                : selector.value();
    }

    /** Fastly's documented limit that counts among purges: 1,000 purge_all calls an hour. */
    @Override
    public List<BucketRule> rateLimits() {
        return RATE_LIMITS;
    }

    @Override
    protected List<FastlyCall> calls(PurgeRequest request) {
        return List.of(FastlyRequests.build(request, settings));
    }

    @Override
    protected HttpCall http(FastlyCall call) {
        return new HttpCall(
                settings.baseUrl() + call.path(),
                FastlyRequests.headers(call, settings.apiToken()),
                call.jsonBody().map(body -> body.getBytes(StandardCharsets.UTF_8)));
    }

    @Override
    protected FastlyAnswer answer(HttpResponse<Buffer> response) {
        return new FastlyAnswer(
                response.statusCode(),
                response.bodyAsString(),
                Optional.ofNullable(response.getHeader("Retry-After")),
                Optional.ofNullable(response.getHeader("Fastly-RateLimit-Reset")),
                Optional.ofNullable(response.getHeader("Fastly-RateLimit-Remaining")));
    }

    @Override
    protected PurgeResult result(FastlyCall call, FastlyAnswer answer, Instant now) {
        return FastlyResponses.toResult(call, answer, now);
    }

    @Override
    protected void log(
            PurgeRequest request,
            FastlyCall call,
            int part,
            int parts,
            PurgeResult result,
            Optional<FastlyAnswer> answer) {
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
