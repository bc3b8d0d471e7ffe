package dev.tagpurge.sandbox;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jboss.logging.Logger;

/**
 * The {@link CdnSandbox} on its own HTTP server, bound to 127.0.0.1: for tests, benchmarks and
 * local runs outside Quarkus. The emulators live at the root, so the Fastly base URL is {@code
 * baseUrl() + "/fastly"}. Start and close block, so never call them on an event loop.
 */
public final class SandboxServer implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(SandboxServer.class);
    private static final long TIMEOUT_SECONDS = 10;
    private static final String HOST = "127.0.0.1";

    private final Vertx vertx;
    private final boolean ownsVertx;
    private final HttpServer server;
    private final CdnSandbox sandbox;

    private SandboxServer(Vertx vertx, boolean ownsVertx, HttpServer server, CdnSandbox sandbox) {
        this.vertx = vertx;
        this.ownsVertx = ownsVertx;
        this.server = server;
        this.sandbox = sandbox;
    }

    /** Starts a default sandbox on its own Vert.x instance, closed by {@link #close()}. */
    public static SandboxServer start(int port) {
        Vertx vertx = Vertx.vertx();
        try {
            return start(vertx, true, port, new CdnSandbox());
        } catch (RuntimeException e) {
            vertx.close();
            throw e;
        }
    }

    /** Starts a default sandbox on {@code port} (0 picks a free one). */
    public static SandboxServer start(Vertx vertx, int port) {
        return start(vertx, port, new CdnSandbox());
    }

    /** Starts {@code sandbox} on {@code port} (0 picks a free one). */
    public static SandboxServer start(Vertx vertx, int port, CdnSandbox sandbox) {
        return start(vertx, false, port, sandbox);
    }

    private static SandboxServer start(
            Vertx vertx, boolean ownsVertx, int port, CdnSandbox sandbox) {
        Router router = Router.router(vertx);
        sandbox.mount(router, "");
        HttpServer server =
                await(
                        vertx.createHttpServer(new HttpServerOptions().setHost(HOST).setPort(port))
                                .requestHandler(router)
                                .listen());
        SandboxServer started = new SandboxServer(vertx, ownsVertx, server, sandbox);
        LOG.infof("CDN sandbox listening on %s", started.baseUrl());
        return started;
    }

    /** The port it listens on. */
    public int port() {
        return server.actualPort();
    }

    /** The root URL, e.g. {@code http://127.0.0.1:41234}. */
    public String baseUrl() {
        return "http://" + HOST + ":" + port();
    }

    /** The base URL of the Fastly API, for {@code tagpurge.targets.<name>.base-url}. */
    public String fastlyUrl() {
        return baseUrl() + "/" + FastlyEmulator.PROVIDER;
    }

    /** The CloudFront endpoint of this sandbox: a CloudFront target's {@code base-url}. */
    public String cloudfrontUrl() {
        return baseUrl() + "/" + CloudFrontEmulator.PROVIDER;
    }

    /** The Akamai API root of this sandbox: an Akamai target's {@code base-url}. */
    public String akamaiUrl() {
        return baseUrl() + "/" + AkamaiEmulator.PROVIDER;
    }

    /** The Cloudflare API root of this sandbox: a Cloudflare target's {@code base-url}. */
    public String cloudflareUrl() {
        return baseUrl() + "/" + CloudflareEmulator.PROVIDER;
    }

    /** The sandbox it serves. */
    public CdnSandbox sandbox() {
        return sandbox;
    }

    /** Stops the server, and the Vert.x instance if it created it. */
    @Override
    public void close() {
        await(server.close());
        if (ownsVertx) {
            await(vertx.close());
        }
    }

    /**
     * Runs the sandbox until the process is stopped; the port is the first argument (default 8089).
     */
    public static void main(String[] args) {
        SandboxServer.start(args.length > 0 ? Integer.parseInt(args[0]) : 8089);
    }

    private static <T> T await(Future<T> future) {
        if (Context.isOnEventLoopThread()) {
            throw new IllegalStateException(
                    "SandboxServer blocks; do not start or close it on an event loop");
        }
        try {
            return future.toCompletionStage()
                    .toCompletableFuture()
                    .get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the sandbox server", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException(
                    "sandbox server did not start or stop: " + e.getMessage(), e);
        }
    }
}
