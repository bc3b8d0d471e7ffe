package dev.tagpurge.completion;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.tagpurge.config.Channels;
import dev.tagpurge.config.TagpurgeConfig;
import dev.tagpurge.metrics.MetricNames;
import dev.tagpurge.purge.EventProgress;
import dev.tagpurge.purge.TargetProgress;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;

/**
 * Writes completion events (SPEC §6) as CloudEvents structured JSON, keyed by the change event's
 * Kafka key or, without one, its id. {@code tagpurge.completion.mode=off} writes nothing but still
 * counts outcomes.
 */
@ApplicationScoped
public class CompletionPublisher {

    /** CloudEvents {@code type} of completion events. */
    public static final String EVENT_TYPE = "tagpurge.purge.completed";

    static final String CONTENT_TYPE = "application/cloudevents+json";

    private static final JsonFactory JSON = new JsonFactory();

    private final MutinyEmitter<String> emitter;
    private final MeterRegistry registry;
    private final boolean enabled;

    // the bound is upstream: at most tagpurge.input.max-in-flight-events completions can be here
    public CompletionPublisher(
            @Channel(Channels.COMPLETIONS) @OnOverflow(OnOverflow.Strategy.UNBOUNDED_BUFFER)
                    MutinyEmitter<String> emitter,
            MeterRegistry registry,
            TagpurgeConfig config) {
        this.emitter = emitter;
        this.registry = registry;
        this.enabled =
                switch (config.completion().mode()) {
                    case "per-event" -> true;
                    case "off" -> false;
                    default ->
                            throw new IllegalArgumentException(
                                    "tagpurge.completion.mode must be per-event or off, was "
                                            + config.completion().mode());
                };
    }

    /** Publishes the completion of {@code progress}; completes when the broker has it. */
    public Uni<Void> publish(EventProgress progress, String kafkaKey) {
        CompletionEvent event = toEvent(progress, Instant.now());
        registry.counter(MetricNames.COMPLETIONS, "status", event.status()).increment();
        if (!enabled) {
            return Uni.createFrom().voidItem();
        }
        String key = kafkaKey != null ? kafkaKey : event.eventId();
        RecordHeaders headers = new RecordHeaders();
        headers.add("content-type", CONTENT_TYPE.getBytes(StandardCharsets.UTF_8));
        OutgoingKafkaRecordMetadata<String> metadata =
                OutgoingKafkaRecordMetadata.<String>builder()
                        .withKey(key)
                        .withHeaders(headers)
                        .build();
        return emitter.sendMessage(Message.of(toCloudEvent(event)).addMetadata(metadata));
    }

    static CompletionEvent toEvent(EventProgress progress, Instant now) {
        List<CompletionEvent.TargetOutcome> targets =
                progress.targets().stream().map(CompletionPublisher::toOutcome).toList();
        return new CompletionEvent(
                progress.event().id(),
                progress.event().type(),
                progress.status().label(),
                progress.receivedAt(),
                now,
                Math.max(0, Duration.between(progress.startedAt(), now).toMillis()),
                targets);
    }

    private static CompletionEvent.TargetOutcome toOutcome(TargetProgress t) {
        return new CompletionEvent.TargetOutcome(
                t.target(),
                t.provider(),
                t.status().label(),
                t.selectors(),
                t.requests(),
                t.attempts(),
                List.copyOf(t.purgeIds()),
                t.error());
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
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("completion event not serializable", e);
        }
        return out.toString();
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
