package dev.tagpurge.event;

import dev.tagpurge.config.Channels;
import dev.tagpurge.metrics.MetricNames;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;
import org.jboss.logging.Logger;

/**
 * Writes a record to the dead-letter topic ({@code tagpurge.dlq.topic}) with the original key,
 * value and headers plus {@code tagpurge-reason}, {@code tagpurge-cause} and the original topic,
 * partition and offset. The returned {@code Uni} completes once the broker has it (acks=all).
 */
@ApplicationScoped
public class DeadLetterPublisher {

    public static final String REASON_HEADER = "tagpurge-reason";
    public static final String CAUSE_HEADER = "tagpurge-cause";
    public static final String TOPIC_HEADER = "tagpurge-original-topic";
    public static final String PARTITION_HEADER = "tagpurge-original-partition";
    public static final String OFFSET_HEADER = "tagpurge-original-offset";

    private static final Logger LOG = Logger.getLogger(DeadLetterPublisher.class);
    private static final int MAX_CAUSE_LENGTH = 1000;

    private final MutinyEmitter<byte[]> emitter;
    private final MeterRegistry registry;

    // the bound is upstream: at most tagpurge.input.max-in-flight-events records can be here
    public DeadLetterPublisher(
            @Channel(Channels.DEAD_LETTERS) @OnOverflow(OnOverflow.Strategy.UNBOUNDED_BUFFER)
                    MutinyEmitter<byte[]> emitter,
            MeterRegistry registry) {
        this.emitter = emitter;
        this.registry = registry;
    }

    /** Dead-letters the consumed record described by {@code source} with the given reason. */
    public Uni<Void> send(
            byte[] value, IncomingKafkaRecordMetadata<?, ?> source, String reason, String cause) {
        RecordHeaders headers = new RecordHeaders();
        for (Header h : source.getHeaders()) {
            if (!h.key().startsWith("tagpurge-")) {
                headers.add(h);
            }
        }
        headers.add(REASON_HEADER, utf8(reason));
        headers.add(CAUSE_HEADER, utf8(truncate(cause)));
        headers.add(TOPIC_HEADER, utf8(source.getTopic()));
        headers.add(PARTITION_HEADER, utf8(Integer.toString(source.getPartition())));
        headers.add(OFFSET_HEADER, utf8(Long.toString(source.getOffset())));
        OutgoingKafkaRecordMetadata<Object> metadata =
                OutgoingKafkaRecordMetadata.builder()
                        .withKey(source.getKey())
                        .withHeaders(headers)
                        .build();
        LOG.infof(
                "dead-lettering %s-%d@%d: %s: %s",
                source.getTopic(),
                source.getPartition(),
                source.getOffset(),
                reason,
                truncate(cause));
        return emitter.sendMessage(
                        Message.of(value == null ? new byte[0] : value).addMetadata(metadata))
                .invoke(() -> registry.counter(MetricNames.DLQ, "reason", reason).increment());
    }

    private static String truncate(String s) {
        String v = s == null ? "" : s;
        return v.length() <= MAX_CAUSE_LENGTH ? v : v.substring(0, MAX_CAUSE_LENGTH);
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
