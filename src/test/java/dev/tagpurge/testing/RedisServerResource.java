package dev.tagpurge.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;
import java.util.Optional;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.utility.DockerImageName;

/**
 * Gives {@code @QuarkusTest}s a real Redis: one per test JVM, started by the first test class that
 * needs it, shared by all the others, and stopped by a JVM shutdown hook. It is a Redis container
 * where a Docker engine is reachable, else a {@link LocalRedisServer} (see {@link
 * TestInfrastructure}). Tests isolate themselves with their own key namespace.
 *
 * <p>Set {@code TAGPURGE_TEST_REDIS} (system property or environment variable) to a Redis URI to
 * use that server instead of starting one.
 *
 * <pre>{@code @QuarkusTestResource(RedisServerResource.class)}</pre>
 */
public class RedisServerResource implements QuarkusTestResourceLifecycleManager {

    /**
     * System property or environment variable naming an existing Redis ({@code redis://…}) to use.
     */
    public static final String EXTERNAL_REDIS = "TAGPURGE_TEST_REDIS";

    // A system property, not only a static: Quarkus may load this class in several class loaders.
    private static final String STARTED_PROPERTY = "test.tagpurge.redis.started";

    /** The server image with Docker: the Redis major version the local redis-server runs. */
    static final String REDIS_IMAGE = "redis:7-alpine";

    private static final int REDIS_PORT = 6379;

    @Override
    public Map<String, String> start() {
        return Map.of(
                "quarkus.redis.hosts",
                redisUri(),
                // this resource owns the server, whether in a container or not
                "quarkus.redis.devservices.enabled",
                "false");
    }

    @Override
    public void stop() {
        // The server outlives each test class on purpose; the shutdown hook stops it.
    }

    /** The URI of the shared Redis, starting it on first use. */
    public static String redisUri() {
        Optional<String> external = ExternalServer.address(EXTERNAL_REDIS);
        if (external.isPresent()) {
            return external.get();
        }
        synchronized (RedisServerResource.class) {
            String started = System.getProperty(STARTED_PROPERTY);
            if (started != null) {
                return started;
            }
            String uri =
                    switch (TestInfrastructure.current()) {
                        case DOCKER -> startContainer();
                        case LOCAL -> startLocal();
                    };
            System.setProperty(STARTED_PROPERTY, uri);
            return uri;
        }
    }

    private static String startLocal() {
        LocalRedisServer server = LocalRedisServer.start();
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, "redis-server-stop"));
        return server.uri();
    }

    private static String startContainer() {
        GenericContainer<?> server =
                new GenericContainer<>(DockerImageName.parse(REDIS_IMAGE))
                        .withExposedPorts(REDIS_PORT)
                        .waitingFor(Wait.forLogMessage(".*Ready to accept connections.*", 1));
        server.start();
        Runtime.getRuntime().addShutdownHook(new Thread(server::stop, "redis-container-stop"));
        return "redis://" + server.getHost() + ":" + server.getMappedPort(REDIS_PORT);
    }
}
