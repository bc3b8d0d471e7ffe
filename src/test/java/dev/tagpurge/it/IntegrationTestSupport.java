package dev.tagpurge.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tagpurge.testing.KafkaBrokerResource;
import dev.tagpurge.testing.KafkaTestClient;
import dev.tagpurge.testing.TestRunResource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** What the integration tests share: the Kafka client and readers of the output topics. */
abstract class IntegrationTestSupport {

    static final ObjectMapper JSON = new ObjectMapper();

    static KafkaTestClient kafka() {
        return Holder.CLIENT;
    }

    /** Completion events (their {@code data}) for the given change-event ids, by id. */
    static Map<String, JsonNode> completions(Set<String> eventIds) {
        Map<String, JsonNode> byId = new HashMap<>();
        for (ConsumerRecord<String, byte[]> r :
                kafka().readAll(TestRunResource.completionTopic(), r -> true)) {
            JsonNode data = json(KafkaTestClient.value(r)).get("data");
            if (eventIds.contains(data.get("eventId").asText())) {
                byId.put(data.get("eventId").asText(), data);
            }
        }
        return byId;
    }

    static JsonNode json(String s) {
        try {
            return JSON.readTree(s);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode outcome(JsonNode completion, String target) {
        for (JsonNode t : completion.get("targets")) {
            if (t.get("target").asText().equals(target)) {
                return t;
            }
        }
        throw new AssertionError("no outcome for target " + target + " in " + completion);
    }

    private static final class Holder {
        static final KafkaTestClient CLIENT =
                new KafkaTestClient(KafkaBrokerResource.bootstrapServers());
    }
}
