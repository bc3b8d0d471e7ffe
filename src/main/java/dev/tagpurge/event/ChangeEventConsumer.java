package dev.tagpurge.event;

import dev.tagpurge.coalesce.PurgeMode;
import dev.tagpurge.completion.CompletionPublisher;
import dev.tagpurge.config.Channels;
import dev.tagpurge.mapping.MappedSelectors;
import dev.tagpurge.mapping.MissingFieldException;
import dev.tagpurge.metrics.MetricNames;
import dev.tagpurge.purge.EventProgress;
import dev.tagpurge.purge.EventStatus;
import dev.tagpurge.purge.PurgeDispatcher;
import dev.tagpurge.purge.TargetProgress;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.KafkaRecord;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.common.header.Header;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

/**
 * Consumes change events. A record is parsed, mapped and validated; an invalid one is dead-lettered
 * and then acknowledged, a valid one is handed to the {@link PurgeDispatcher} and acknowledged only
 * once its completion event (and, if a target failed, its dead letter) is written (SPEC §5).
 *
 * <p>The returned {@code Uni} completes when the record has been handed over and intake has room,
 * not when it is purged: records are acknowledged out of order and SmallRye's {@code throttled}
 * commit strategy commits each partition up to the oldest record still unacknowledged.
 */
@ApplicationScoped
public class ChangeEventConsumer {

    private static final Logger LOG = Logger.getLogger(ChangeEventConsumer.class);

    private final EventIntake intake;
    private final PurgeDispatcher dispatcher;
    private final CompletionPublisher completions;
    private final DeadLetterPublisher deadLetters;
    private final MeterRegistry registry;
    private final AtomicInteger unacknowledged = new AtomicInteger();
    private final Map<String, Counter> received = new ConcurrentHashMap<>();

    public ChangeEventConsumer(
            EventIntake intake,
            PurgeDispatcher dispatcher,
            CompletionPublisher completions,
            DeadLetterPublisher deadLetters,
            MeterRegistry registry) {
        this.intake = intake;
        this.dispatcher = dispatcher;
        this.completions = completions;
        this.deadLetters = deadLetters;
        this.registry = registry;
        // exported from the start (at 0), so dashboards and alerts see the series before the first
        // one
        registry.counter(MetricNames.EVENTS_UNMATCHED);
    }

    /** Records consumed whose acknowledgement (or nack) has not happened yet. */
    public int unacknowledged() {
        return unacknowledged.get();
    }

    /**
     * Consumes one poll's worth of records. Each record is handled on its own (its outcome, its
     * dead letter); the batch is acknowledged once every record in it has its outcome written, so
     * the committed offset never passes a record without one. Between records, intake waits when a
     * pending or in-flight bound is reached, so a batch overshoots a bound by one event at most.
     */
    @Incoming(Channels.CHANGE_EVENTS)
    public Uni<Void> consume(KafkaRecordBatch<String, byte[]> batch) {
        List<KafkaRecord<String, byte[]>> records = batch.getRecords();
        return consumeFrom(records, 0, new BatchAcknowledgement(batch, records.size()));
    }

    private Uni<Void> consumeFrom(
            List<KafkaRecord<String, byte[]>> records,
            int from,
            BatchAcknowledgement acknowledgement) {
        for (int i = from; i < records.size(); i++) {
            if (i > from && !dispatcher.hasCapacity()) {
                int next = i;
                return dispatcher
                        .awaitCapacity()
                        .chain(() -> consumeFrom(records, next, acknowledgement));
            }
            unacknowledged.incrementAndGet();
            consume(records.get(i), acknowledgement);
        }
        return dispatcher.awaitCapacity();
    }

    private void consume(Message<byte[]> message, BatchAcknowledgement acknowledgement) {
        IncomingKafkaRecordMetadata<?, ?> meta =
                message.getMetadata(IncomingKafkaRecordMetadata.class)
                        .orElseThrow(() -> new IllegalStateException("not a Kafka record"));
        received.computeIfAbsent(
                        meta.getTopic(),
                        topic -> registry.counter(MetricNames.EVENTS_RECEIVED, "topic", topic))
                .increment();
        Instant receivedAt = Instant.now();
        try {
            ChangeEvent event =
                    intake.parser().parse(message.getPayload(), name -> header(meta, name));
            MappedSelectors selectors = map(event);
            intake.validator().validate(event, selectors);
            PurgeMode mode = event.mode().orElse(intake.defaultMode());
            dispatcher.dispatch(
                    event,
                    selectors,
                    mode,
                    receivedAt,
                    p -> finish(p, message.getPayload(), meta, acknowledgement));
        } catch (InvalidEventException e) {
            registry.counter(MetricNames.EVENTS_INVALID, "reason", e.reason().label()).increment();
            deadLetter(
                    message.getPayload(),
                    meta,
                    e.reason().label(),
                    e.getMessage(),
                    Uni.createFrom().voidItem(),
                    acknowledgement);
        }
    }

