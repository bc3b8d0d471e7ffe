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
 * The {@link CdnSandbox} on its own HTTP server, bound to 127.0.0.1 unless told otherwise: for
 * tests, benchmarks and local runs ({@link SandboxMain}). The emulators live at the root, so the
 * Fastly base URL is {@code baseUrl() + "/fastly"}. Start and close block, so never call them on an
 * event loop.
 */
public final class SandboxServer implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(SandboxServer.class);
    private static final long TIMEOUT_SECONDS = 10;

    /** The address bound by default: the loopback interface only. */
    public static final String LOOPBACK = "127.0.0.1";

    private final Vertx vertx;
    private final boolean ownsVertx;
    private final HttpServer server;
    private final String host;
    private final CdnSandbox sandbox;

    private SandboxServer(
            Vertx vertx, boolean ownsVertx, HttpServer server, String host, CdnSandbox sandbox) {
        this.vertx = vertx;
        this.ownsVertx = ownsVertx;
        this.server = server;
        this.host = host;
        this.sandbox = sandbox;
    }

    /** Starts a default sandbox on its own Vert.x instance, closed by {@link #close()}. */
    public static SandboxServer start(int port) {
        return start(LOOPBACK, port);
    }

    /**
     * Starts a default sandbox on its own Vert.x instance, bound to {@code host} (e.g. {@code
     * 0.0.0.0} in a container), closed by {@link #close()}.
     */
    public static SandboxServer start(String host, int port) {
        Vertx vertx = Vertx.vertx();
        try {
            return start(vertx, true, host, port, new CdnSandbox());
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
        return start(vertx, false, LOOPBACK, port, sandbox);
    }

    private static SandboxServer start(
            Vertx vertx, boolean ownsVertx, String host, int port, CdnSandbox sandbox) {
        Router router = Router.router(vertx);
        sandbox.mount(router, "");
        HttpServer server =
                await(
                        vertx.createHttpServer(new HttpServerOptions().setHost(host).setPort(port))
                                .requestHandler(router)
                                .listen());
        SandboxServer started = new SandboxServer(vertx, ownsVertx, server, host, sandbox);
        LOG.infof("CDN sandbox listening on %s", started.baseUrl());
        return started;
    }

    /** The port it listens on. */
    public int port() {
        return server.actualPort();
    }

    /**
     * The root URL, e.g. {@code http://127.0.0.1:41234}; bound to every interface ({@code
     * 0.0.0.0}), it names the loopback address, the one that reaches it from this machine.
     */
    public String baseUrl() {
        String reachable = "0.0.0.0".equals(host) || "::".equals(host) ? LOOPBACK : host;
        return "http://" + reachable + ":" + port();
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
