package dev.tagpurge.process;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tagpurge.sandbox.SandboxServer;
import dev.tagpurge.testing.KafkaTestClient;
import dev.tagpurge.testing.LocalKafkaBroker;
import dev.tagpurge.testing.LocalRedisServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Shared set-up of the process-level tests: a real broker, a real Redis and the sandbox in this
 * JVM, and the packaged service started as separate processes ({@link
 * dev.tagpurge.testing.ServiceProcess}) against them.
 */
abstract class ProcessTestSupport {

    static final ObjectMapper JSON = new ObjectMapper();
    static LocalKafkaBroker broker;
    static LocalRedisServer redis;
    static SandboxServer sandbox;
    static KafkaTestClient kafka;

    @BeforeAll
    static void startServices() {
        broker = LocalKafkaBroker.start();
        redis = LocalRedisServer.start();
        sandbox = SandboxServer.start(0);
        kafka = new KafkaTestClient(broker.bootstrapServers());
    }

    @AfterAll
    static void stopServices() {
        kafka.close();
        sandbox.close();
        redis.close();
        broker.close();
    }

    /** Names of one test's topics and group. */
    record Run(String id) {
        static Run fresh() {
            return new Run(UUID.randomUUID().toString().substring(0, 8));
        }

        String input() {
            return "change-events-" + id;
        }

        String completions() {
            return "purge-completions-" + id;
        }

        String group() {
            return "tagpurge-" + id;
        }
    }

    /** Configuration of a service process with one Fastly target on the sandbox. */
    static Map<String, String> serviceConfig(Run run) {
        Map<String, String> c = new HashMap<>();
        c.put("kafka.bootstrap.servers", broker.bootstrapServers());
        c.put("quarkus.redis.hosts", redis.uri());
        c.put("tagpurge.input.topics", run.input());
        c.put("tagpurge.completion.topic", run.completions());
        c.put("tagpurge.dlq.topic", "dlq-" + run.id());
        c.put("mp.messaging.incoming.change-events.group.id", run.group());
        // a killed replica leaves the group after the session timeout: keep it at the broker's
        // minimum
        c.put("mp.messaging.incoming.change-events.session.timeout.ms", "6000");
        c.put("mp.messaging.incoming.change-events.heartbeat.interval.ms", "1000");
        c.put("tagpurge.targets.cdn.provider", "fastly");
        c.put("tagpurge.targets.cdn.service-id", "SVC-" + run.id());
        c.put("tagpurge.targets.cdn.api-token", "process-test-token");
        c.put("tagpurge.targets.cdn.base-url", sandbox.fastlyUrl());
        c.put("tagpurge.targets.cdn.sandbox", "true");
        return c;
    }

    /** Completion events on the run's topic, by change-event id, with how often each came. */
    static Map<String, Integer> completionCounts(Run run) {
        Map<String, Integer> counts = new HashMap<>();
        List<ConsumerRecord<String, byte[]>> records = kafka.readAll(run.completions(), r -> true);
        for (ConsumerRecord<String, byte[]> r : records) {
            counts.merge(
                    json(KafkaTestClient.value(r)).at("/data/eventId").asText(), 1, Integer::sum);
        }
        return counts;
    }

    static JsonNode json(String s) {
        try {
            return JSON.readTree(s);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String event(String id, String tag) {
        return "{\"id\":\"" + id + "\",\"type\":\"product.updated\",\"tags\":[\"" + tag + "\"]}";
    }
}