    private MappedSelectors map(ChangeEvent event) throws InvalidEventException {
        try {
            return intake.mapper().map(event);
        } catch (MissingFieldException e) {
            throw new InvalidEventException(InvalidReason.MISSING_TEMPLATE_FIELD, e.getMessage());
        }
    }

    private void finish(
            EventProgress progress,
            byte[] payload,
            IncomingKafkaRecordMetadata<?, ?> meta,
            BatchAcknowledgement acknowledgement) {
        if (progress.status() == EventStatus.UNMATCHED) {
            registry.counter(MetricNames.EVENTS_UNMATCHED).increment();
        }
        Object key = meta.getKey();
        Uni<Void> completion = completions.publish(progress, key == null ? null : key.toString());
        if (progress.anyFailed()) {
            deadLetter(
                    payload,
                    meta,
                    "purge-failed",
                    failureCause(progress),
                    completion,
                    acknowledgement);
        } else {
            acknowledgeAfter(completion, acknowledgement, progress.event().id());
        }
    }

    private void deadLetter(
            byte[] payload,
            IncomingKafkaRecordMetadata<?, ?> meta,
            String reason,
            String cause,
            Uni<Void> before,
            BatchAcknowledgement acknowledgement) {
        Uni<Void> written = before.chain(() -> deadLetters.send(payload, meta, reason, cause));
        acknowledgeAfter(
                written,
                acknowledgement,
                meta.getTopic() + "-" + meta.getPartition() + "@" + meta.getOffset());
    }

    /**
     * Counts the record done once {@code written} succeeded. A write the Kafka producer could not
     * complete after its own retries is tried again with backoff; if that fails too, the batch is
     * nacked, which fails the channel: the offsets stay uncommitted and a restart re-delivers them.
     */
    private void acknowledgeAfter(
            Uni<Void> written, BatchAcknowledgement acknowledgement, String what) {
        // the common case without the retry operators; a failed write is sent again with them
        written.subscribe()
                .with(
                        ok -> acknowledgement.recordDone(),
                        firstFailure ->
                                written.onFailure()
                                        .retry()
                                        .withBackOff(Duration.ofSeconds(1), Duration.ofSeconds(30))
                                        .atMost(4)
                                        .subscribe()
                                        .with(
                                                ok -> acknowledgement.recordDone(),
                                                failure -> {
                                                    LOG.errorf(
                                                            failure,
                                                            "could not write the outcome of %s;"
                                                                    + " not acknowledging it",
                                                            what);
                                                    acknowledgement.recordFailed(failure);
                                                }));
    }

    /**
     * One consumed batch: acknowledged when its last record has its outcome written, or nacked at
     * the first record whose outcome could not be written. {@link #unacknowledged} counts each
     * record from its dispatch until its outcome is written, and the last one until the batch's
     * acknowledgement is done: a batch cut short by a shutdown leaves nothing counted (and is not
     * acknowledged, so it is delivered again).
     */
    private final class BatchAcknowledgement {
        private final Message<?> batch;
        private final AtomicInteger outstanding;
        private final AtomicBoolean settled = new AtomicBoolean();

        BatchAcknowledgement(Message<?> batch, int size) {
            this.batch = batch;
            this.outstanding = new AtomicInteger(size);
        }

        void recordDone() {
            if (outstanding.decrementAndGet() == 0 && settled.compareAndSet(false, true)) {
                batch.ack().whenComplete((v, e) -> unacknowledged.decrementAndGet());
            } else {
                unacknowledged.decrementAndGet();
            }
        }

        void recordFailed(Throwable failure) {
            outstanding.decrementAndGet();
            unacknowledged.decrementAndGet();
            if (settled.compareAndSet(false, true)) {
                batch.nack(failure);
            }
        }
    }

    private static String failureCause(EventProgress progress) {
        StringBuilder cause = new StringBuilder();
        for (TargetProgress t : progress.targets()) {
            if (t.error() != null && t.status() != dev.tagpurge.purge.TargetStatus.SUCCEEDED) {
                cause.append(cause.isEmpty() ? "" : "; ")
                        .append(t.target())
                        .append(": ")
                        .append(t.error());
            }
        }
        return cause.toString();
    }

    private static String header(IncomingKafkaRecordMetadata<?, ?> meta, String name) {
        Header h = meta.getHeaders().lastHeader(name);
        return h == null || h.value() == null
                ? null
                : new String(h.value(), StandardCharsets.UTF_8);
    }
}
