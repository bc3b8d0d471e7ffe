package dev.tagpurge.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The packaged service ({@code target/quarkus-app/quarkus-run.jar}, built by {@code package}) run
 * as its own JVM, for tests that need real processes: several replicas in one consumer group, or a
 * SIGTERM in the middle of a stream. Configuration goes in as system properties; HTTP listens on
 * 127.0.0.1 on a free port.
 */
public final class ServiceProcess implements AutoCloseable {

    /** The packaged service's runner, relative to the project. */
    public static final Path JAR = Path.of("target", "quarkus-app", "quarkus-run.jar");

    private final Process process;
    private final int port;
    private final Path log;

    private ServiceProcess(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /** Starts the service and waits until {@code /q/health/ready} says UP (at most 60 s). */
    public static ServiceProcess start(String name, Map<String, String> config) {
        return start(name, config, List.of("-Xmx256m"));
    }

    /**
     * As {@link #start(String, Map)}, with the JVM options given (heap size, a flight recording) in
     * place of the default {@code -Xmx256m}.
     */
    public static ServiceProcess start(
            String name, Map<String, String> config, List<String> jvmOptions) {
        return start(name, config, jvmOptions, Map.of());
    }

    /**
     * As {@link #start(String, Map, List)}, with {@code environment} added to the process's
     * environment (settings as an operator would pass them, e.g. {@code TAGPURGE_…} variables).
     */
    public static ServiceProcess start(
            String name,
            Map<String, String> config,
            List<String> jvmOptions,
            Map<String, String> environment) {
        return start(name, config, jvmOptions, environment, List.of());
    }

    /**
     * As {@link #start(String, Map, List, Map)}, the JVM started through {@code launcher} (a
     * command that runs the rest of its command line in its own process, such as {@code taskset -c
     * 0}; empty: none), so that {@link #pid()} is still the JVM's.
     */
    public static ServiceProcess start(
            String name,
            Map<String, String> config,
            List<String> jvmOptions,
            Map<String, String> environment,
            List<String> launcher) {
        if (!Files.exists(JAR)) {
            throw new IllegalStateException(
                    JAR + " is missing: run the tests with `./mvnw verify`");
        }
        int port = FreePort.pick();
        Path log = Path.of("target", "service-" + name + "-" + port + ".log").toAbsolutePath();
        List<String> command = new ArrayList<>(launcher);
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.addAll(jvmOptions);
        command.add("-Dquarkus.http.port=" + port);
        command.add("-Dquarkus.http.host=127.0.0.1");
        command.add("-Dquarkus.log.console.json.enabled=false");
        config.forEach((k, v) -> command.add("-D" + k + "=" + v));
        command.add("-jar");
        command.add(JAR.toAbsolutePath().toString());
        try {
            ProcessBuilder builder =
                    new ProcessBuilder(command)
                            .redirectErrorStream(true)
                            .redirectOutput(log.toFile());
            builder.environment().putAll(environment);
            Process process = builder.start();
            ServiceProcess service = new ServiceProcess(process, port, log);
            service.awaitReady(Duration.ofSeconds(60));
            return service;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public int port() {
        return port;
    }

    public long pid() {
        return process.pid();
    }

    public Path logFile() {
        return log;
    }

    public String logText() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * GET on the service, as text. HTTP/1.1: the JDK client's default asks a plain-HTTP server for
     * an upgrade to HTTP/2, and once in a benchmark run it then read the metrics page's text as
     * HTTP/2 frames ("Frame type(110) ... exceeds MAX_FRAME_SIZE") and lost that run's figure.
     */
    public String get(String path) {
        try (HttpClient http =
                HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
            return http.send(
                            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString())
                    .body();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The value of one Prometheus sample line starting with {@code prefix}, summed; 0 if none. */
    public double metric(String prefix) {
        return metric(get("/q/metrics"), prefix);
    }

    /**
     * The samples of a Prometheus scrape ({@code metrics}, as {@code /q/metrics} gives it) whose
     * line starts with {@code prefix}, summed; 0 if none. For several counters from one scrape.
     */
    public static double metric(String metrics, String prefix) {
        return metrics.lines()
                .filter(l -> l.startsWith(prefix))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
                .sum();
    }

    /** Sends SIGTERM (a graceful stop, as Kubernetes does) and waits for the exit code. */
    public int terminate(Duration timeout) {
        process.destroy();
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor();
                throw new IllegalStateException(
                        "service did not stop within " + timeout + "; log: " + log);
            }
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    private void awaitReady(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(
                        "service exited with "
                                + process.exitValue()
                                + "; log: "
                                + log
                                + "\n"
                                + tail());
            }
            try {
                if (get("/q/health/ready").contains("\"status\": \"UP\"")) {
                    return;
                }
            } catch (UncheckedIOException notYet) {
                // not listening yet
            }
            LockSupport.parkNanos(Duration.ofMillis(200).toNanos());
        }
        close();
        throw new IllegalStateException(
                "service not ready within " + timeout + "; log: " + log + "\n" + tail());
    }

    private String tail() {
        String text = logText();
        return text.substring(Math.max(0, text.length() - 4000));
    }

    /** Kills the process if still running (SIGKILL); for clean-up. */
    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
            try {
                process.waitFor(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
