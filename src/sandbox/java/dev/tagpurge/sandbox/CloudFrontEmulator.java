package dev.tagpurge.sandbox;

import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * CloudFront's invalidation API as the AWS SDK for Java v2 calls it, REST-XML, version {@value
 * CloudFrontXml#API_VERSION}:
 *
 * <ul>
 *   <li>{@code POST /2020-05-31/distribution/{Id}/invalidation} with an {@code InvalidationBatch}
 *       body: 201, {@code Location} and the {@code Invalidation} (status {@code InProgress});
 *   <li>{@code GET /2020-05-31/distribution/{Id}/invalidation/{InvalidationId}}: the {@code
 *       Invalidation}, {@code Completed} once the completion delay has passed.
 * </ul>
 *
 * <p>Requests must carry a SigV4 {@code Authorization} header (the signature itself is not checked)
 * and are validated like CloudFront: Quantity matches the items, paths start with {@code /} with
 * {@code *} only last and at most 4,000 characters, {@code #tag} items at most 256 characters
 * without wildcard; a repeated CallerReference with the same paths returns the existing
 * invalidation, with other paths 409 {@code InvalidationBatchAlreadyExists}; beyond the
 * per-distribution in-progress limits 400 {@code TooManyInvalidationsInProgress}. Errors are AWS
 * XML {@code ErrorResponse}s with {@code x-amzn-RequestId}. Any distribution id is accepted.
 *
 * <p>Faults apply first. Every request is recorded: action {@code create-invalidation} (items: the
 * paths; the CallerReference under the pseudo-header {@code CallerReference}) or {@code
 * get-invalidation} (no items).
 */
public final class CloudFrontEmulator implements ProviderEmulator {

    /** The provider name and the path segment of its root. */
    public static final String PROVIDER = "cloudfront";

    /** The CloudFront API version in every path. */
    public static final String API_VERSION = CloudFrontXml.API_VERSION;

    private static final Logger LOG = Logger.getLogger(CloudFrontEmulator.class);

    private final CloudFrontResponder responder;
    private final PurgeRecorder recorder;
    private final FaultInjector faults;
    private final Clock clock;

    public CloudFrontEmulator(
            CloudFrontEmulatorSettings settings,
            PurgeRecorder recorder,
            FaultInjector faults,
            Clock clock) {
        this.responder = new CloudFrontResponder(settings, clock);
        this.recorder = recorder;
        this.faults = faults;
        this.clock = clock;
    }

    @Override
    public String provider() {
        return PROVIDER;
    }

    @Override
    public void mount(Router router, String root) {
        String invalidations =
                root + "/" + API_VERSION + "/distribution/:distributionId/invalidation";
        router.post(invalidations)
                .handler(
                        ctx ->
                                handle(
                                        ctx,
                                        CloudFrontInbound.parse(
                                                ctx, root, CloudFrontInbound.CREATE)));
        router.get(invalidations + "/:invalidationId")
                .handler(
                        ctx ->
                                handle(
                                        ctx,
                                        CloudFrontInbound.parse(ctx, root, CloudFrontInbound.GET)));
        router.route(root + "/*")
                .handler(
                        ctx ->
                                CloudFrontReply.error(
                                                404,
                                                "NotFound",
                                                "The emulated CloudFront API has no "
                                                        + ctx.request().method()
                                                        + " "
                                                        + ctx.request().path())
                                        .send(ctx));
    }

    /** Forgets every invalidation and restores the configured completion delay. */
    @Override
    public void reset() {
        responder.reset();
    }

    /** Every invalidation created since the last reset, oldest first per distribution. */
    public List<CloudFrontInvalidation> invalidations() {
        return responder.invalidations();
    }

    /**
     * Sets how long invalidations created from now on stay InProgress (a fault: CloudFront slow to
     * complete). {@link #reset()} restores the configured delay.
     */
    public void completionDelay(Duration delay) {
        responder.completionDelay(delay);
    }

    /** How long new invalidations stay InProgress. */
    public Duration completionDelay() {
        return responder.completionDelay();
    }

    private void handle(RoutingContext ctx, CloudFrontInbound in) {
        faults.apply(PROVIDER, ctx, decision -> respond(ctx, in, decision));
    }

    private void respond(
            RoutingContext ctx, CloudFrontInbound in, FaultInjector.Decision decision) {
        CloudFrontReply reply =
                decision.status().map(CloudFrontReply::fault).orElseGet(() -> responder.answer(in));
        // recorded before the answer goes out: a client that got it can list it at once
        recorder.record(
                new RecordedPurge(
                        PROVIDER,
                        ctx.request().method().name(),
                        in.path(),
                        in.headers(),
                        in.authorization().isPresent(),
                        in.action(),
                        in.items(),
                        false,
                        reply.status(),
                        clock.instant()));
        reply.send(ctx);
        if (CloudFrontInbound.CREATE.equals(in.action())) {
            LOG.infof(
                    "sandbox cloudfront invalidation: distribution=%s %d paths status=%d",
                    in.distributionId(), in.items().size(), reply.status());
        } else {
            LOG.debugf(
                    "sandbox cloudfront get invalidation: distribution=%s id=%s status=%d",
                    in.distributionId(), in.invalidationId().orElse(""), reply.status());
        }
    }
}
