package dev.tagpurge.event;

import dev.tagpurge.config.Channels;
import dev.tagpurge.metrics.MetricNames;
import dev.tagpurge.purge.LogContext;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.RecordBatchTooLargeException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;
import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

/**
 * Writes a record to the dead-letter topic ({@code tagpurge.dlq.topic}) with the original key (its
 * bytes as consumed), value and headers plus {@code tagpurge-reason}, {@code tagpurge-cause} and
 * the original topic, partition and offset, each also under SmallRye's {@code dead-letter-*} header
 * name so tools made for SmallRye's own dead-letter queue read it too. The returned {@code Uni}
 * completes once the broker has it (acks=all).
 *
 * <p>A bad record never stops its partition: a dead letter the producer or the broker refuses for
 * good (too large for {@code max.request.size}, no write permission on the topic, not serializable)
 * is written again without its value and original headers; if even that is refused, the record is
 * logged (never its payload), counted in {@code tagpurge_dlq_dropped_total{reason}} and the
 * returned {@code Uni} completes, so the record is acknowledged. A failure that may pass (broker
 * unreachable, timeouts) fails the {@code Uni} instead: the caller retries and the offset does not
 * move.
 */
@ApplicationScoped
public class DeadLetterPublisher {

    public static final String REASON_HEADER = "tagpurge-reason";
    public static final String CAUSE_HEADER = "tagpurge-cause";
    public static final String TOPIC_HEADER = "tagpurge-original-topic";
    public static final String PARTITION_HEADER = "tagpurge-original-partition";
    public static final String OFFSET_HEADER = "tagpurge-original-offset";

    /**
     * On a dead letter written without its value: why the value was left out (the producer's or
     * broker's refusal of the full record).
     */
    public static final String VALUE_OMITTED_HEADER = "tagpurge-value-omitted";

    /** SmallRye's dead-letter header: the reason label, as {@link #REASON_HEADER}. */
    public static final String DEAD_LETTER_REASON_HEADER = "dead-letter-reason";

    /** SmallRye's dead-letter header: the cause, as {@link #CAUSE_HEADER}. */
    public static final String DEAD_LETTER_CAUSE_HEADER = "dead-letter-cause";

    /** SmallRye's dead-letter header: the original topic. */
    public static final String DEAD_LETTER_TOPIC_HEADER = "dead-letter-topic";

    /** SmallRye's dead-letter header: the original partition. */
    public static final String DEAD_LETTER_PARTITION_HEADER = "dead-letter-partition";

    /** SmallRye's dead-letter header: the original offset. */
    public static final String DEAD_LETTER_OFFSET_HEADER = "dead-letter-offset";

    private static final Logger LOG = Logger.getLogger(DeadLetterPublisher.class);
    private static final int MAX_CAUSE_LENGTH = 1000;
    // the fallback record must fit whatever made the full one too large
    private static final int MAX_FALLBACK_CAUSE_LENGTH = 200;
    private static final int MAX_FALLBACK_KEY_LENGTH = 256;

    // refusals that sending the same record again cannot change
    private static final List<Class<? extends Throwable>> PERMANENT_REFUSALS =
            List.of(
                    RecordTooLargeException.class,
                    RecordBatchTooLargeException.class,
                    AuthorizationException.class,
                    SerializationException.class,
                    InvalidTopicException.class);

    private final MutinyEmitter<byte[]> emitter;
    private final MeterRegistry registry;

    /** How a dead letter ended. */
    enum Written {
        AS_IS,
        WITHOUT_VALUE,
        DROPPED
    }

    // the bound is upstream: at most tagpurge.input.max-in-flight-events records can be here
    public DeadLetterPublisher(
            @Channel(Channels.DEAD_LETTERS) @OnOverflow(OnOverflow.Strategy.UNBOUNDED_BUFFER)
                    MutinyEmitter<byte[]> emitter,
            MeterRegistry registry) {
        this.emitter = emitter;
        this.registry = registry;
    }

    /**
     * Dead-letters the consumed record {@code source} with the given reason. Fails only when the
     * write may succeed later (see the class comment); each subscription sends again.
     */
    public Uni<Void> send(ConsumedRecord source, String reason, String cause) {
        RecordCoordinates where = source.coordinates();
        // the caller's event id, if it has one: the later lines run on the producer's threads,
        // where the caller's logging context is not
        String eventId = Objects.toString(MDC.get(LogContext.EVENT_ID), null);
        try (var log = where.logContext(eventId)) {
            LOG.infof(
                    "dead-lettering %s: %s: %s", where, reason, truncate(cause, MAX_CAUSE_LENGTH));
        }
        return write(source, reason, cause)
                .onFailure(DeadLetterPublisher::isPermanentRefusal)
                .recoverWithUni(
                        refused ->
                                writeWithoutValue(source, reason, cause, refused, where, eventId))
                .onFailure(DeadLetterPublisher::isPermanentRefusal)
                .recoverWithItem(refused -> drop(reason, refused, where, eventId))
                .invoke(written -> count(written, reason))
                .replaceWithVoid();
    }

