package dev.tagpurge.sandbox;

import dev.tagpurge.config.TagpurgeConfig;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Local-run convenience, on only with the sandbox ({@code tagpurge.sandbox.enabled}): {@code POST
 * /sandbox/events} writes the body as a change event to the first input topic of the real broker,
 * so a user can try Tagpurge with curl alone. It goes through Kafka like any upstream's event.
 */
@Path("/sandbox/events")
@ApplicationScoped
public class SandboxEventsResource {

    private final boolean enabled;
    private final String bootstrapServers;
    private final String topic;
    private KafkaProducer<String, byte[]> producer;

    public SandboxEventsResource(
            @ConfigProperty(name = "tagpurge.sandbox.enabled", defaultValue = "false")
                    boolean enabled,
            @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers,
            TagpurgeConfig config) {
        this.enabled = enabled;
        this.bootstrapServers = bootstrapServers;
        this.topic = config.input().topics().get(0);
    }

    /**
     * Publishes the body (a change event in any accepted format) and answers with where it went.
     */
    @POST
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    public CompletionStage<Map<String, Object>> publish(String body) {
        if (!enabled) {
            throw new NotFoundException();
        }
        CompletableFuture<Map<String, Object>> done = new CompletableFuture<>();
        producer()
                .send(
                        new ProducerRecord<>(topic, body.getBytes(StandardCharsets.UTF_8)),
                        (meta, error) -> {
                            if (error != null) {
                                done.completeExceptionally(error);
                            } else {
                                done.complete(
                                        Map.of(
                                                "topic",
                                                meta.topic(),
                                                "partition",
                                                meta.partition(),
                                                "offset",
                                                meta.offset()));
                            }
                        });
        return done;
    }

    private synchronized KafkaProducer<String, byte[]> producer() {
        if (producer == null) {
            producer =
                    new KafkaProducer<>(
                            Map.of(
                                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                                    bootstrapServers,
                                    ProducerConfig.ACKS_CONFIG,
                                    "all"),
                            new StringSerializer(),
                            new ByteArraySerializer());
        }
        return producer;
    }

    @PreDestroy
    synchronized void close() {
        if (producer != null) {
            producer.close(Duration.ofSeconds(5));
        }
    }
}
