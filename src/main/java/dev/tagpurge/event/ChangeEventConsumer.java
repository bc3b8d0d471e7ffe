package dev.tagpurge.event;

import dev.tagpurge.completion.CompletionEvent;
import dev.tagpurge.completion.CompletionPublisher;
import dev.tagpurge.config.Channels;
import dev.tagpurge.domain.ChangeEvent;
import dev.tagpurge.domain.EventStatus;
import dev.tagpurge.domain.InvalidEventException;
import dev.tagpurge.domain.InvalidReason;
import dev.tagpurge.domain.MappedSelectors;
import dev.tagpurge.domain.PurgeMode;
import dev.tagpurge.domain.TargetStatus;
import dev.tagpurge.mapping.MappingTrace;
import dev.tagpurge.metrics.MetricNames;
import dev.tagpurge.purge.EventProgress;
import dev.tagpurge.purge.LogContext;
import dev.tagpurge.purge.PurgeDispatcher;
import dev.tagpurge.purge.TargetProgress;
import dev.tagpurge.verify.ProbeResult;
import dev.tagpurge.verify.PurgeVerifier;
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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

/**
 * Consumes change events. A record is parsed, mapped and validated; an invalid one is dead-lettered
 * and then acknowledged, a valid one is handed to the {@link PurgeDispatcher} and acknowledged only
 * once its completion event (and, if a target failed, its dead letter) is written. A record whose
 * handling throws unexpectedly is dead-lettered with reason {@code internal-error}; the rest of its
 * batch goes on.
 *
 * <p>The returned {@code Uni} completes when the record has been handed over and intake has room,
 * not when it is purged: records are acknowledged out of order and SmallRye's {@code throttled}
 * commit strategy commits each partition up to the oldest record still unacknowledged.
 */
@ApplicationScoped
public class ChangeEventConsumer {

    private static final Logger LOG = Logger.getLogger(ChangeEventConsumer.class);
    private static final String PURGE_FAILED = "purge-failed";

    /**
     * Per record of a batch, what the Kafka client and the messaging layer keep besides its key and
     * value: the consumer record and its headers, the messaging layer's record, metadata and
     * context (measured in the benchmark's class histogram of the live heap).
     */
    static final long RECORD_OVERHEAD_BYTES = 768;

    private final EventIntake intake;
    private final PurgeDispatcher dispatcher;
    private final CompletionPublisher completions;
    private final DeadLetterPublisher deadLetters;
    private final PurgeVerifier verifier;
    private final MeterRegistry registry;
    private final OutcomeWrites outcomes = OutcomeWrites.DEFAULT;
    private final AtomicInteger unacknowledged = new AtomicInteger();
    private final AtomicInteger writesPending = new AtomicInteger();
    private volatile long lastWrittenNanos = System.nanoTime();
    private final Map<String, Counter> received = new ConcurrentHashMap<>();

