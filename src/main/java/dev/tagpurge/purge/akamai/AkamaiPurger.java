package dev.tagpurge.purge.akamai;

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
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
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
public final class AkamaiPurger implements Purger {

    private static final Logger LOG = Logger.getLogger(AkamaiPurger.class);

    private final AkamaiSettings settings;
    private final ProviderHttpClient client;
    private final Clock clock;
    private final AkamaiSigner signer;

    /** What one call answered, with Akamai's estimate for the log. */
    private record CallOutcome(PurgeResult result, Optional<Long> estimatedSeconds) {}

    /** An adapter for one target, sending through a shared client. */
    public AkamaiPurger(AkamaiSettings settings, ProviderHttpClient client) {
        this(settings, client, Clock.systemUTC());
    }

    AkamaiPurger(AkamaiSettings settings, ProviderHttpClient client, Clock clock) {
        this.settings = settings;
        this.client = client;
        this.clock = clock;
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

    @Override
    public Uni<PurgeResult> purge(PurgeRequest request) {
        List<AkamaiCall> calls;
        try {
            calls = AkamaiRequests.build(request, settings);
        } catch (IllegalArgumentException e) {
            return Uni.createFrom().item(PurgeResult.permanent("bad-request", e.getMessage()));
        }
        return sendFrom(request, calls, 0, List.of());
    }

    // Calls go one after the other and stop at the first failure, bounding what one batch sends.
    private Uni<PurgeResult> sendFrom(
            PurgeRequest request, List<AkamaiCall> calls, int index, List<String> purgeIds) {
        return sendOne(request, calls, index)
                .flatMap(
                        result -> {
                            if (!(result instanceof PurgeResult.Accepted accepted)) {
                                return Uni.createFrom().item(result);
                            }
                            List<String> ids = new ArrayList<>(purgeIds);
                            ids.addAll(accepted.purgeIds());
                            return index + 1 < calls.size()
                                    ? sendFrom(request, calls, index + 1, ids)
                                    : Uni.createFrom().item(PurgeResult.accepted(ids));
                        });
    }

    private Uni<PurgeResult> sendOne(PurgeRequest request, List<AkamaiCall> calls, int index) {
        AkamaiCall call = calls.get(index);
        return Uni.createFrom()
                .deferred(() -> send(call))
                .map(AkamaiPurger::answer)
                .map(
                        answer ->
                                new CallOutcome(
                                        client.bounded(
                                                AkamaiResponses.toResult(answer, clock.instant())),
                                        AkamaiResponses.estimatedSeconds(answer.body())))
                .onFailure()
                .recoverWithItem(
                        failure ->
                                new CallOutcome(
                                        AkamaiResponses.fromFailure(failure), Optional.empty()))
                .invoke(outcome -> log(request, call, index + 1, calls.size(), outcome))
                .map(CallOutcome::result);
    }

    private Uni<HttpResponse<Buffer>> send(AkamaiCall call) {
        byte[] body = call.bodyBytes();
        String authorization =
                signer.authorization("POST", settings.basePath() + call.path(), body);
        HttpRequest<Buffer> http = client.post(settings.baseUrl() + call.path());
        AkamaiRequests.headers(authorization).forEach(http::putHeader);
        return client.send(http, Optional.of(Buffer.buffer(body)));
    }

    private static AkamaiAnswer answer(HttpResponse<Buffer> response) {
        return new AkamaiAnswer(
                response.statusCode(),
                response.bodyAsString(),
                Optional.ofNullable(response.getHeader("Retry-After")),
                Optional.ofNullable(response.getHeader("X-Ratelimit-Reset")));
    }

    private void log(
            PurgeRequest request, AkamaiCall call, int part, int parts, CallOutcome outcome) {
        try (var log = LogContext.forBatch(request)) {
            if (outcome.result() instanceof PurgeResult.Accepted accepted) {
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
                        outcome.estimatedSeconds().map(String::valueOf).orElse("-"));
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
                        outcome.result());
            }
        }
    }
}
