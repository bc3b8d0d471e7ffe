package dev.tagpurge.sandbox;

import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import org.jboss.logging.Logger;

/**
 * Cloudflare's purge API: {@code POST /zones/{zone_id}/purge_cache} and, for soft purges, {@code
 * POST /zones/{zone_id}/invalidate_cache}, with bearer auth, one selector type per body ({@code
 * files}, {@code tags}, {@code hosts}, {@code prefixes} or {@code purge_everything}), the plan's
 * items per request and its token buckets (error 1134 with {@code Retry-After} when empty). Faults
 * apply first; every request is recorded with its answer.
 *
 * <p>Like every emulator it expects a body handler on its routes, which {@link CdnSandbox}
 * installs.
 */
public final class CloudflareEmulator implements ProviderEmulator {

    /** The provider name and the path segment of its root. */
    public static final String PROVIDER = "cloudflare";

    private static final Logger LOG = Logger.getLogger(CloudflareEmulator.class);

    private final CloudflareResponder responder;
    private final PurgeRecorder recorder;
    private final FaultInjector faults;
    private final Clock clock;

    public CloudflareEmulator(
            CloudflareEmulatorSettings settings,
            PurgeRecorder recorder,
            FaultInjector faults,
            Clock clock) {
        this.responder = new CloudflareResponder(settings, clock);
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
        router.post(root + "/zones/:zone/purge_cache")
                .handler(ctx -> handle(ctx, CloudflareInbound.parse(ctx, root, false)));
        router.post(root + "/zones/:zone/invalidate_cache")
                .handler(ctx -> handle(ctx, CloudflareInbound.parse(ctx, root, true)));
        router.route(root + "/*")
                .handler(
                        ctx ->
                                CloudflareResponder.error(
                                                404,
                                                CloudflareResponder.NO_ROUTE,
                                                "No route for that URI")
                                        .send(ctx));
    }

    @Override
    public void reset() {
        responder.reset();
    }

    private void handle(RoutingContext ctx, CloudflareInbound in) {
        faults.apply(PROVIDER, ctx, decision -> respond(ctx, in, decision));
    }

    private void respond(
            RoutingContext ctx, CloudflareInbound in, FaultInjector.Decision decision) {
        HttpReply reply =
                decision.status()
                        .map(CloudflareResponder::fault)
                        .orElseGet(() -> responder.answer(in));
        // recorded before the answer goes out: a client that got it can list it at once
        recorder.record(
                new RecordedPurge(
                        PROVIDER,
                        ctx.request().method().name(),
                        in.path(),
                        in.headers(),
                        in.authPresent(),
                        in.action(),
                        in.items(),
                        in.soft(),
                        reply.status(),
                        clock.instant()));
        reply.send(ctx);
        LOG.infof(
                "sandbox cloudflare purge: %s soft=%s status=%d",
                describe(in), in.soft(), reply.status());
    }

    private static String describe(CloudflareInbound in) {
        return switch (in.action()) {
            case CloudflareInbound.EVERYTHING -> "everything";
            case CloudflareInbound.INVALID -> "invalid request";
            default -> in.items().size() + " " + in.action();
        };
    }
}
