package dev.tagpurge.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The files a {@link LocalKafkaBroker} runs from: {@code server.properties} for a single KRaft node
 * on loopback (every replication factor 1, so one node is a complete cluster) and the broker's
 * {@code logging.properties}.
 */
final class KafkaServerConfig {

    /** The logging configuration's file name, next to {@code server.properties}. */
    static final String LOGGING_FILE = "logging.properties";

    private KafkaServerConfig() {}

    /** Writes both files into {@code dir} and returns the path of {@code server.properties}. */
    static Path write(Path dir, int port, int controllerPort) {
        String properties =
                String.join(
                        "\n",
                        "process.roles=broker,controller",
                        "node.id=1",
                        "controller.quorum.voters=1@127.0.0.1:" + controllerPort,
                        "listeners=PLAINTEXT://127.0.0.1:"
                                + port
                                + ",CONTROLLER://127.0.0.1:"
                                + controllerPort,
                        "advertised.listeners=PLAINTEXT://127.0.0.1:" + port,
                        "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
                        "controller.listener.names=CONTROLLER",
                        "inter.broker.listener.name=PLAINTEXT",
                        "log.dirs=" + dir.resolve("data"),
                        "num.partitions=1",
                        "auto.create.topics.enable=true",
                        "default.replication.factor=1",
                        "min.insync.replicas=1",
                        "offsets.topic.replication.factor=1",
                        // One coordinator partition instead of 50: the first consumer group joins
                        // seconds sooner.
                        "offsets.topic.num.partitions=1",
                        "transaction.state.log.num.partitions=1",
                        "transaction.state.log.replication.factor=1",
                        "transaction.state.log.min.isr=1",
                        "share.coordinator.state.topic.replication.factor=1",
                        "share.coordinator.state.topic.min.isr=1",
                        "group.initial.rebalance.delay.ms=0",
                        "");
        Path config = dir.resolve("server.properties");
        write(config, properties);
        // Console logging at INFO through the JBoss LogManager that is already on the classpath.
        write(
                dir.resolve(LOGGING_FILE),
                String.join(
                        "\n",
                        "logger.level=INFO",
                        "logger.handlers=CONSOLE",
                        "handler.CONSOLE=org.jboss.logmanager.handlers.ConsoleHandler",
                        "handler.CONSOLE.properties=autoFlush,target",
                        "handler.CONSOLE.autoFlush=true",
                        "handler.CONSOLE.target=SYSTEM_OUT",
                        "handler.CONSOLE.formatter=PATTERN",
                        "formatter.PATTERN=org.jboss.logmanager.formatters.PatternFormatter",
                        "formatter.PATTERN.properties=pattern",
                        "formatter.PATTERN.pattern=%d{HH:mm:ss,SSS} %-5p [%c] %s%e%n",
                        ""));
        return config;
    }

    private static void write(Path file, String content) {
        try {
            Files.writeString(file, content, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
