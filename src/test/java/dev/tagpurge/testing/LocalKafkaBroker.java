package dev.tagpurge.testing;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.Uuid;

/**
 * A real single-node Kafka (KRaft, broker and controller in one node) running in its own JVM, for
 * tests and local runs. A separate process keeps the broker's classpath away from the clients under
 * test, and a crash or {@code kill -9} of the broker cannot take the test JVM with it.
 *
 * <p>The broker runs from the project's test classpath (kafka_2.13 is a test dependency at the
 * clients' version), which Maven writes to {@code target/test-classpath.txt}. Its files (config,
 * data, {@code broker.log}) live in {@code target/kafka-<port>/}; its PID is in {@code
 * target/kafka-<port>.pid} while it runs, so CI can clean up after a crashed test JVM.
 *
 * <p>Standalone: {@code java -cp target/test-classes:$(cat target/test-classpath.txt)
 * dev.tagpurge.testing.LocalKafkaBroker --port 9092} prints {@code KAFKA_BOOTSTRAP_SERVERS=…} and
 * {@code KAFKA_BROKER_PID=…} and runs until it receives SIGTERM or SIGINT.
 */
public final class LocalKafkaBroker implements AutoCloseable {

    /** Where Maven's dependency plugin writes the test classpath; see pom.xml. */
    public static final String CLASSPATH_FILE = "test-classpath.txt";

    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(60);
    private static final int LOG_TAIL_LINES = 40;

    private final Process process;
    private final String bootstrapServers;
    private final Path logFile;
    private final Path pidFile;
    private volatile boolean closing;

    private LocalKafkaBroker(Process process, String bootstrapServers, Path logFile, Path pidFile) {
        this.process = process;
        this.bootstrapServers = bootstrapServers;
        this.logFile = logFile;
        this.pidFile = pidFile;
    }

    /** Starts a broker on free loopback ports and waits until it serves requests. */
    public static LocalKafkaBroker start() {
        return start(FreePort.pick());
    }

    /**
     * Starts a broker whose client listener is {@code 127.0.0.1:port} (the controller gets a free
     * port) and waits until an admin client can describe the cluster.
     *
     * @throws IllegalStateException if it does not become ready within 60 s, with the log's tail
     */
    public static LocalKafkaBroker start(int port) {
        FreePort.requireFree(port);
        Path build = ChildProcess.buildDirectory();
        Path dir = ChildProcess.freshDirectory(build.resolve("kafka-" + port));
        Path config = KafkaServerConfig.write(dir, port, FreePort.pick());
        String classpath = brokerClasspath(build);
        runStorageFormat(dir, classpath, config);

        Path log = dir.resolve("broker.log");
        Process process = launch(dir, classpath, log, false, "kafka.Kafka", config.toString());
        Path pidFile = build.resolve("kafka-" + port + ".pid");
        ChildProcess.writePidFile(pidFile, process.pid());
        LocalKafkaBroker broker = new LocalKafkaBroker(process, "127.0.0.1:" + port, log, pidFile);
        broker.awaitReady();
        return broker;
    }

    /**
     * Starts this broker again after it stopped ({@link #close()}, or a kill by PID): the same
     * port, configuration and data folder, without formatting, so topics, records and committed
     * offsets survive as across a real restart. Output is appended to the same log. Returns the new
     * handle; this one stays stopped.
     */
    public LocalKafkaBroker startAgain() {
        if (process.isAlive()) {
            throw new IllegalStateException("the broker still runs: stop it before starting again");
        }
        Path dir = logFile.getParent();
        int port =
                Integer.parseInt(bootstrapServers.substring(bootstrapServers.lastIndexOf(':') + 1));
        FreePort.requireFree(port);
        Process again =
                launch(
                        dir,
                        brokerClasspath(ChildProcess.buildDirectory()),
                        logFile,
                        true,
                        "kafka.Kafka",
                        dir.resolve("server.properties").toString());
        ChildProcess.writePidFile(pidFile, again.pid());
        LocalKafkaBroker broker = new LocalKafkaBroker(again, bootstrapServers, logFile, pidFile);
        broker.awaitReady();
        return broker;
    }

    /** {@code host:port} for {@code bootstrap.servers}. */
    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** The broker JVM's process id. */
    public long pid() {
        return process.pid();
    }

