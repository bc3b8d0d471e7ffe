package dev.tagpurge.completion;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
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

    private final MutinyEmitter<String> emitter;
    private final ObjectWriter envelopeWriter;
    private final MeterRegistry registry;
    private final boolean enabled;

    // the bound is upstream: at most tagpurge.input.max-in-flight-events completions can be here
    public CompletionPublisher(
            @Channel(Channels.COMPLETIONS) @OnOverflow(OnOverflow.Strategy.UNBOUNDED_BUFFER)
                    MutinyEmitter<String> emitter,
            ObjectMapper json,
            MeterRegistry registry,
            TagpurgeConfig config) {
        this.emitter = emitter;
        this.envelopeWriter = json.writerFor(Envelope.class);
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

    String toCloudEvent(CompletionEvent event) {
        try {
            return envelopeWriter.writeValueAsString(
                    new Envelope(
                            "1.0",
                            UUID.randomUUID().toString(),
                            "tagpurge",
                            EVENT_TYPE,
                            event.eventId(),
                            event.completedAt().toString(),
                            "application/json",
                            event));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("completion event not serializable", e);
        }
    }

    /** The CloudEvents structured-mode envelope, written in one pass (no intermediate tree). */
    record Envelope(
            String specversion,
            String id,
            String source,
            String type,
            String subject,
            String time,
            String datacontenttype,
            CompletionEvent data) {}
}
