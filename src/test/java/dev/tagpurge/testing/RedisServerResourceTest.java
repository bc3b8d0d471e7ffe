package dev.tagpurge.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The Redis the tests use is a private redis-server, shared per JVM, and goes away when closed. */
class RedisServerResourceTest {

    @Test
    void theSharedServerIsStartedOnceAndNeverTheSystemOne() {
        String uri = RedisServerResource.redisUri();

        assertThat(RedisServerResource.redisUri()).isEqualTo(uri);
        // a private server on a port of its own (a free port, or a container's mapped one)
        assertThat(uri).startsWith("redis://").doesNotEndWith(":6379");
        assertThat(new RedisServerResource().start()).containsEntry("quarkus.redis.hosts", uri);
    }

    @Test
    void closeStopsTheServerAndRedisRemovesItsPidFile() {
        LocalRedisServer server = LocalRedisServer.start();
        Path pidFile = Path.of("target", "redis-" + server.port() + ".pid");
        assertThat(pidFile).content().isEqualToIgnoringNewLines(Long.toString(server.pid()));

        server.close();

        assertThat(server.isAlive()).isFalse();
        assertThat(Files.exists(pidFile)).isFalse();
    }

    @Test
    void aTakenPortFailsClearly() {
        try (LocalRedisServer server = LocalRedisServer.start()) {
            assertThatThrownBy(() -> LocalRedisServer.start(server.port()))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("already in use");
        }
    }
}
