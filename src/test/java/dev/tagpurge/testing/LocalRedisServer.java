package dev.tagpurge.testing;

import static org.awaitility.Awaitility.await;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.awaitility.core.ConditionTimeoutException;
import org.awaitility.core.TerminalFailureException;

/**
 * A real {@code redis-server} process for tests, bound to 127.0.0.1 on its own port (never the
 * machine's shared 6379), with persistence off. Its log and working folder are {@code
 * target/redis-<port>/}; its PID file {@code target/redis-<port>.pid} exists while it runs.
 */
public final class LocalRedisServer implements AutoCloseable {

    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(20);

    private final Process process;
    private final int port;
    private final Path logFile;
    private final Path pidFile;

    private LocalRedisServer(Process process, int port, Path logFile, Path pidFile) {
        this.process = process;
        this.port = port;
        this.logFile = logFile;
        this.pidFile = pidFile;
    }

    /** Starts a server on a free port and waits until it answers PING. */
    public static LocalRedisServer start() {
        return start(FreePort.pick());
    }

    /**
     * Starts a server on {@code 127.0.0.1:port} and waits until it answers PING.
     *
     * @throws IllegalStateException if {@code redis-server} is not installed or does not start
     */
    public static LocalRedisServer start(int port) {
        FreePort.requireFree(port);
        Path executable =
                findOnPath("redis-server")
                        .orElseThrow(
                                () ->
                                        new IllegalStateException(
                                                "redis-server is not on PATH: install it (apt-get install -y redis-server) to run these tests"));
        Path build = ChildProcess.buildDirectory();
        Path dir = ChildProcess.freshDirectory(build.resolve("redis-" + port));
        Path log = dir.resolve("redis.log");
        Path pidFile = build.resolve("redis-" + port + ".pid");
        List<String> command =
                List.of(
                        executable.toString(),
                        "--port",
                        Integer.toString(port),
                        "--bind",
                        "127.0.0.1",
                        "--save",
                        "",
                        "--appendonly",
                        "no",
                        "--daemonize",
                        "no",
                        "--pidfile",
                        pidFile.toString(),
                        "--dir",
                        dir.toString(),
                        "--logfile",
                        "");
        LocalRedisServer server =
                new LocalRedisServer(launch(command, dir, log), port, log, pidFile);
        server.awaitPing();
        return server;
    }

    public int port() {
        return port;
    }

    /** {@code redis://127.0.0.1:<port>}, as {@code quarkus.redis.hosts} and Vert.x expect it. */
    public String uri() {
        return "redis://127.0.0.1:" + port;
    }

    /** The {@code redis-server} process id. */
    public long pid() {
        return process.pid();
    }

    public Path logFile() {
        return logFile;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Stops the server (SIGTERM, then SIGKILL after 10 s) and waits for it to exit. Idempotent. */
    @Override
    public void close() {
        ChildProcess.stop(process, 10);
        ChildProcess.delete(pidFile);
    }

    private void awaitPing() {
        try {
            await("redis-server on port " + port + " answers PING")
                    .atMost(STARTUP_TIMEOUT)
                    .pollInterval(Duration.ofMillis(50))
                    .failFast("redis-server exited", () -> !process.isAlive())
                    .until(this::answersPing);
        } catch (ConditionTimeoutException | TerminalFailureException e) {
            close();
            throw new IllegalStateException(
                    "redis-server did not start on 127.0.0.1:"
                            + port
                            + "\n"
                            + LogTail.of(logFile, 30),
                    e);
        }
    }

    private boolean answersPing() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 500);
            socket.setSoTimeout(1000);
            OutputStream out = socket.getOutputStream();
            out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            byte[] reply = in.readNBytes(7);
            return new String(reply, StandardCharsets.US_ASCII).equals("+PONG\r\n");
        } catch (IOException e) {
            return false;
        }
    }

    private static Process launch(List<String> command, Path dir, Path log) {
        try {
            return new ProcessBuilder(command)
                    .directory(dir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + command.getFirst(), e);
        }
    }

    static Optional<Path> findOnPath(String name) {
        String path = Optional.ofNullable(System.getenv("PATH")).orElse("");
        return Arrays.stream(path.split(File.pathSeparator))
                .filter(dir -> !dir.isBlank())
                .map(dir -> Path.of(dir, name))
                .filter(Files::isExecutable)
                .findFirst();
    }
}
