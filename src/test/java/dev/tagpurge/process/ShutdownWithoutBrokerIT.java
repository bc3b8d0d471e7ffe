package dev.tagpurge.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tagpurge.sandbox.SandboxServer;
import dev.tagpurge.testing.KafkaTestClient;
import dev.tagpurge.testing.LocalKafkaBroker;
import dev.tagpurge.testing.LocalRedisServer;
import dev.tagpurge.testing.ServiceProcess;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * SIGTERM while the broker is unreachable and events are in flight: the drain stops waiting for
 * outcome writes that cannot succeed, the Kafka clients close within their close timeout, and the
 * process exits on its own instead of waiting out the drain timeout. (How long it takes is printed,
 * for the README's figure, not asserted.)
 */
class ShutdownWithoutBrokerIT {

    private LocalKafkaBroker broker;
    private LocalRedisServer redis;
    private SandboxServer sandbox;
    private KafkaTestClient kafka;

    @BeforeEach
    void startServices() {
        broker = LocalKafkaBroker.start();
        redis = LocalRedisServer.start();
        sandbox = SandboxServer.start(0);
        kafka = new KafkaTestClient(broker.bootstrapServers());
    }

    @AfterEach
    void stopServices() {
        kafka.close();
        sandbox.close();
        redis.close();
        broker.close();
    }

    @Test
    void sigtermWithTheBrokerGoneEndsTheDrainAndExits() {
        String run = UUID.randomUUID().toString().substring(0, 8);
        // a slow provider keeps purges in flight when the broker goes away
        sandbox.sandbox().faults().addLatency("fastly", Duration.ofMillis(250));
        Map<String, String> config = config(run);
        try (ServiceProcess service = ServiceProcess.start("no-broker", config)) {
            List<String> values = new ArrayList<>();
            for (int i = 0; i < 1000; i++) {
                values.add(
                        "{\"id\":\"nb-"
                                + run
                                + "-"
                                + i
                                + "\",\"type\":\"x\",\"tags\":[\"nb-"
                                + i
                                + "\"]}");
            }
            kafka.sendAll("change-events-" + run, values);
            await().pollInterval(Duration.ofMillis(200))
                    .atMost(Duration.ofSeconds(60))
                    .until(() -> service.metric("tagpurge_completions_total") >= 50);
            broker.close();

            long started = System.nanoTime();
            int exit = service.terminate(Duration.ofSeconds(120));
            long ms = Duration.ofNanos(System.nanoTime() - started).toMillis();
            System.out.printf("shutdown with the broker gone took %d ms (exit %d)%n", ms, exit);

            assertThat(service.logText())
                    .contains("shutting down: intake stopped")
                    .containsPattern("shutdown drain stopped after \\d+ ms: no outcome write")
                    .doesNotContain("shutdown drain timed out")
                    .contains("tagpurge stopped in");
        }
    }

    private Map<String, String> config(String run) {
        Map<String, String> c = new HashMap<>();
        c.put("kafka.bootstrap.servers", broker.bootstrapServers());
        c.put("quarkus.redis.hosts", redis.uri());
        c.put("tagpurge.input.topics", "change-events-" + run);
        c.put("tagpurge.completion.topic", "purge-completions-" + run);
        c.put("tagpurge.dlq.topic", "dlq-" + run);
        c.put("mp.messaging.incoming.change-events.group.id", "tagpurge-" + run);
        c.put("tagpurge.targets.cdn.provider", "fastly");
        c.put("tagpurge.targets.cdn.service-id", "SVC-" + run);
        c.put("tagpurge.targets.cdn.api-token", "process-test-token");
        c.put("tagpurge.targets.cdn.base-url", sandbox.fastlyUrl());
        c.put("tagpurge.targets.cdn.sandbox", "true");
        c.put("tagpurge.targets.cdn.batch-size", "50");
        c.put("tagpurge.targets.cdn.max-in-flight", "2");
        // long enough that only the stall rule can end the drain early
        c.put("tagpurge.shutdown.drain-timeout", "60s");
        return c;
    }
}
