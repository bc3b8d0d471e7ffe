package dev.tagpurge.purge.cloudflare;

import dev.tagpurge.sandbox.CloudflareEmulator;
import dev.tagpurge.sandbox.CloudflareEmulatorSettings;
import dev.tagpurge.sandbox.FaultInjector;
import dev.tagpurge.sandbox.PurgeRecorder;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * The Cloudflare emulator alone on a plain Vert.x server on 127.0.0.1, mounted at {@value #ROOT} as
 * the CDN sandbox mounts it, with every raw request kept so tests can assert exactly what went over
 * the wire (the emulator's own records never hold the token).
 */
final class CloudflareEmulatorServer implements AutoCloseable {

    static final String ROOT = "/cloudflare";

    /** One request as it arrived; header names lower-cased. */
    record Received(String method, String path, Map<String, String> headers, String body) {}

    private final HttpServer server;
    private final CloudflareEmulator emulator;
    private final PurgeRecorder recorder;
    private final FaultInjector faults;
    private final List<Received> received;

    private CloudflareEmulatorServer(
            HttpServer server,
            CloudflareEmulator emulator,
            PurgeRecorder recorder,
            FaultInjector faults,
            List<Received> received) {
        this.server = server;
        this.emulator = emulator;
        this.recorder = recorder;
        this.faults = faults;
        this.received = received;
    }

    static CloudflareEmulatorServer start(Vertx vertx, CloudflareEmulatorSettings settings) {
        PurgeRecorder recorder = new PurgeRecorder();
        FaultInjector faults = new FaultInjector();
        CloudflareEmulator emulator =
                new CloudflareEmulator(settings, recorder, faults, Clock.systemUTC());
        List<Received> received = new CopyOnWriteArrayList<>();
        Router router = Router.router(vertx);
        router.route(ROOT + "/*").handler(BodyHandler.create());
        router.route(ROOT + "/*")
                .handler(
                        ctx -> {
                            received.add(
                                    new Received(
                                            ctx.request().method().name(),
                                            ctx.request().path(),
                                            ctx.request().headers().entries().stream()
                                                    .collect(
                                                            Collectors.toMap(
                                                                    e ->
                                                                            e.getKey()
                                                                                    .toLowerCase(
                                                                                            Locale
                                                                                                    .ROOT),
                                                                    Map.Entry::getValue,
                                                                    (a, b) -> a + "," + b)),
                                            ctx.body().asString()));
                            ctx.next();
                        });
        emulator.mount(router, ROOT);
        HttpServer server =
                await(
                        vertx.createHttpServer(
                                        new HttpServerOptions().setHost("127.0.0.1").setPort(0))
                                .requestHandler(router)
                                .listen());
        return new CloudflareEmulatorServer(server, emulator, recorder, faults, received);
    }

    /** The API root to configure as {@code base-url}. */
    String baseUrl() {
        return "http://127.0.0.1:" + server.actualPort() + ROOT;
    }

    PurgeRecorder recorder() {
        return recorder;
    }

    FaultInjector faults() {
        return faults;
    }

    List<Received> received() {
        return List.copyOf(received);
    }

    /** Forgets requests, records, faults and buckets. */
    void reset() {
        received.clear();
        recorder.clear();
        faults.clear();
        emulator.reset();
    }

    @Override
    public void close() {
        await(server.close());
    }

    private static <T> T await(Future<T> future) {
        try {
            return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("emulator server did not start or stop", e);
        }
    }
}
