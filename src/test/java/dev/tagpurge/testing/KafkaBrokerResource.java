package dev.tagpurge.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;
import java.util.Optional;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * Gives {@code @QuarkusTest}s a real Kafka broker: one per test JVM, started by the first test
 * class that needs it, shared by all the others, and stopped by a JVM shutdown hook. It is a
 * Testcontainers Kafka container where a Docker engine is reachable, else a {@link
 * LocalKafkaBroker} (see {@link TestInfrastructure}). Brokers are slow to start and cheap to share;
 * tests isolate themselves with a fresh topic name each.
 *
 * <p>Set {@code TAGPURGE_TEST_KAFKA} (system property or environment variable) to a bootstrap
 * address to use that broker instead of starting one.
 *
 * <pre>{@code @QuarkusTestResource(KafkaBrokerResource.class)}</pre>
 */
public class KafkaBrokerResource implements QuarkusTestResourceLifecycleManager {

    /** System property or environment variable naming an existing broker to use. */
    public static final String EXTERNAL_BROKER = "TAGPURGE_TEST_KAFKA";

    /*
     * Quarkus may load this class in more than one class loader (one per application under test),
     * each with its own statics; a system property is what all of them see, so the JVM still gets
     * exactly one broker.
     */
    private static final String STARTED_PROPERTY = "test.tagpurge.kafka.started";

    /** The broker image with Docker: the Kafka version the local broker runs. */
    static final String KAFKA_IMAGE = "apache/kafka:4.1.1";

    @Override
    public Map<String, String> start() {
        return Map.of(
                "kafka.bootstrap.servers",
                bootstrapServers(),
                // this resource owns the broker, whether in a container or not
                "quarkus.kafka.devservices.enabled",
                "false");
    }

    @Override
    public void stop() {
        // The broker outlives each test class on purpose; the shutdown hook stops it.
    }

    /** The bootstrap address of the shared broker, starting it on first use. */
    public static String bootstrapServers() {
        Optional<String> external = ExternalServer.address(EXTERNAL_BROKER);
        if (external.isPresent()) {
            return external.get();
        }
        synchronized (KafkaBrokerResource.class) {
            String started = System.getProperty(STARTED_PROPERTY);
            if (started != null) {
                return started;
            }
            String address =
                    switch (TestInfrastructure.current()) {
                        case DOCKER -> startContainer();
                        case LOCAL -> startLocal();
                    };
            System.setProperty(STARTED_PROPERTY, address);
            return address;
        }
    }

    private static String startLocal() {
        LocalKafkaBroker broker = LocalKafkaBroker.start();
        Runtime.getRuntime().addShutdownHook(new Thread(broker::close, "kafka-broker-stop"));
        return broker.bootstrapServers();
    }

    private static String startContainer() {
        KafkaContainer broker =
                new KafkaContainer(DockerImageName.parse(KAFKA_IMAGE))
                        // as the local broker: one coordinator partition, no rebalance delay
                        .withEnv("KAFKA_OFFSETS_TOPIC_NUM_PARTITIONS", "1")
                        .withEnv("KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS", "0")
                        .withEnv("KAFKA_NUM_PARTITIONS", "1");
        broker.start();
        Runtime.getRuntime().addShutdownHook(new Thread(broker::stop, "kafka-container-stop"));
        return broker.getBootstrapServers();
    }
}