    /** The broker's combined stdout and stderr. */
    public Path logFile() {
        return logFile;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Stops the broker (SIGTERM, then SIGKILL after 30 s) and waits for it to exit. Idempotent. */
    @Override
    public void close() {
        closing = true;
        ChildProcess.stop(process, 30);
        ChildProcess.delete(pidFile);
    }

    private void awaitReady() {
        Map<String, Object> config =
                Map.of(
                        AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                        bootstrapServers,
                        AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG,
                        250,
                        AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG,
                        (int) STARTUP_TIMEOUT.toMillis());
        try (Admin admin = Admin.create(config)) {
            CompletableFuture<Collection<Node>> nodes =
                    admin.describeCluster(
                                    new DescribeClusterOptions()
                                            .timeoutMs((int) STARTUP_TIMEOUT.toMillis()))
                            .nodes()
                            .toCompletionStage()
                            .toCompletableFuture();
            // Whichever comes first: the broker answers, or its JVM exits (bad config, port taken).
            CompletableFuture.anyOf(nodes, process.onExit())
                    .get(STARTUP_TIMEOUT.toSeconds() + 5, TimeUnit.SECONDS);
            if (!process.isAlive()) {
                throw failure("Kafka broker exited with code " + process.exitValue(), null);
            }
            if (nodes.get().isEmpty()) {
                throw failure("Kafka broker reports no nodes", null);
            }
        } catch (ExecutionException | TimeoutException e) {
            throw failure("Kafka broker did not become ready within " + STARTUP_TIMEOUT, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw failure("interrupted while waiting for the Kafka broker", e);
        }
    }

    private IllegalStateException failure(String message, Exception cause) {
        close();
        return new IllegalStateException(
                message + " at " + bootstrapServers + "\n" + LogTail.of(logFile, LOG_TAIL_LINES),
                cause);
    }

    /**
     * With static {@code controller.quorum.voters}, Kafka 4.1 formats a KRaft node without {@code
     * --standalone} (that flag is for a dynamic quorum via {@code
     * controller.quorum.bootstrap.servers}).
     */
    private static void runStorageFormat(Path dir, String classpath, Path config) {
        Path log = dir.resolve("format.log");
        Process format =
                launch(
                        dir,
                        classpath,
                        log,
                        false,
                        "kafka.tools.StorageTool",
                        "format",
                        "-t",
                        Uuid.randomUuid().toString(),
                        "-c",
                        config.toString());
        try {
            if (!format.waitFor(STARTUP_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                ChildProcess.stop(format, 5);
                throw new IllegalStateException(
                        "Kafka storage format timed out\n" + LogTail.of(log, LOG_TAIL_LINES));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            ChildProcess.stop(format, 5);
            throw new IllegalStateException("interrupted while formatting Kafka storage", e);
        }
        if (format.exitValue() != 0) {
            throw new IllegalStateException(
                    "Kafka storage format failed with code "
                            + format.exitValue()
                            + "\n"
                            + LogTail.of(log, LOG_TAIL_LINES));
        }
    }

    private static Process launch(
            Path dir,
            String classpath,
            Path log,
            boolean appendLog,
            String mainClass,
            String... args) {
        List<String> command =
                new ArrayList<>(
                        List.of(
                                javaBinary(),
                                "-Xms128m",
                                "-Xmx512m",
                                "-Djava.awt.headless=true",
                                "-Djava.util.logging.manager=org.jboss.logmanager.LogManager",
                                "-Dlogging.configuration="
                                        + dir.resolve(KafkaServerConfig.LOGGING_FILE).toUri(),
                                "-cp",
                                classpath,
                                mainClass));
        command.addAll(Arrays.asList(args));
        try {
            return new ProcessBuilder(command)
                    .directory(dir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(
                            appendLog
                                    ? ProcessBuilder.Redirect.appendTo(log.toFile())
                                    : ProcessBuilder.Redirect.to(log.toFile()))
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + mainClass, e);
        }
    }

    /** The JVM running this code, so the broker gets the same JDK (21+) whatever is on PATH. */
    private static String javaBinary() {
        return ProcessHandle.current()
                .info()
                .command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }

    /**
     * The test classpath Maven wrote, minus quarkus-bootstrap-runner: its log initializer would
     * buffer every broker log record in memory, waiting for a Quarkus app that never starts.
     */
    private static String brokerClasspath(Path build) {
        Path file = build.resolve(CLASSPATH_FILE);
        if (!Files.isRegularFile(file)) {
            throw new IllegalStateException(
                    file
                            + " is missing: run ./mvnw -B test-compile first "
                            + "(maven-dependency-plugin build-classpath writes it)");
        }
        try {
            String classpath = Files.readString(file, StandardCharsets.UTF_8).strip();
            return Arrays.stream(classpath.split(File.pathSeparator))
                    .filter(
                            entry ->
                                    !Path.of(entry)
                                            .getFileName()
                                            .toString()
                                            .startsWith("quarkus-bootstrap-runner"))
                    .collect(Collectors.joining(File.pathSeparator));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /**
     * Runs a broker until SIGTERM/SIGINT. Arguments: {@code [--port N]} (default: a free port).
     * Prints {@code KAFKA_BOOTSTRAP_SERVERS=host:port} and {@code KAFKA_BROKER_PID=pid}.
     */
    public static void main(String[] args) {
        boolean withPort = args.length == 2 && args[0].equals("--port");
        if (args.length != 0 && !withPort) {
            System.err.println("usage: LocalKafkaBroker [--port N]");
            System.exit(2);
        }
        LocalKafkaBroker broker = start(withPort ? Integer.parseInt(args[1]) : FreePort.pick());
        Runtime.getRuntime().addShutdownHook(new Thread(broker::close, "kafka-broker-stop"));
        System.out.println("KAFKA_BOOTSTRAP_SERVERS=" + broker.bootstrapServers());
        System.out.println("KAFKA_BROKER_PID=" + broker.pid());
        System.out.println("KAFKA_BROKER_LOG=" + broker.logFile());
        System.out.flush();
        int exit = broker.process.onExit().join().exitValue();
        if (broker.closing) {
            return; // our shutdown hook stopped it
        }
        System.err.println(
                "Kafka broker exited with code "
                        + exit
                        + "\n"
                        + LogTail.of(broker.logFile, LOG_TAIL_LINES));
        System.exit(exit == 0 ? 1 : exit);
    }
}
