package dev.tagpurge.purge.akamai;

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
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * Purges through one Akamai Fast Purge (CCU v3) credential and network: tags and URLs by object
 * type, everything as the configured CP codes; soft requests {@code invalidate}, hard ones {@code
 * delete}. Prefixes are rejected: Akamai has no prefix purge. Every call is EdgeGrid-signed.
 *
 * <p>A request whose serialized body would exceed Akamai's 50,000 bytes (the coalescing window only
 * estimates sizes) is sent as several calls, one after the other; the result is accepted when all
 * were, else the first failure, and a retry resends the whole request.
 *
 * <p>The {@link ProviderHttpClient} and base URL are the test seam: point the settings at the CDN
 * sandbox.
 */
public final class AkamaiPurger extends HttpPurger<AkamaiCall, AkamaiAnswer> {

    private static final Logger LOG = Logger.getLogger(AkamaiPurger.class);

    private final AkamaiSettings settings;
    private final AkamaiSigner signer;

    /** An adapter for one target, sending through a shared client. */
    public AkamaiPurger(AkamaiSettings settings, ProviderHttpClient client) {
        this(settings, client, Clock.systemUTC());
    }

    AkamaiPurger(AkamaiSettings settings, ProviderHttpClient client, Clock clock) {
        super(client, clock);
        this.settings = settings;
        this.signer = new AkamaiSigner(settings, clock);
    }

    @Override
    public String provider() {
        return AkamaiPurgerFactory.PROVIDER;
    }

    @Override
    public RequestLimits limits() {
        // Prefixes are never sent, but limits must be positive.
        return new RequestLimits(
                settings.maxTags(), settings.maxUrls(), 1, AkamaiRequests.MAX_ESTIMATED_BYTES);
    }

    /** Akamai cache tags are case-sensitive. */
    @Override
    public boolean caseInsensitiveTags() {
        return false;
    }

    @Override
    public Optional<String> rejectReason(Selector selector, PurgeMode mode) {
        return AkamaiRequests.rejectReason(selector, settings);
    }

    /** A URL as the absolute URL object Akamai is sent. */
    @Override
    public String sentAs(Selector selector) {
        return selector.kind() == SelectorKind.URL
                ? AkamaiRequests.urlObject(selector.value(), settings.defaultHost())
                : selector.value();
    }

    /**
     * Akamai's documented limits: API requests 100 / 50 a second, URL objects 10,000 / 200 a
     * second, CP codes 300 / 30 a minute, cache tags 5,000 / 500 a minute.
     */
    @Override
    public List<BucketRule> rateLimits() {
        return rateLimits(settings.cpCodes().size());
    }

    /** Akamai's limits for a target whose everything purge names {@code cpCodes} CP codes. */
    public static List<BucketRule> rateLimits(int cpCodes) {
        return List.of(
                BucketRule.perRequest(
                        "api-requests",
                        100,
                        50,
                        Duration.ofSeconds(1),
                        EnumSet.allOf(SelectorKind.class)),
                BucketRule.perItem(
                        "url-objects",
                        10_000,
                        200,
                        Duration.ofSeconds(1),
                        Set.of(SelectorKind.URL)),
                new BucketRule(
                        "cp-codes",
                        300,
                        30,
                        Duration.ofMinutes(1),
                        Set.of(SelectorKind.EVERYTHING),
                        false,
                        Math.max(1, cpCodes)),
                BucketRule.perItem(
                        "cache-tags", 5_000, 500, Duration.ofMinutes(1), Set.of(SelectorKind.TAG)));
    }

    /** A body over 50,000 bytes is split into several calls. */
    @Override
    protected List<AkamaiCall> calls(PurgeRequest request) {
        return AkamaiRequests.build(request, settings);
    }

    /** The call signed with EdgeGrid over its path and body. */
    @Override
    protected HttpCall http(AkamaiCall call) {
        byte[] body = call.bodyBytes();
        String authorization =
                signer.authorization("POST", settings.basePath() + call.path(), body);
        return new HttpCall(
                settings.baseUrl() + call.path(),
                AkamaiRequests.headers(authorization),
                Optional.of(body));
    }

    @Override
    protected AkamaiAnswer answer(HttpResponse<Buffer> response) {
        return new AkamaiAnswer(
                response.statusCode(),
                response.bodyAsString(),
                Optional.ofNullable(response.getHeader("Retry-After")),
                Optional.ofNullable(response.getHeader("X-Ratelimit-Reset")));
    }

    @Override
    protected PurgeResult result(AkamaiCall call, AkamaiAnswer answer, Instant now) {
        return AkamaiResponses.toResult(answer, now);
    }

    @Override
    protected void log(
            PurgeRequest request,
            AkamaiCall call,
            int part,
            int parts,
            PurgeResult result,
            Optional<AkamaiAnswer> answer) {
        try (var log = LogContext.forBatch(request)) {
            if (result instanceof PurgeResult.Accepted accepted) {
                LOG.infof(
                        "akamai purge accepted: target=%s batch=%s call=%d/%d action=%s network=%s"
                                + " objects=%d purgeId=%s estimatedSeconds=%s",
                        settings.target(),
                        request.batchId(),
                        part,
                        parts,
                        call.action(),
                        settings.network(),
                        call.objects().size(),
                        accepted.purgeIds().isEmpty() ? "-" : accepted.purgeIds().getFirst(),
                        accepted.estimatedSeconds().isPresent()
                                ? String.valueOf(accepted.estimatedSeconds().getAsLong())
                                : "-");
            } else if (LOG.isDebugEnabled()) {
                LOG.debugf(
                        "akamai purge not accepted: target=%s batch=%s call=%d/%d action=%s"
                                + " objects=%d result=%s",
                        settings.target(),
                        request.batchId(),
                        part,
                        parts,
                        call.action(),
                        call.objects().size(),
                        result);
            }
        }
    }
}
