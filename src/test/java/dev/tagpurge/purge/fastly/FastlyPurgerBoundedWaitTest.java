package dev.tagpurge.purge.fastly;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tagpurge.domain.PurgeMode;
import dev.tagpurge.domain.Selector;
import dev.tagpurge.domain.SelectorKind;
import dev.tagpurge.purge.ProviderHttpClient;
import dev.tagpurge.purge.ProviderHttpClients;
import dev.tagpurge.purge.PurgeResult;
import dev.tagpurge.testing.TestTargetConfig;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.smallrye.mutiny.subscription.Cancellable;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.ext.web.client.WebClient;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The Fastly adapter against a server on 127.0.0.1 that accepts connections, reads requests and
 * never answers: every wait of the HTTP client is bounded and a given-up request costs nothing.
 */
class FastlyPurgerBoundedWaitTest {

    private Vertx vertx;
    private SilentServer server;
    private WebClient client;

    @BeforeEach
    void start() throws IOException {
        vertx = Vertx.vertx();
        server = new SilentServer();
        // one connection and one waiting request: a third request finds both taken
        client = ProviderHttpClients.create(vertx, ProviderHttpClients.options(1, 1));
    }

    @AfterEach
    void stop() throws IOException {
        client.close();
        server.close();
        vertx.closeAndAwait();
    }

    private FastlyPurger purger(Duration requestTimeout) {
        return new FastlyPurger(
                settings(
                        StubTargetConfig.fastly(
                                "http://127.0.0.1:" + server.port(), "SVC1", "token")),
                new ProviderHttpClient(client, requestTimeout, Duration.ofMinutes(5)));
    }

    private static CompletableFuture<PurgeResult> purge(FastlyPurger purger, String tag) {
        return purger.purge(
                        FastlyRequestsTest.request(
                                SelectorKind.TAG, PurgeMode.HARD, new Selector.Tag(tag)))
                .subscribeAsCompletionStage();
    }

    @Test
    void anUnansweredRequestTimesOutAsRetryableAndItsConnectionIsClosed() {
        PurgeResult result =
                purge(purger(Duration.ofMillis(500)), "never-answered")
                        .orTimeout(10, TimeUnit.SECONDS)
                        .join();

        assertThat(result)
                .isInstanceOfSatisfying(
                        PurgeResult.Retryable.class,
                        r -> assertThat(r.reason()).isEqualTo("timeout"));
        assertThat(server.received()).anyMatch(text -> text.contains("never-answered"));
        await().atMost(Duration.ofSeconds(5))
                .untilAsserted(
                        () ->
                                assertThat(server.connections())
                                        .isNotEmpty()
                                        .allMatch(c -> c.closed));
    }

    @Test
    void aTimeoutEndsTheRequestOnceWithoutAFailureDroppedOnTheSide() {
        List<Throwable> dropped = new CopyOnWriteArrayList<>();
        Infrastructure.setDroppedExceptionHandler(dropped::add);
        try {
            FastlyPurger purger = purger(Duration.ofMillis(50));
            for (int i = 0; i < 20; i++) {
                PurgeResult result =
                        purge(purger, "unanswered-" + i).orTimeout(10, TimeUnit.SECONDS).join();

                assertThat(result)
                        .isInstanceOfSatisfying(
                                PurgeResult.Retryable.class,
                                r -> assertThat(r.reason()).isEqualTo("timeout"));
            }
            // a second timer firing late would hand its failure to the drop handler
            await().during(Duration.ofMillis(300))
                    .atMost(Duration.ofSeconds(2))
                    .untilAsserted(() -> assertThat(dropped).isEmpty());
        } finally {
            Infrastructure.resetDroppedExceptionHandler();
        }
    }

    @Test
    void theClientGivesARequestUpOnlyAfterTheRequestTimeoutAndAGraceSoItsCallerCancelsFirst() {
        // the pipeline cancels at the request timeout; the client's own timer firing at the same
        // instant would race that cancellation and have its failure dropped with an error logged
        long start = System.nanoTime();

        PurgeResult result =
                purge(purger(Duration.ofMillis(200)), "late")
                        .orTimeout(10, TimeUnit.SECONDS)
                        .join();

        Duration waited = Duration.ofNanos(System.nanoTime() - start);
        assertThat(result)
                .isInstanceOfSatisfying(
                        PurgeResult.Retryable.class,
                        r -> assertThat(r.reason()).isEqualTo("timeout"));
        assertThat(waited)
                .as("half the request timeout later")
                .isGreaterThanOrEqualTo(Duration.ofMillis(300));
    }

