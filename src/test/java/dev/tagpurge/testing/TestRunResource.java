package dev.tagpurge.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;
import java.util.UUID;

/**
 * Gives each test JVM its own run id, so topic and consumer-group names are fresh even against a
 * long-lived broker ({@code TAGPURGE_TEST_KAFKA}).
 */
public class TestRunResource implements QuarkusTestResourceLifecycleManager {

    /** One id per JVM. */
    public static final String RUN_ID = UUID.randomUUID().toString().substring(0, 8);

    @Override
    public Map<String, String> start() {
        return Map.of("test.tagpurge.run-id", RUN_ID);
    }

    @Override
    public void stop() {}

    public static String inputTopic() {
        return "change-events-" + RUN_ID;
    }

    public static String completionTopic() {
        return "purge-completions-" + RUN_ID;
    }

    public static String dlqTopic() {
        return "change-events-dlq-" + RUN_ID;
    }

    public static String consumerGroup() {
        return "tagpurge-it-" + RUN_ID;
    }
}
