package dev.tagpurge.sandbox;

import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import org.jboss.logging.Logger;

/**
 * Akamai Fast Purge (CCU v3): {@code POST
 * /ccu/v3/{invalidate|delete}/{url|tag|cpcode}/{staging|production}} with {@code {"objects":[…]}}.
 * It verifies EdgeGrid signatures for real (401), refuses bodies over 50,000 bytes (413) and bad
 * objects (400, one bad object fails the request), and applies the four account-wide token buckets
 * (429 with {@code X-Ratelimit-Limit}, {@code X-Ratelimit-Remaining}, {@code Retry-After}). Errors
 * are {@code application/problem+json}; success is 201 with a {@code purgeId}. Faults apply first;
 * every request is recorded with its answer.
 *
 * <p>The routes read the body from a {@code BodyHandler} installed on {@code root/*}, as {@link
 * CdnSandbox#mount} does.
 */
public final class AkamaiEmulator implements ProviderEmulator {

    /** The provider name and the path segment of its root. */
    public static final String PROVIDER = "akamai";

    private static final Logger LOG = Logger.getLogger(AkamaiEmulator.class);

    private final AkamaiResponder responder;
    private final PurgeRecorder recorder;
    private final FaultInjector faults;
    private final Clock clock;

    public AkamaiEmulator(
            AkamaiEmulatorSettings settings,
            PurgeRecorder recorder,
            FaultInjector faults,
            Clock clock) {
        this.responder = new AkamaiResponder(settings, clock);
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
        router.post(root + "/ccu/v3/:operation/:type/:network")
                .handler(ctx -> handle(ctx, AkamaiInbound.parse(ctx, root)));
        router.route(root + "/*").handler(ctx -> notFound(ctx, ctx.request().path()));
    }

    @Override
    public void reset() {
        responder.reset();
    }

    private void handle(RoutingContext ctx, AkamaiInbound in) {
        if (!in.routable()) {
            notFound(ctx, in.path());
            return;
        }
        faults.apply(PROVIDER, ctx, decision -> respond(ctx, in, decision));
    }

    private void respond(RoutingContext ctx, AkamaiInbound in, FaultInjector.Decision decision) {
        AkamaiReply reply =
                decision.status()
                        .map(status -> AkamaiResponder.fault(status, in.path()))
                        .orElseGet(() -> responder.answer(in));
        // recorded before the answer goes out: a client that got it can list it at once
        recorder.record(
                new RecordedPurge(
                        PROVIDER,
                        in.method(),
                        in.path(),
                        in.headers(),
                        in.authorization().isPresent(),
                        in.action(),
                        in.items(),
                        in.soft(),
                        reply.status(),
                        clock.instant()));
        reply.send(ctx);
        LOG.infof(
                "sandbox akamai purge: %s %s %d objects (%d bytes) status=%d",
                in.action(), in.network(), in.items().size(), in.body().length, reply.status());
    }

    private static void notFound(RoutingContext ctx, String path) {
        AkamaiReply.problem(404, "not-found", "Not found", "No such resource: " + path, path)
                .send(ctx);
    }
}
