package dev.tagpurge.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;
import java.util.Optional;

/**
 * Gives {@code @QuarkusTest}s a real Redis: one {@link LocalRedisServer} per test JVM, started by
 * the first test class that needs it, shared by all the others, and stopped by a JVM shutdown hook.
 * Tests isolate themselves with their own key namespace.
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

    @Override
    public Map<String, String> start() {
        return Map.of(
                "quarkus.redis.hosts",
                redisUri(),
                // Redis Dev Services fail hard without Docker.
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
            LocalRedisServer server = LocalRedisServer.start();
            Runtime.getRuntime().addShutdownHook(new Thread(server::close, "redis-server-stop"));
            System.setProperty(STARTED_PROPERTY, server.uri());
            return server.uri();
        }
    }
}
