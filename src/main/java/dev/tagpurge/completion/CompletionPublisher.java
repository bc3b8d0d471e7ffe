package dev.tagpurge.completion;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.tagpurge.config.Channels;
import dev.tagpurge.config.CompletionMode;
import dev.tagpurge.config.TagpurgeConfig;
import dev.tagpurge.metrics.MetricNames;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.KafkaClientService;
import io.smallrye.reactive.messaging.kafka.KafkaProducer;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.reactive.messaging.Channel;

/**
 * Writes completion events as CloudEvents structured JSON, keyed by the change event's Kafka key
 * or, without one, its id. {@code tagpurge.completion.mode=off} writes nothing but still counts
 * outcomes.
 *
 * <p>The records go straight to the Kafka producer of the {@code purge-completions} channel (so its
 * {@code mp.messaging.outgoing.purge-completions.*} configuration, health check and metrics stay),
 * from one sending thread of our own, instead of one message each through the channel's emitter:
 * the benchmark's profile put that per-message path (message, metadata, context capture, sink,
 * callbacks) at about a sixth of the service's CPU per event. A send that cannot go out at once
 * (metadata, a full buffer) blocks that thread, never an event loop.
 */
@ApplicationScoped
public class CompletionPublisher {

    /** CloudEvents {@code type} of completion events. */
    public static final String EVENT_TYPE = "tagpurge.purge.completed";

    static final String CONTENT_TYPE = "application/cloudevents+json";
    private static final byte[] CONTENT_TYPE_BYTES = CONTENT_TYPE.getBytes(StandardCharsets.UTF_8);

    private static final JsonFactory JSON = new JsonFactory();

    private final KafkaClientService kafkaClients;
    private final String topic;
    private final ExecutorService sendingThread;
    private volatile Producer<String, String> producer;
    private final MeterRegistry registry;
    private final boolean enabled;

    // The emitter is not used to send: injecting it is what wires the channel, so that the
    // connector creates its sink and producer. The bound on queued sends is upstream: at most
    // tagpurge.input.max-in-flight-events completions can be waiting.
    public CompletionPublisher(
            @Channel(Channels.COMPLETIONS) MutinyEmitter<String> channel,
            KafkaClientService kafkaClients,
            MeterRegistry registry,
            TagpurgeConfig config) {
        this.kafkaClients = kafkaClients;
        this.topic = config.completion().topic();
        this.sendingThread =
                Executors.newSingleThreadExecutor(
                        Thread.ofPlatform().name("tagpurge-completion-sender").daemon().factory());
        this.registry = registry;
        this.enabled = config.completion().mode() == CompletionMode.PER_EVENT;
    }

    /** Publishes {@code event}; completes when the broker has it. */
    public Uni<Void> publish(CompletionEvent event, String kafkaKey) {
        registry.counter(MetricNames.COMPLETIONS, "status", event.status()).increment();
        if (!enabled) {
            return Uni.createFrom().voidItem();
        }
        String key = kafkaKey != null ? kafkaKey : event.eventId();
        String value = toCloudEvent(event);
        // lazy, like the emitter's: each subscription (a retry) sends the record again
        return Uni.createFrom()
                .emitter(
                        written ->
                                sendingThread.execute(
                                        () -> {
                                            try {
                                                producer()
                                                        .send(
                                                                record(key, value),
                                                                (metadata, error) -> {
                                                                    if (error == null) {
                                                                        written.complete(null);
                                                                    } else {
                                                                        written.fail(error);
                                                                    }
                                                                });
                                            } catch (RuntimeException e) {
                                                written.fail(e);
                                            }
                                        }));
    }

    private ProducerRecord<String, String> record(String key, String value) {
        RecordHeaders headers = new RecordHeaders();
        headers.add("content-type", CONTENT_TYPE_BYTES);
        return new ProducerRecord<>(topic, null, key, value, headers);
    }

