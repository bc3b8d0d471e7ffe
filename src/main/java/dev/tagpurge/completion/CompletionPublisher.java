package dev.tagpurge.completion;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import dev.tagpurge.config.Channels;
import dev.tagpurge.config.CompletionMode;
import dev.tagpurge.config.TagpurgeConfig;
import dev.tagpurge.metrics.MetricNames;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.KafkaClientService;
import io.smallrye.reactive.messaging.kafka.KafkaProducer;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.reactive.messaging.Channel;

/**
 * Writes completion events as CloudEvents structured JSON, keyed by the change event's Kafka key,
 * byte for byte, or, without one, its id. {@code tagpurge.completion.mode=off} writes nothing but
 * still counts outcomes.
 *
 * <p>The records go straight to the Kafka producer of the {@code purge-completions} channel (so its
 * {@code mp.messaging.outgoing.purge-completions.*} configuration, health check and metrics stay),
 * from one sending thread of our own, instead of one message each through the channel's emitter:
 * the benchmark's profile put that per-message path (message, metadata, context capture, sink,
 * callbacks) at about a sixth of the service's CPU per event. Completions are queued and the
 * sending thread drains the queue in bulk (one wake-up for as many records as arrived meanwhile),
 * serializing each straight into UTF-8 bytes. A send that cannot go out at once (metadata, a full
 * buffer) blocks that thread, never an event loop or a target's executor.
 */
@ApplicationScoped
public class CompletionPublisher {

    /** CloudEvents {@code type} of completion events. */
    public static final String EVENT_TYPE = "tagpurge.purge.completed";

    static final String CONTENT_TYPE = "application/cloudevents+json";
    // the same headers on every record: the producer only reads them once a record is sent
    private static final RecordHeaders HEADERS = readOnlyHeaders();

    private static final JsonFactory JSON = new JsonFactory();

    /** Told once the broker has the record ({@code error} null) or it could not be written. */
    @FunctionalInterface
    public interface Written {
        void written(Throwable error);
    }

    /**
     * A completion waiting for the sending thread, with the change event's key as it was consumed
     * (null: the event id keys it); {@code toCount} when that thread is the one to count it ({@link
     * #write}'s completions).
     */
    private record Queued(CompletionEvent event, byte[] key, Written done, boolean toCount) {}

    private final KafkaClientService kafkaClients;
    private final String topic;
    private final ExecutorService sendingThread;
    private final Queue<Queued> queue = new ConcurrentLinkedQueue<>();
    // the number of drain requests not yet served: only the caller that raises it from 0 wakes
    // the sending thread
    private final AtomicInteger drainRequests = new AtomicInteger();
    // confined to the sending thread
    private final Writer writer = new Writer();
    private volatile Producer<byte[], byte[]> producer;
    private final MeterRegistry registry;
    private final Map<String, Counter> byStatus = new ConcurrentHashMap<>();
    private final boolean enabled;