    public ChangeEventConsumer(
            EventIntake intake,
            PurgeDispatcher dispatcher,
            CompletionPublisher completions,
            DeadLetterPublisher deadLetters,
            PurgeVerifier verifier,
            MeterRegistry registry) {
        this.intake = intake;
        this.verifier = verifier;
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

    /** Outcome writes (completion, dead letter, with their retries) started and not finished. */
    public int outcomeWritesPending() {
        return writesPending.get();
    }

    /** {@link System#nanoTime()} when an outcome write last succeeded (or this bean started). */
    public long lastOutcomeWrittenNanos() {
        return lastWrittenNanos;
    }

    /**
     * Consumes one poll's worth of records. Each record is handled on its own (its outcome, its
     * dead letter); the batch is acknowledged once every record in it has its outcome written, so
     * the committed offset never passes a record without one. Between records, intake waits when a
     * pending or in-flight bound is reached, so a batch overshoots a bound by one event at most.
     *
     * <p>Every record counts against the bound in bytes from its poll until its own outcome is
     * written; the batch's records not yet dispatched never hold back its next one.
     */
    @Incoming(Channels.CHANGE_EVENTS)
    public Uni<Void> consume(KafkaRecordBatch<byte[], byte[]> batch) {
        List<KafkaRecord<byte[], byte[]>> records = batch.getRecords();
        long held = 0;
        for (KafkaRecord<byte[], byte[]> r : records) {
            held += heldBytes(r);
        }
        dispatcher.holdBytes(held);
        return consumeFrom(
                records,
                0,
                held,
                new BatchAcknowledgement(
                        batch.getLatestOffsetRecords().values(),
                        records.size(),
                        unacknowledged,
                        dispatcher::releaseBytes));
    }

    /** What a consumed record is counted for against the bound in bytes, until it is settled. */
    static long heldBytes(KafkaRecord<byte[], byte[]> record) {
        byte[] value = record.getPayload();
        byte[] key = record.getKey();
        return RECORD_OVERHEAD_BYTES
                + (value == null ? 0 : value.length)
                + (key == null ? 0 : key.length);
    }

    /**
     * Dispatches {@code records} from index {@code from} on; {@code undispatched} is what those
     * records are counted for, which does not hold them back (they are in memory whatever intake
     * does).
     */
    private Uni<Void> consumeFrom(
            List<KafkaRecord<byte[], byte[]>> records,
            int from,
            long undispatched,
            BatchAcknowledgement acknowledgement) {
        long remaining = undispatched;
        for (int i = from; i < records.size(); i++) {
            if (i > from && !dispatcher.hasCapacity(remaining)) {
                int next = i;
                long left = remaining;
                return dispatcher
                        .awaitCapacity(left)
                        .chain(() -> consumeFrom(records, next, left, acknowledgement));
            }
            KafkaRecord<byte[], byte[]> record = records.get(i);
            long bytes = heldBytes(record);
            remaining -= bytes;
            unacknowledged.incrementAndGet();
            consume(record, acknowledgement.record(bytes));
        }
        return dispatcher.awaitCapacity();
    }

    private void consume(Message<byte[]> message, BatchAcknowledgement.Record settlement) {
        ConsumedRecord record = ConsumedRecord.of(consumerRecord(message));
        String eventId = null; // known once parsed: the lines about a refusal then carry it
        try {
            received.computeIfAbsent(
                            record.topic(),
                            topic -> registry.counter(MetricNames.EVENTS_RECEIVED, "topic", topic))
                    .increment();
            Instant receivedAt = Instant.now();
            ChangeEvent event = intake.parser().parse(record.value(), name -> header(record, name));
            eventId = event.id();
            handle(event, receivedAt, record, settlement);
        } catch (InvalidEventException e) {
            refuse(record, eventId, e, settlement);
        } catch (RuntimeException e) {
            // a bug in one step must cost this record, never the rest of the batch or the partition
            internalError(record, eventId, e, settlement);
        }
    }

    /**
     * The Kafka record under the messaging layer's metadata, of which an event in flight keeps what
     * a failed purge's dead letter needs ({@link ConsumedRecord}).
     */
    @SuppressWarnings("unchecked")
    private static ConsumerRecord<byte[], byte[]> consumerRecord(Message<byte[]> message) {
        IncomingKafkaRecordMetadata<?, ?> meta =
                message.getMetadata(IncomingKafkaRecordMetadata.class)
                        .orElseThrow(() -> new IllegalStateException("not a Kafka record"));
        return (ConsumerRecord<byte[], byte[]>) meta.getRecord();
    }

    private void handle(
            ChangeEvent event,
            Instant receivedAt,
            ConsumedRecord record,
            BatchAcknowledgement.Record settlement)
            throws InvalidEventException {
        MappedSelectors selectors = intake.mapAndValidate(event, MappingTrace.NONE);
        PurgeMode mode = event.mode().orElse(intake.defaultMode());
        // only the verification probe reads the selectors once the event is purged: without it,
        // an event waiting for its completion write does not keep them
        MappedSelectors kept = verifier.active() ? selectors : null;
        // the event counts against the in-flight bounds until its outcome is written
        dispatcher.dispatchHeld(
                event,
                selectors,
                mode,
                receivedAt,
                0, // the record is counted with its batch
                (p, release) -> finish(p, kept, record, settlement.onSettled(release)));
    }

    private void refuse(
            ConsumedRecord record,
            String eventId,
            InvalidEventException e,
            BatchAcknowledgement.Record settlement) {
        registry.counter(MetricNames.EVENTS_INVALID, "reason", e.reason().label()).increment();
        Uni<Void> written;
        // the publisher labels its lines with the record's coordinates and this event id
        try (var log = LogContext.of(LogContext.EVENT_ID, eventId)) {
            written = deadLetters.send(record, e.reason().label(), e.getMessage());
        } catch (RuntimeException unexpected) {
            // called from the per-record catch: nothing may escape from here into the batch loop
            written = Uni.createFrom().failure(unexpected);
        }
        acknowledgeAfter(outcomes.retried(written), settlement, record.coordinates(), eventId);
    }

    private void internalError(
            ConsumedRecord record,
            String eventId,
            RuntimeException e,
            BatchAcknowledgement.Record settlement) {
        RecordCoordinates where = record.coordinates();
        try (var log = where.logContext(eventId)) {
            LOG.errorf(e, "internal error handling %s; dead-lettering it", where);
        }
        refuse(
                record,
                eventId,
                new InvalidEventException(
                        InvalidReason.INTERNAL_ERROR,
                        e.getClass().getName() + ": " + e.getMessage()),
                settlement);
    }

    private void finish(
            EventProgress progress,
            MappedSelectors selectors,
            ConsumedRecord record,
            BatchAcknowledgement.Record settlement) {
        try {
            if (progress.status() == EventStatus.UNMATCHED) {
                registry.counter(MetricNames.EVENTS_UNMATCHED).increment();
            }
            byte[] kafkaKey = record.key();
            if (!progress.anyFailed() && !verifier.active()) {
                writeCompletion(progress, kafkaKey, settlement, record.coordinates());
                return;
            }
            Uni<Void> completion = completion(progress, selectors, kafkaKey);
            Uni<Void> written =
                    progress.anyFailed()
                            ? outcomes.completionThenDeadLetter(
                                    completion, () -> deadLetterFailed(progress, record))
                            : outcomes.retried(completion);
            acknowledgeAfter(written, settlement, record.coordinates(), progress.id());
        } catch (RuntimeException e) {
            internalError(record, progress.id(), e, settlement);
        }
    }

    /**
     * The common case, every target succeeded and no probe: the completion is written without a
     * {@code Uni} per event, and only a failed write goes on to {@link OutcomeWrites#retried}'s
     * second attempt and backoff, like every other outcome write. While the broker has not
     * acknowledged it, the event keeps its completion and the record's coordinates (for a failed
     * write's log lines), not the consumed record: at saturation most events in flight wait here.
     */
    private void writeCompletion(
            EventProgress progress,
            byte[] kafkaKey,
            BatchAcknowledgement.Record settlement,
            RecordCoordinates where) {
        CompletionEvent event = CompletionEvents.of(progress, Instant.now());
        // the callback keeps the completion (a retry sends it again), not the event's progress:
        // while the producer holds the record, the event's state can be collected
        String eventId = progress.id();
        writesPending.incrementAndGet();
        completions.write(
                event,
                kafkaKey,
                error -> {
                    if (error == null) {
                        lastWrittenNanos = System.nanoTime();
                        writesPending.decrementAndGet();
                        settlement.done();
                    } else {
                        // counted as pending again before this attempt stops counting
                        acknowledgeAfter(
                                outcomes.retried(completions.send(event, kafkaKey)),
                                settlement,
                                where,
                                eventId);
                        writesPending.decrementAndGet();
                    }
                });
    }

    /**
     * The completion's write. With probes on, the verification is handed over first; only with a
     * {@code tagpurge.verification.completion-wait} does the completion wait for its results, and
     * never longer than that.
     */
    private Uni<Void> completion(
            EventProgress progress, MappedSelectors selectors, byte[] kafkaKey) {
        if (!verifier.active()) {
            return completions.publish(CompletionEvents.of(progress, Instant.now()), kafkaKey);
        }
        CompletableFuture<Map<String, List<ProbeResult>>> verified =
                verifier.verify(progress, selectors);
        Duration wait = verifier.completionWait();
        if (!wait.isPositive() || verified.isDone() && verified.join().isEmpty()) {
            return completions.publish(CompletionEvents.of(progress, Instant.now()), kafkaKey);
        }
        // published once the results are in or the wait is over; a retry sends the same record
        Uni<Uni<Void>> publishing =
                Uni.createFrom()
                        .completionStage(verified)
                        .ifNoItem()
                        .after(wait)
                        .recoverWithItem(Map.of())
                        .onFailure()
                        .recoverWithItem(Map.of())
                        .map(
                                results ->
                                        completions.publish(
                                                CompletionEvents.of(
                                                        progress, Instant.now(), results),
                                                kafkaKey))
                        .memoize()
                        .indefinitely();
        return publishing.flatMap(write -> write);
    }

    private Uni<Void> deadLetterFailed(EventProgress progress, ConsumedRecord record) {
        try (var log = LogContext.of(LogContext.EVENT_ID, progress.id())) {
            return deadLetters.send(record, PURGE_FAILED, failureCause(progress));
        }
    }

    /**
     * Counts the record done once {@code written} succeeded. A write still failing after its own
     * retries (the broker unreachable for long) nacks the batch, which fails the channel: the
     * offsets stay uncommitted and a restart re-delivers them. Dead letters the broker refuses for
     * good never get here: {@link DeadLetterPublisher} degrades them and completes.
     */
    private void acknowledgeAfter(
            Uni<Void> written,
            BatchAcknowledgement.Record settlement,
            RecordCoordinates where,
            String eventId) {
        writesPending.incrementAndGet();
        written.subscribe()
                .with(
                        ok -> {
                            lastWrittenNanos = System.nanoTime();
                            writesPending.decrementAndGet();
                            settlement.done();
                        },
                        failure -> {
                            writesPending.decrementAndGet();
                            try (var log = where.logContext(eventId)) {
                                LOG.errorf(
                                        failure,
                                        "could not write the outcome of %s; not acknowledging it",
                                        eventId == null ? where : "event " + eventId);
                            }
                            settlement.failed(failure);
                        });
    }

    private static String failureCause(EventProgress progress) {
        StringBuilder cause = new StringBuilder();
        for (TargetProgress t : progress.targets()) {
            if (t.error() != null && t.status() != TargetStatus.SUCCEEDED) {
                cause.append(cause.isEmpty() ? "" : "; ")
                        .append(t.target())
                        .append(": ")
                        .append(t.error());
            }
        }
        return cause.toString();
    }

    /**
     * A header of the record, read from the record's own headers: the messaging layer's metadata
     * keeps a copy of them, made on first use.
     */
    private static String header(ConsumedRecord record, String name) {
        Header h = record.lastHeader(name);
        return h == null || h.value() == null
                ? null
                : new String(h.value(), StandardCharsets.UTF_8);
    }
}
