package dev.tagpurge.sandbox;

import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import org.jboss.logging.Logger;

/**
 * Fastly's purge API: {@code POST /service/{id}/purge} (bulk, ≤ 256 keys), {@code POST
 * /service/{id}/purge/{key}}, {@code POST /purge/{url}} and {@code POST /service/{id}/purge_all},
 * with {@code Fastly-Key} auth, soft purge and the hourly budget of counted calls. Faults apply
 * first; every request is recorded with its answer.
 */
public final class FastlyEmulator implements ProviderEmulator {

    /** The provider name and the path segment of its root. */
    public static final String PROVIDER = "fastly";

    private static final Logger LOG = Logger.getLogger(FastlyEmulator.class);

    private final FastlyResponder responder;
    private final PurgeRecorder recorder;
    private final FaultInjector faults;
    private final Clock clock;

    public FastlyEmulator(
            FastlyEmulatorSettings settings,
            PurgeRecorder recorder,
            FaultInjector faults,
            Clock clock) {
        this.responder = new FastlyResponder(settings, clock);
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
        // Registered in this order so the exact bulk and purge_all paths win over the key wildcard.
        router.post(root + "/service/:serviceId/purge")
                .handler(ctx -> handle(ctx, FastlyInbound.parse(ctx, root, FastlyInbound.BULK)));
        router.post(root + "/service/:serviceId/purge_all")
                .handler(
                        ctx ->
                                handle(
                                        ctx,
                                        FastlyInbound.parse(ctx, root, FastlyInbound.PURGE_ALL)));
        router.post(root + "/service/:serviceId/purge/*")
                .handler(ctx -> handle(ctx, FastlyInbound.parse(ctx, root, FastlyInbound.KEY)));
        router.post(root + "/purge/*")
                .handler(ctx -> handle(ctx, FastlyInbound.parse(ctx, root, FastlyInbound.URL)));
        router.route(root + "/*")
                .handler(ctx -> HttpReply.message(404, "msg", "Record not found").send(ctx));
    }

    @Override
    public void reset() {
        responder.reset();
    }

    private void handle(RoutingContext ctx, FastlyInbound in) {
        faults.apply(PROVIDER, ctx, decision -> respond(ctx, in, decision));
    }

    private void respond(RoutingContext ctx, FastlyInbound in, FaultInjector.Decision decision) {
        HttpReply reply =
                decision.status().map(FastlyResponder::fault).orElseGet(() -> responder.answer(in));
        // recorded before the answer goes out: a client that got it can list it at once
        recorder.record(
                new RecordedPurge(
                        PROVIDER,
                        ctx.request().method().name(),
                        in.path(),
                        in.headers(),
                        in.token().isPresent(),
                        in.action(),
                        in.items(),
                        in.soft(),
                        reply.status(),
                        clock.instant()));
        reply.send(ctx);
        LOG.infof(
                "sandbox fastly purge: %s soft=%s status=%d",
                describe(in), in.soft(), reply.status());
    }

    private static String describe(FastlyInbound in) {
        return switch (in.action()) {
            case FastlyInbound.BULK, FastlyInbound.KEY -> in.items().size() + " keys";
            case FastlyInbound.URL -> in.items().size() + " urls";
            default -> "all";
        };
    }
}
