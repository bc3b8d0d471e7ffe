package dev.tagpurge.testing;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.awaitility.core.ConditionTimeoutException;
import org.awaitility.core.TerminalFailureException;

/**
 * A real {@code moto_server} process (moto, an independent AWS emulator) for tests, bound to
 * 127.0.0.1 on a free port. Its log is {@code target/moto-<port>/moto.log}. It is stopped through
 * its {@link Process} handle only, never by name.
 *
 * <p>Point an AWS SDK client at {@link #endpoint()} with any credentials; moto checks none.
 */
public final class MotoServer implements AutoCloseable {

    /** The executable looked up on {@code PATH}. */
    public static final String EXECUTABLE = "moto_server";

    private static final String HOST = "127.0.0.1";
    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(30);

    private final Process process;
    private final int port;
    private final Path logFile;

    private MotoServer(Process process, int port, Path logFile) {
        this.process = process;
        this.port = port;
        this.logFile = logFile;
    }

    /** Where {@code moto_server} is installed, if it is on {@code PATH}. */
    public static Optional<Path> executable() {
        return LocalRedisServer.findOnPath(EXECUTABLE);
    }

    /**
     * Starts moto on a free port and waits until it answers HTTP.
     *
     * @throws IllegalStateException if {@code moto_server} is not on {@code PATH} or does not start
     */
    public static MotoServer start() {
        Path executable =
                executable()
                        .orElseThrow(
                                () ->
                                        new IllegalStateException(
                                                EXECUTABLE
                                                        + " is not on PATH: install moto (pip install 'moto[server]')"));
        int port = FreePort.pick();
        Path dir =
                ChildProcess.freshDirectory(ChildProcess.buildDirectory().resolve("moto-" + port));
        Path log = dir.resolve("moto.log");
        List<String> command =
                List.of(executable.toString(), "-H", HOST, "-p", Integer.toString(port));
        Process process;
        try {
            process =
                    new ProcessBuilder(command)
                            .directory(dir.toFile())
                            .redirectErrorStream(true)
                            .redirectOutput(log.toFile())
                            .start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + executable, e);
        }
        MotoServer server = new MotoServer(process, port, log);
        server.awaitReady();
        return server;
    }

    public int port() {
        return port;
    }

    /** {@code http://127.0.0.1:<port>}, the SDK's endpoint override. */
    public String endpoint() {
        return "http://" + HOST + ":" + port;
    }

    /** The moto process id. */
    public long pid() {
        return process.pid();
    }

    public Path logFile() {
        return logFile;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Stops moto (SIGTERM, then SIGKILL after 10 s) and waits for it to exit. Idempotent. */
    @Override
    public void close() {
        ChildProcess.stop(process, 10);
    }

    private void awaitReady() {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        try {
            await(EXECUTABLE + " on port " + port + " answers HTTP")
                    .atMost(STARTUP_TIMEOUT)
                    .pollInterval(Duration.ofMillis(100))
                    .failFast(EXECUTABLE + " exited", () -> !process.isAlive())
                    .until(() -> answers(http));
        } catch (ConditionTimeoutException | TerminalFailureException e) {
            close();
            throw new IllegalStateException(
                    EXECUTABLE + " did not start on " + endpoint() + "\n" + LogTail.of(logFile, 30),
                    e);
        }
    }

    private boolean answers(HttpClient http) {
        try {
            HttpRequest request =
                    HttpRequest.newBuilder(URI.create(endpoint() + "/moto-api/"))
                            .timeout(Duration.ofSeconds(2))
                            .GET()
                            .build();
            return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() > 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
