package dev.tagpurge.testing;

import java.util.Locale;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.testcontainers.DockerClientFactory;

/**
 * Where the tests' Kafka broker and Redis come from, decided once per test JVM: containers
 * (Testcontainers) when a Docker engine is reachable, else local processes ({@link
 * LocalKafkaBroker}, {@link LocalRedisServer}), the way CI runs without Docker.
 *
 * <p>{@code tagpurge.test.infrastructure} (system property, or the environment variable {@code
 * TAGPURGE_TEST_INFRASTRUCTURE}) overrides the choice: {@code docker}, {@code local}, or {@code
 * auto} (the default). {@code docker} without a reachable engine fails with a clear message instead
 * of falling back.
 */
public enum TestInfrastructure {
    /** Testcontainers: a Kafka container and a Redis container. */
    DOCKER,
    /** A Kafka broker in a child JVM and a redis-server process. */
    LOCAL;

    /** The system property that forces a choice. */
    public static final String PROPERTY = "tagpurge.test.infrastructure";

    /** The environment variable that forces a choice when the system property is not set. */
    public static final String ENVIRONMENT_VARIABLE = "TAGPURGE_TEST_INFRASTRUCTURE";

    // A system property, not a static: Quarkus may load this class in several class loaders.
    private static final String CHOSEN_PROPERTY = "test.tagpurge.infrastructure.chosen";

    /** The infrastructure of this JVM's tests, chosen on the first call. */
    public static synchronized TestInfrastructure current() {
        String chosen = System.getProperty(CHOSEN_PROPERTY);
        if (chosen != null) {
            return valueOf(chosen);
        }
        TestInfrastructure choice =
                choose(requested(), () -> DockerClientFactory.instance().isDockerAvailable());
        System.setProperty(CHOSEN_PROPERTY, choice.name());
        return choice;
    }

    /**
     * The choice for a requested value ({@code docker}, {@code local}, {@code auto}, or absent for
     * auto), asking {@code dockerAvailable} only when the request depends on it.
     *
     * @throws IllegalStateException when {@code docker} is requested and no engine is reachable
     * @throws IllegalArgumentException for any other requested value
     */
    static TestInfrastructure choose(Optional<String> requested, BooleanSupplier dockerAvailable) {
        String value = requested.map(v -> v.strip().toLowerCase(Locale.ROOT)).orElse("auto");
        return switch (value) {
            case "local" -> LOCAL;
            case "auto", "" -> dockerAvailable.getAsBoolean() ? DOCKER : LOCAL;
            case "docker" -> {
                if (!dockerAvailable.getAsBoolean()) {
                    throw new IllegalStateException(
                            PROPERTY
                                    + "=docker, but no Docker engine is reachable (Testcontainers"
                                    + " found none: is the daemon running, DOCKER_HOST right?);"
                                    + " set it to local or auto to use local processes");
                }
                yield DOCKER;
            }
            default ->
                    throw new IllegalArgumentException(
                            PROPERTY
                                    + " must be docker, local or auto, not '"
                                    + requested.get()
                                    + "'");
        };
    }

    private static Optional<String> requested() {
        return Optional.ofNullable(
                System.getProperty(PROPERTY, System.getenv(ENVIRONMENT_VARIABLE)));
    }
}
