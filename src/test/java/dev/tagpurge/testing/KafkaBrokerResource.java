package dev.tagpurge.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;
import java.util.Optional;

/**
 * Gives {@code @QuarkusTest}s a real Kafka broker: one {@link LocalKafkaBroker} per test JVM,
 * started by the first test class that needs it, shared by all the others, and stopped by a JVM
 * shutdown hook. Brokers are slow to start and cheap to share; tests isolate themselves with a
 * fresh topic name each.
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

    @Override
    public Map<String, String> start() {
        return Map.of(
                "kafka.bootstrap.servers",
                bootstrapServers(),
                // Dev Services would look for Docker, which the build machines do not have.
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
            LocalKafkaBroker broker = LocalKafkaBroker.start();
            Runtime.getRuntime().addShutdownHook(new Thread(broker::close, "kafka-broker-stop"));
            System.setProperty(STARTED_PROPERTY, broker.bootstrapServers());
            return broker.bootstrapServers();
        }
    }
}