    private Producer<String, String> producer() {
        Producer<String, String> p = producer;
        if (p == null) {
            KafkaProducer<String, String> channelProducer =
                    kafkaClients.getProducer(Channels.COMPLETIONS);
            if (channelProducer == null) {
                throw new IllegalStateException(
                        "the "
                                + Channels.COMPLETIONS
                                + " channel has no Kafka producer (is its connector"
                                + " smallrye-kafka?)");
            }
            p = channelProducer.unwrap();
            producer = p;
        }
        return p;
    }

    /** Stops the sending thread once every queued completion has been handed to the producer. */
    @PreDestroy
    void stop() throws InterruptedException {
        sendingThread.shutdown();
        sendingThread.awaitTermination(10, TimeUnit.SECONDS);
    }

    /**
     * The CloudEvents structured-mode JSON of a completion, written field by field with Jackson's
     * streaming generator: the profile of the benchmark showed data binding of this record as the
     * largest single cost per event. {@code CompletionPublisherTest} checks it against Jackson's
     * data binding of {@link CompletionEvent}, so a field added there cannot be missed here.
     */
    static String toCloudEvent(CompletionEvent event) {
        StringWriter out = new StringWriter(384 + 160 * event.targets().size());
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("specversion", "1.0");
            g.writeStringField("id", UUID.randomUUID().toString());
            g.writeStringField("source", "tagpurge");
            g.writeStringField("type", EVENT_TYPE);
            g.writeStringField("subject", event.eventId());
            g.writeStringField("time", event.completedAt().toString());
            g.writeStringField("datacontenttype", "application/json");
            g.writeObjectFieldStart("data");
            g.writeStringField("eventId", event.eventId());
            g.writeStringField("eventType", event.eventType());
            g.writeStringField("status", event.status());
            writeInstant(g, "receivedAt", event.receivedAt());
            writeInstant(g, "completedAt", event.completedAt());
            g.writeNumberField("latencyMs", event.latencyMs());
            g.writeArrayFieldStart("targets");
            for (CompletionEvent.TargetOutcome t : event.targets()) {
                g.writeStartObject();
                g.writeStringField("target", t.target());
                g.writeStringField("provider", t.provider());
                g.writeStringField("status", t.status());
                g.writeNumberField("selectors", t.selectors());
                g.writeNumberField("requests", t.requests());
                g.writeNumberField("attempts", t.attempts());
                g.writeArrayFieldStart("purgeIds");
                for (String id : t.purgeIds()) {
                    g.writeString(id);
                }
                g.writeEndArray();
                g.writeStringField("error", t.error());
                g.writeNumberField("startedAfterMs", t.startedAfterMs());
                g.writeNumberField("completedAfterMs", t.completedAfterMs());
                if (t.estimatedSeconds() != null) {
                    g.writeNumberField("estimatedSeconds", t.estimatedSeconds());
                }
                if (t.verification() != null) {
                    g.writeArrayFieldStart("verification");
                    for (CompletionEvent.Verification v : t.verification()) {
                        g.writeStartObject();
                        g.writeStringField("url", v.url());
                        g.writeStringField("result", v.result());
                        g.writeStringField("reason", v.reason());
                        g.writeEndObject();
                    }
                    g.writeEndArray();
                }
                g.writeEndObject();
            }
            g.writeEndArray();
            writeIfPresent(g, "source", event.source());
            writeIfPresent(g, "ticket", event.ticket());
            writeIfPresent(g, "actor", event.actor());
            g.writeEndObject();
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("completion event not serializable", e);
        }
        return out.toString();
    }

    private static void writeIfPresent(JsonGenerator g, String field, String value)
            throws IOException {
        if (value != null) {
            g.writeStringField(field, value);
        }
    }

    private static void writeInstant(JsonGenerator g, String field, Instant value)
            throws IOException {
        if (value == null) {
            g.writeNullField(field);
        } else {
            g.writeStringField(field, value.toString());
        }
    }
}