    @Test
    void beyondPoolAndQueueARequestIsRefusedAtOnceAsRetryable() {
        FastlyPurger purger = purger(Duration.ofSeconds(60));
        CompletableFuture<PurgeResult> onTheWire = purge(purger, "first");
        await().atMost(Duration.ofSeconds(5))
                .until(() -> server.received().stream().anyMatch(t -> t.contains("first")));
        CompletableFuture<PurgeResult> waiting = purge(purger, "second");

        PurgeResult refused = purge(purger, "third").orTimeout(10, TimeUnit.SECONDS).join();

        assertThat(refused)
                .isInstanceOfSatisfying(
                        PurgeResult.Retryable.class,
                        r -> assertThat(r.reason()).isEqualTo("pool-full"));
        assertThat(onTheWire).as("still waiting for its answer").isNotDone();
        assertThat(waiting).as("still waiting for a connection").isNotDone();
        assertThat(server.received()).noneMatch(t -> t.contains("third"));
        onTheWire.cancel(true);
        waiting.cancel(true);
    }

    @Test
    void aRequestGivenUpWhileWaitingForAConnectionIsNeverSent() {
        FastlyPurger purger = purger(Duration.ofSeconds(60));
        Cancellable first = subscribe(purger, "first");
        await().atMost(Duration.ofSeconds(5))
                .until(() -> server.received().stream().anyMatch(t -> t.contains("first")));
        Cancellable queued = subscribe(purger, "queued");

        queued.cancel();
        first.cancel();

        // the cancelled request on the wire had its connection closed, freeing the pool
        await().atMost(Duration.ofSeconds(5)).until(() -> server.connections().getFirst().closed);
        // the queue is first-come first-served: "queued" would go out before "marker"
        Cancellable marker = subscribe(purger, "marker");
        await().atMost(Duration.ofSeconds(10))
                .until(() -> server.received().stream().anyMatch(t -> t.contains("marker")));
        assertThat(server.received()).noneMatch(t -> t.contains("queued"));
        marker.cancel();
    }

    private static Cancellable subscribe(FastlyPurger purger, String tag) {
        return purger.purge(
                        FastlyRequestsTest.request(
                                SelectorKind.TAG, PurgeMode.HARD, new Selector.Tag(tag)))
                .subscribe()
                .with(r -> {}, f -> {});
    }

    /**
     * Accepts, records what each connection sends and whether the client closed it; never answers.
     */
    private static final class SilentServer implements AutoCloseable {

        static final class Connection {
            final StringBuffer text = new StringBuffer();
            volatile boolean closed;
        }

        private final ServerSocket socket;
        private final List<Connection> connections = new CopyOnWriteArrayList<>();
        private final List<Socket> accepted = new CopyOnWriteArrayList<>();

        SilentServer() throws IOException {
            socket = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
            Thread acceptor = new Thread(this::accept, "silent-server-accept");
            acceptor.setDaemon(true);
            acceptor.start();
        }

        int port() {
            return socket.getLocalPort();
        }

        List<Connection> connections() {
            return connections;
        }

        List<String> received() {
            return connections.stream().map(c -> c.text.toString()).toList();
        }

        private void accept() {
            while (!socket.isClosed()) {
                try {
                    Socket s = socket.accept();
                    accepted.add(s);
                    Connection c = new Connection();
                    connections.add(c);
                    Thread reader = new Thread(() -> read(s, c), "silent-server-read");
                    reader.setDaemon(true);
                    reader.start();
                } catch (IOException e) {
                    return;
                }
            }
        }

        private static void read(Socket s, Connection c) {
            byte[] buffer = new byte[8192];
            try (InputStream in = s.getInputStream()) {
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    c.text.append(new String(buffer, 0, n, StandardCharsets.ISO_8859_1));
                }
            } catch (IOException e) {
                // a reset is a close too
            }
            c.closed = true;
        }

        @Override
        public void close() throws IOException {
            socket.close();
            for (Socket s : accepted) {
                s.close();
            }
        }
    }

    private static FastlySettings settings(TestTargetConfig config) {
        return FastlySettings.from(
                "web", config, config.keys(FastlyTargets.class, FastlyTargets::targets));
    }
}
