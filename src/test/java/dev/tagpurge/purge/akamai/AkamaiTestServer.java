package dev.tagpurge.purge.akamai;

import dev.tagpurge.sandbox.AkamaiEmulator;
import dev.tagpurge.sandbox.AkamaiEmulatorSettings;
import dev.tagpurge.sandbox.FaultInjector;
import dev.tagpurge.sandbox.PurgeRecorder;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The Akamai emulator alone on a plain Vert.x router and HTTP server on 127.0.0.1, mounted at
 * {@value #ROOT} with a body handler as the CDN sandbox installs one. It also captures every
 * request exactly as it arrived (method, raw path, headers, body), so tests can check what a client
 * really sent, signature included.
 */
public final class AkamaiTestServer implements AutoCloseable {

    /** Where the emulator is mounted. */
    public static final String ROOT = "/akamai";

    /**
     * One request as received.
     *
     * @param method HTTP method
     * @param path raw path and query
     * @param headers headers by lower-case name
     * @param body raw body
     */
    public record Received(String method, String path, Map<String, String> headers, byte[] body) {

        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        public JsonObject json() {
            return new JsonObject(new String(body, StandardCharsets.UTF_8));
        }
    }

    private final HttpServer server;
    private final PurgeRecorder recorder;
    private final FaultInjector faults;
    private final AkamaiEmulator emulator;
    private final List<Received> received;

    private AkamaiTestServer(
            HttpServer server,
            PurgeRecorder recorder,
            FaultInjector faults,
            AkamaiEmulator emulator,
            List<Received> received) {
        this.server = server;
        this.recorder = recorder;
        this.faults = faults;
        this.emulator = emulator;
        this.received = received;
    }

    /** Starts an emulator with {@code settings} on a free port; blocks, so not on an event loop. */
    public static AkamaiTestServer start(
            Vertx vertx, AkamaiEmulatorSettings settings, Clock clock) {
        PurgeRecorder recorder = new PurgeRecorder();
        FaultInjector faults = new FaultInjector();
        AkamaiEmulator emulator = new AkamaiEmulator(settings, recorder, faults, clock);
        List<Received> received = new ArrayList<>();
        Router router = Router.router(vertx);
        router.route(ROOT + "/*").handler(BodyHandler.create().setBodyLimit(1024 * 1024));
        router.route(ROOT + "/*")
                .handler(
                        ctx -> {
                            Map<String, String> headers = new TreeMap<>();
                            ctx.request()
                                    .headers()
                                    .forEach(
                                            h ->
                                                    headers.put(
                                                            h.getKey().toLowerCase(Locale.ROOT),
                                                            h.getValue()));
                            byte[] body =
                                    ctx.body().buffer() == null
                                            ? new byte[0]
                                            : ctx.body().buffer().getBytes();
                            synchronized (received) {
                                received.add(
                                        new Received(
                                                ctx.request().method().name(),
                                                ctx.request().uri(),
                                                Map.copyOf(headers),
                                                body));
                            }
                            ctx.next();
                        });
        emulator.mount(router, ROOT);
        HttpServer server =
                await(
                        vertx.createHttpServer(
                                        new HttpServerOptions().setHost("127.0.0.1").setPort(0))
                                .requestHandler(router)
                                .listen());
        return new AkamaiTestServer(server, recorder, faults, emulator, received);
    }

    /** The Akamai base URL, for {@code base-url}: {@code http://127.0.0.1:<port>/akamai}. */
    public String baseUrl() {
        return "http://127.0.0.1:" + server.actualPort() + ROOT;
    }

    /** {@code 127.0.0.1:<port>}, the host EdgeGrid signs. */
    public String host() {
        return "127.0.0.1:" + server.actualPort();
    }

    public PurgeRecorder recorder() {
        return recorder;
    }

    public FaultInjector faults() {
        return faults;
    }

    public AkamaiEmulator emulator() {
        return emulator;
    }

    /** Every request received, in arrival order. */
    public List<Received> received() {
        synchronized (received) {
            return List.copyOf(received);
        }
    }

    /** Forgets records, captures, faults and rate-limit state. */
    public void reset() {
        recorder.clear();
        faults.clear();
        emulator.reset();
        synchronized (received) {
            received.clear();
        }
    }

    @Override
    public void close() {
        await(server.close());
    }

    private static <T> T await(Future<T> future) {
        try {
            return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the akamai server", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("akamai test server: " + e.getMessage(), e);
        }
    }
}