    // The emitter is not used to send: injecting it is what wires the channel, so that the
    // connector creates its sink and producer. The bound on queued sends is upstream: at most
    // tagpurge.input.max-in-flight-events completions can be waiting.
    public CompletionPublisher(
            @Channel(Channels.COMPLETIONS) MutinyEmitter<byte[]> channel,
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

    /**
     * Publishes {@code event} keyed by {@code kafkaKey} (null: by its event id); completes when the
     * broker has it. Each subscription sends it.
     */
    public Uni<Void> publish(CompletionEvent event, byte[] kafkaKey) {
        count(event);
        return send(event, kafkaKey);
    }

    /**
     * Publishes {@code event} without a {@code Uni}: the consumer's path for every event. {@code
     * done} runs on the producer's thread (or at once when completions are off); a failed write is
     * not retried here.
     */
    public void write(CompletionEvent event, byte[] kafkaKey, Written done) {
        if (!enabled) {
            count(event);
            done.written(null);
            return;
        }
        // counted by the sending thread: one thread updating the counters, not every target's
        // (the profile showed those increments contending, at about 1.5% of the service's CPU)
        enqueue(new Queued(event, kafkaKey, done, true));
    }

    /**
     * Sends {@code event} again on each subscription without counting it: the retry of a {@link
     * #write} that failed.
     */
    public Uni<Void> send(CompletionEvent event, byte[] kafkaKey) {
        if (!enabled) {
            return Uni.createFrom().voidItem();
        }
        // lazy, like the emitter's: each subscription (a retry) sends the record again
        return Uni.createFrom()
                .emitter(
                        written ->
                                enqueue(
                                        new Queued(
                                                event,
                                                kafkaKey,
                                                error -> {
                                                    if (error == null) {
                                                        written.complete(null);
                                                    } else {
                                                        written.fail(error);
                                                    }
                                                },
                                                false)));
    }

    private void count(CompletionEvent event) {
        byStatus.computeIfAbsent(
                        event.status(),
                        status -> registry.counter(MetricNames.COMPLETIONS, "status", status))
                .increment();
    }

    private void enqueue(Queued queued) {
        queue.add(queued);
        if (drainRequests.getAndIncrement() == 0) {
            try {
                sendingThread.execute(this::drain);
            } catch (RejectedExecutionException e) {
                // stopped (shutdown): what is still queued cannot be written any more
                drainRequests.set(0);
                failQueued(e);
            }
        }
    }

    /** Hands every queued completion to the producer, until no drain request is left. */
    private void drain() {
        int requests = drainRequests.get();
        while (true) {
            Queued queued;
            while ((queued = queue.poll()) != null) {
                sendNow(queued);
            }
            requests = drainRequests.addAndGet(-requests);
            if (requests == 0) {
                return;
            }
        }
    }

    private void sendNow(Queued queued) {
        Written done = queued.done();
        try {
            if (queued.toCount()) {
                count(queued.event());
            }
            byte[] key =
                    queued.key() != null
                            ? queued.key()
                            : queued.event().eventId().getBytes(StandardCharsets.UTF_8);
            byte[] value = writer.write(queued.event());
            producer().send(record(key, value), (metadata, error) -> done.written(error));
        } catch (RuntimeException e) {
            done.written(e);
        }
    }

    private void failQueued(RuntimeException cause) {
        Queued queued;
        while ((queued = queue.poll()) != null) {
            queued.done().written(cause);
        }
    }

    private ProducerRecord<byte[], byte[]> record(byte[] key, byte[] value) {
        return new ProducerRecord<>(topic, null, key, value, HEADERS);
    }

    private static RecordHeaders readOnlyHeaders() {
        RecordHeaders headers = new RecordHeaders();
        headers.add("content-type", CONTENT_TYPE.getBytes(StandardCharsets.UTF_8));
        headers.setReadOnly();
        return headers;
    }

    private Producer<byte[], byte[]> producer() {
        Producer<byte[], byte[]> p = producer;
        if (p == null) {
            KafkaProducer<byte[], byte[]> channelProducer =
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

    /** The completion's record value, written by a {@link Writer} of its own, as a string. */
    static String toCloudEvent(CompletionEvent event) {
        return new String(new Writer().write(event), StandardCharsets.UTF_8);
    }

    /**
     * Writes completions' record values one after another through one Jackson generator, its output
     * buffer and its scratch chars for the instants, all reused from one completion to the next (a
     * generator per record, with its I/O context and write contexts, was among the largest
     * allocations per event). Confined to one thread. A write that fails drops the generator, whose
     * state is then undefined, and the next write starts a new one.
     */
    static final class Writer {

        private final ByteArrayBuilder out = new ByteArrayBuilder(1024);
        private final char[] chars = new char[IsoInstant.MAX_LENGTH];
        private JsonGenerator generator;

        /** The CloudEvents structured-mode JSON of {@code event}, as UTF-8. */
        byte[] write(CompletionEvent event) {
            try {
                if (generator == null) {
                    generator = JSON.createGenerator(out, JsonEncoding.UTF8);
                    // one JSON value per record: nothing between them
                    generator.setRootValueSeparator(null);
                }
                out.reset();
                writeFields(generator, event, chars);
                generator.flush();
                return out.toByteArray();
            } catch (IOException e) {
                generator = null;
                throw new UncheckedIOException("completion event not serializable", e);
            } catch (RuntimeException e) {
                generator = null;
                throw e;
            }
        }
    }

    /**
     * Writes the CloudEvents structured-mode JSON of a completion field by field with Jackson's
     * streaming generator: the profile of the benchmark showed data binding of this record as the
     * largest single cost per event. {@code CompletionPublisherTest} checks it against Jackson's
     * data binding of {@link CompletionEvent}, so a field added there cannot be missed here. {@code
     * chars} (at least {@link IsoInstant#MAX_LENGTH}) is scratch space for the instants.
     */
    private static void writeFields(JsonGenerator g, CompletionEvent event, char[] chars)
            throws IOException {
        g.writeStartObject();
        writeField(g, Encoded.SPECVERSION, Encoded.SPECVERSION_1_0);
        writeField(g, Encoded.ID, randomId());
        writeField(g, Encoded.SOURCE, Encoded.SOURCE_TAGPURGE);
        writeField(g, Encoded.TYPE, Encoded.TYPE_COMPLETED);
        writeField(g, Encoded.SUBJECT, event.eventId());
        g.writeFieldName(Encoded.TIME);
        g.writeString(chars, 0, IsoInstant.write(event.completedAt(), chars));
        writeField(g, Encoded.DATACONTENTTYPE, Encoded.APPLICATION_JSON);
        g.writeFieldName(Encoded.DATA);
        g.writeStartObject();
        writeField(g, Encoded.EVENT_ID, event.eventId());
        writeField(g, Encoded.EVENT_TYPE, event.eventType());
        writeField(g, Encoded.STATUS, event.status());
        writeInstant(g, Encoded.RECEIVED_AT, event.receivedAt(), chars);
        writeInstant(g, Encoded.COMPLETED_AT, event.completedAt(), chars);
        writeField(g, Encoded.LATENCY_MS, event.latencyMs());
        g.writeFieldName(Encoded.TARGETS);
        g.writeStartArray();
        for (CompletionEvent.TargetOutcome t : event.targets()) {
            g.writeStartObject();
            writeField(g, Encoded.TARGET, t.target());
            writeField(g, Encoded.PROVIDER, t.provider());
            writeField(g, Encoded.STATUS, t.status());
            writeField(g, Encoded.SELECTORS, t.selectors());
            writeField(g, Encoded.REQUESTS, t.requests());
            writeField(g, Encoded.ATTEMPTS, t.attempts());
            g.writeFieldName(Encoded.PURGE_IDS);
            g.writeStartArray();
            for (String id : t.purgeIds()) {
                g.writeString(id);
            }
            g.writeEndArray();
            writeField(g, Encoded.ERROR, t.error());
            writeField(g, Encoded.STARTED_AFTER_MS, t.startedAfterMs());
            writeField(g, Encoded.COMPLETED_AFTER_MS, t.completedAfterMs());
            if (t.estimatedSeconds() != null) {
                writeField(g, Encoded.ESTIMATED_SECONDS, t.estimatedSeconds());
            }
            if (t.verification() != null) {
                g.writeFieldName(Encoded.VERIFICATION);
                g.writeStartArray();
                for (CompletionEvent.Verification v : t.verification()) {
                    g.writeStartObject();
                    writeField(g, Encoded.URL, v.url());
                    writeField(g, Encoded.RESULT, v.result());
                    writeField(g, Encoded.REASON, v.reason());
                    g.writeEndObject();
                }
                g.writeEndArray();
            }
            g.writeEndObject();
        }
        g.writeEndArray();
        writeIfPresent(g, Encoded.SOURCE, event.source());
        writeIfPresent(g, Encoded.TICKET, event.ticket());
        writeIfPresent(g, Encoded.ACTOR, event.actor());
        g.writeEndObject();
        g.writeEndObject();
    }

    /**
     * The completion's field names and fixed values, quoted and encoded as UTF-8 once: the
     * generator copies their bytes instead of checking every character of every name for escapes on
     * every record (the profile put the field-by-field write at half of the sending thread's CPU).
     */
    private static final class Encoded {
        static final SerializedString SPECVERSION = new SerializedString("specversion");
        static final SerializedString SPECVERSION_1_0 = new SerializedString("1.0");
        static final SerializedString ID = new SerializedString("id");
        static final SerializedString SOURCE = new SerializedString("source");
        static final SerializedString SOURCE_TAGPURGE = new SerializedString("tagpurge");
        static final SerializedString TYPE = new SerializedString("type");
        static final SerializedString TYPE_COMPLETED =
                new SerializedString(CompletionPublisher.EVENT_TYPE);
        static final SerializedString SUBJECT = new SerializedString("subject");
        static final SerializedString TIME = new SerializedString("time");
        static final SerializedString DATACONTENTTYPE = new SerializedString("datacontenttype");
        static final SerializedString APPLICATION_JSON = new SerializedString("application/json");
        static final SerializedString DATA = new SerializedString("data");
        static final SerializedString EVENT_ID = new SerializedString("eventId");
        static final SerializedString EVENT_TYPE = new SerializedString("eventType");
        static final SerializedString STATUS = new SerializedString("status");
        static final SerializedString RECEIVED_AT = new SerializedString("receivedAt");
        static final SerializedString COMPLETED_AT = new SerializedString("completedAt");
        static final SerializedString LATENCY_MS = new SerializedString("latencyMs");
        static final SerializedString TARGETS = new SerializedString("targets");
        static final SerializedString TARGET = new SerializedString("target");
        static final SerializedString PROVIDER = new SerializedString("provider");
        static final SerializedString SELECTORS = new SerializedString("selectors");
        static final SerializedString REQUESTS = new SerializedString("requests");
        static final SerializedString ATTEMPTS = new SerializedString("attempts");
        static final SerializedString PURGE_IDS = new SerializedString("purgeIds");
        static final SerializedString ERROR = new SerializedString("error");
        static final SerializedString STARTED_AFTER_MS = new SerializedString("startedAfterMs");
        static final SerializedString COMPLETED_AFTER_MS = new SerializedString("completedAfterMs");
        static final SerializedString ESTIMATED_SECONDS = new SerializedString("estimatedSeconds");
        static final SerializedString VERIFICATION = new SerializedString("verification");
        static final SerializedString URL = new SerializedString("url");
        static final SerializedString RESULT = new SerializedString("result");
        static final SerializedString REASON = new SerializedString("reason");
        static final SerializedString TICKET = new SerializedString("ticket");
        static final SerializedString ACTOR = new SerializedString("actor");

        private Encoded() {}
    }

    /**
     * A random (version 4) UUID from {@link ThreadLocalRandom}: unique like {@link
     * UUID#randomUUID()}, which draws from {@code SecureRandom} for unpredictability an event id
     * does not need, at several times the cost per completion.
     */
    static String randomId() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long most = (random.nextLong() & ~0xF000L) | 0x4000L;
        long least = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(most, least).toString();
    }

    private static void writeField(JsonGenerator g, SerializedString name, String value)
            throws IOException {
        g.writeFieldName(name);
        g.writeString(value);
    }

    private static void writeField(JsonGenerator g, SerializedString name, SerializedString value)
            throws IOException {
        g.writeFieldName(name);
        g.writeString(value);
    }

    private static void writeField(JsonGenerator g, SerializedString name, long value)
            throws IOException {
        g.writeFieldName(name);
        g.writeNumber(value);
    }

    private static void writeIfPresent(JsonGenerator g, SerializedString field, String value)
            throws IOException {
        if (value != null) {
            writeField(g, field, value);
        }
    }

    private static void writeInstant(
            JsonGenerator g, SerializedString field, Instant value, char[] chars)
            throws IOException {
        g.writeFieldName(field);
        if (value == null) {
            g.writeNull();
        } else {
            g.writeString(chars, 0, IsoInstant.write(value, chars));
        }
    }
}