    private Uni<Written> write(ConsumedRecord source, String reason, String cause) {
        RecordHeaders headers = new RecordHeaders();
        for (Header h : source.headers()) {
            if (!h.key().startsWith("tagpurge-") && !h.key().startsWith("dead-letter-")) {
                headers.add(h);
            }
        }
        addOutcomeHeaders(headers, source, reason, truncate(cause, MAX_CAUSE_LENGTH));
        return emitter.sendMessage(message(source.value(), source.key(), headers))
                .replaceWith(Written.AS_IS);
    }

    private Uni<Written> writeWithoutValue(
            ConsumedRecord source,
            String reason,
            String cause,
            Throwable refused,
            RecordCoordinates where,
            String eventId) {
        try (var log = where.logContext(eventId)) {
            LOG.warnf(
                    "dead letter of %s refused (%s); writing it without its value and headers",
                    where, describe(refused));
        }
        RecordHeaders headers = new RecordHeaders();
        addOutcomeHeaders(headers, source, reason, truncate(cause, MAX_FALLBACK_CAUSE_LENGTH));
        headers.add(VALUE_OMITTED_HEADER, utf8(truncate(describe(refused), 200)));
        byte[] key = source.key();
        byte[] shortKey = key != null && key.length <= MAX_FALLBACK_KEY_LENGTH ? key : null;
        return emitter.sendMessage(message(new byte[0], shortKey, headers))
                .replaceWith(Written.WITHOUT_VALUE);
    }

    private Written drop(
            String reason, Throwable refused, RecordCoordinates where, String eventId) {
        try (var log = where.logContext(eventId)) {
            LOG.errorf(
                    "dead letter of %s (reason %s) refused even without its value (%s); dropping"
                            + " it and acknowledging the record",
                    where, reason, describe(refused));
        }
        return Written.DROPPED;
    }

    private void count(Written written, String reason) {
        String metric = written == Written.DROPPED ? MetricNames.DLQ_DROPPED : MetricNames.DLQ;
        registry.counter(metric, "reason", reason).increment();
    }

    private static Message<byte[]> message(byte[] value, byte[] key, RecordHeaders headers) {
        OutgoingKafkaRecordMetadata<byte[]> metadata =
                OutgoingKafkaRecordMetadata.<byte[]>builder()
                        .withKey(key)
                        .withHeaders(headers)
                        .build();
        return Message.of(value == null ? new byte[0] : value).addMetadata(metadata);
    }

    private static void addOutcomeHeaders(
            RecordHeaders headers, ConsumedRecord source, String reason, String cause) {
        String partition = Integer.toString(source.partition());
        String offset = Long.toString(source.offset());
        headers.add(REASON_HEADER, utf8(reason));
        headers.add(CAUSE_HEADER, utf8(cause));
        headers.add(TOPIC_HEADER, utf8(source.topic()));
        headers.add(PARTITION_HEADER, utf8(partition));
        headers.add(OFFSET_HEADER, utf8(offset));
        headers.add(DEAD_LETTER_REASON_HEADER, utf8(reason));
        headers.add(DEAD_LETTER_CAUSE_HEADER, utf8(cause));
        headers.add(DEAD_LETTER_TOPIC_HEADER, utf8(source.topic()));
        headers.add(DEAD_LETTER_PARTITION_HEADER, utf8(partition));
        headers.add(DEAD_LETTER_OFFSET_HEADER, utf8(offset));
    }

    /**
     * Whether the producer or broker refused the record for good: sending the same record again
     * would fail again, so waiting for it would hold the partition forever.
     */
    static boolean isPermanentRefusal(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            for (Class<? extends Throwable> refusal : PERMANENT_REFUSALS) {
                if (refusal.isInstance(t)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static String describe(Throwable t) {
        return t.getClass().getSimpleName() + ": " + t.getMessage();
    }

    private static String truncate(String s, int max) {
        String v = s == null ? "" : s;
        return v.length() <= max ? v : v.substring(0, max);
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
