package dev.tagpurge.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tagpurge.metrics.MetricNames;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.Cancellable;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.errors.NetworkException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.junit.jupiter.api.Test;

/**
 * A dead letter the producer or broker refuses for good degrades (without its value, then a counted
 * drop) so its partition moves on; one that may pass later fails so the caller retries.
 */
class DeadLetterPublisherTest {

    private static final Duration WAIT = Duration.ofSeconds(5);

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final ScriptedEmitter emitter = new ScriptedEmitter();
    private final DeadLetterPublisher publisher = new DeadLetterPublisher(emitter, registry);

    @Test
    void aRecordTheBrokerTakesIsWrittenWithItsValueAndBothHeaderStyles() {
        emitter.script((Throwable) null);

        publisher.send(source(), "not-json", "bad input").await().atMost(WAIT);

        Message<? extends byte[]> sent = emitter.sent.getFirst();
        assertThat(sent.getPayload()).isEqualTo(value());
        assertThat(key(sent)).as("the key byte for byte, UTF-8 or not").isEqualTo(KEY);
        Headers h = headers(sent);
        assertThat(text(h, "origin")).as("original headers are kept").isEqualTo("upstream");
        assertThat(text(h, DeadLetterPublisher.REASON_HEADER)).isEqualTo("not-json");
        assertThat(text(h, DeadLetterPublisher.DEAD_LETTER_REASON_HEADER)).isEqualTo("not-json");
        assertThat(text(h, DeadLetterPublisher.DEAD_LETTER_CAUSE_HEADER)).isEqualTo("bad input");
        assertThat(text(h, DeadLetterPublisher.DEAD_LETTER_TOPIC_HEADER))
                .isEqualTo("change-events");
        assertThat(text(h, DeadLetterPublisher.DEAD_LETTER_PARTITION_HEADER)).isEqualTo("3");
        assertThat(text(h, DeadLetterPublisher.DEAD_LETTER_OFFSET_HEADER)).isEqualTo("42");
        assertThat(count(MetricNames.DLQ, "not-json")).isEqualTo(1);
    }

    @Test
    void aRecordTooLargeIsWrittenAgainWithoutItsValueAndWithATruncatedCause() {
        emitter.script(new RecordTooLargeException("The message is 1100000 bytes"), null);

        publisher.send(source(), "oversize", "x".repeat(5000)).await().atMost(WAIT);

        assertThat(emitter.sent).hasSize(1);
        Message<? extends byte[]> sent = emitter.sent.getFirst();
        assertThat(sent.getPayload()).isEmpty();
        assertThat(key(sent)).as("a short key is kept").isEqualTo(KEY);
        Headers h = headers(sent);
        assertThat(h.lastHeader("origin")).as("original headers are left out").isNull();
        assertThat(text(h, DeadLetterPublisher.REASON_HEADER)).isEqualTo("oversize");
        assertThat(text(h, DeadLetterPublisher.CAUSE_HEADER)).hasSizeLessThanOrEqualTo(200);
        assertThat(text(h, DeadLetterPublisher.OFFSET_HEADER)).isEqualTo("42");
        assertThat(text(h, DeadLetterPublisher.DEAD_LETTER_OFFSET_HEADER)).isEqualTo("42");
        assertThat(text(h, DeadLetterPublisher.VALUE_OMITTED_HEADER))
                .startsWith("RecordTooLargeException");
        assertThat(count(MetricNames.DLQ, "oversize")).isEqualTo(1);
        assertThat(count(MetricNames.DLQ_DROPPED, "oversize")).isZero();
    }

    @Test
    void aTopicTheServiceMayNotWriteToDropsTheDeadLetterCountedAndCompletes() {
        emitter.script(
                new TopicAuthorizationException("not authorized"),
                new TopicAuthorizationException("not authorized"));

        publisher.send(source(), "purge-failed", "cdn: 400").await().atMost(WAIT);

        assertThat(emitter.attempts).isEqualTo(2);
        assertThat(emitter.sent).isEmpty();
        assertThat(count(MetricNames.DLQ_DROPPED, "purge-failed")).isEqualTo(1);
        assertThat(count(MetricNames.DLQ, "purge-failed")).isZero();
    }

    @Test
    void aSerializationFailureDegradesToo() {
        emitter.script(new SerializationException("cannot serialize key"), null);

        publisher.send(source(), "not-json", "bad").await().atMost(WAIT);

        assertThat(emitter.sent.getFirst().getPayload()).isEmpty();
    }

    @Test
    void aFailureThatMayPassFailsTheWriteSoTheCallerRetriesAndNothingIsDropped() {
        emitter.script(new TimeoutException("Expiring 1 record(s): broker unreachable"));

        assertThatThrownBy(() -> publisher.send(source(), "not-json", "bad").await().atMost(WAIT))
                .isInstanceOf(TimeoutException.class);
        assertThat(emitter.attempts).as("no degraded write for a retriable failure").isEqualTo(1);
        assertThat(count(MetricNames.DLQ_DROPPED, "not-json")).isZero();
    }

    @Test
    void aRetriableFailureOfTheFallbackFailsTheWriteRatherThanDropping() {
        emitter.script(new RecordTooLargeException("too large"), new NetworkException("down"));

        assertThatThrownBy(() -> publisher.send(source(), "oversize", "big").await().atMost(WAIT))
                .isInstanceOf(NetworkException.class);
        assertThat(count(MetricNames.DLQ_DROPPED, "oversize")).isZero();
    }

    @Test
    void classifiesRefusalsThroughWrappingExceptions() {
        assertThat(
                        DeadLetterPublisher.isPermanentRefusal(
                                new IllegalStateException(new RecordTooLargeException("x"))))
                .isTrue();
        assertThat(DeadLetterPublisher.isPermanentRefusal(new TimeoutException("x"))).isFalse();
        assertThat(DeadLetterPublisher.isPermanentRefusal(new IllegalStateException("closed")))
                .isFalse();
    }

    private double count(String metric, String reason) {
        var counter = registry.find(metric).tag("reason", reason).counter();
        return counter == null ? 0 : counter.count();
    }

    private static byte[] value() {
        return "{\"id\":\"e1\"}".getBytes(StandardCharsets.UTF_8);
    }

    /** A key that is not UTF-8 text (a schema registry's magic byte and id, then 0xC3 0x28). */
    private static final byte[] KEY = {0, 0, 0, 0, 7, (byte) 0xC3, 0x28, (byte) 0xFF};

    private static ConsumedRecord source() {
        RecordHeaders headers = new RecordHeaders();
        headers.add("origin", "upstream".getBytes(StandardCharsets.UTF_8));
        headers.add(DeadLetterPublisher.REASON_HEADER, "stale".getBytes(StandardCharsets.UTF_8));
        return ConsumedRecord.of(
                new ConsumerRecord<>(
                        "change-events",
                        3,
                        42,
                        0L,
                        TimestampType.CREATE_TIME,
                        0,
                        0,
                        KEY.clone(),
                        value(),
                        headers,
                        Optional.empty()));
    }

    private static Object key(Message<?> message) {
        return message.getMetadata(OutgoingKafkaRecordMetadata.class).orElseThrow().getKey();
    }

    private static Headers headers(Message<?> message) {
        return message.getMetadata(OutgoingKafkaRecordMetadata.class).orElseThrow().getHeaders();
    }

    private static String text(Headers headers, String key) {
        Header h = headers.lastHeader(key);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    /**
     * An emitter whose n-th send fails with the n-th scripted exception ({@code null}: succeeds);
     * lazy like the real one: each subscription is one attempt.
     */
    private static final class ScriptedEmitter implements MutinyEmitter<byte[]> {
        final Deque<Optional<Throwable>> outcomes = new ArrayDeque<>();
        final List<Message<? extends byte[]>> sent = new ArrayList<>();
        int attempts;

        void script(Throwable... results) {
            for (Throwable r : results) {
                outcomes.add(Optional.ofNullable(r));
            }
        }

        @Override
        public <M extends Message<? extends byte[]>> Uni<Void> sendMessage(M msg) {
            return Uni.createFrom()
                    .deferred(
                            () -> {
                                attempts++;
                                Optional<Throwable> outcome = outcomes.poll();
                                if (outcome == null) {
                                    throw new AssertionError("unscripted send");
                                }
                                if (outcome.isPresent()) {
                                    return Uni.createFrom().failure(outcome.get());
                                }
                                sent.add(msg);
                                return Uni.createFrom().voidItem();
                            });
        }

        @Override
        public Uni<Void> send(byte[] payload) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void sendAndAwait(byte[] payload) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Cancellable sendAndForget(byte[] payload) {
            throw new UnsupportedOperationException();
        }

        @Override
        public <M extends Message<? extends byte[]>> void send(M msg) {
            throw new UnsupportedOperationException();
        }

        @Override
        public <M extends Message<? extends byte[]>> void sendMessageAndAwait(M msg) {
            throw new UnsupportedOperationException();
        }

        @Override
        public <M extends Message<? extends byte[]>> Cancellable sendMessageAndForget(M msg) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void complete() {}

        @Override
        public void error(Exception e) {}

        @Override
        public boolean isCancelled() {
            return false;
        }

        @Override
        public boolean hasRequests() {
            return true;
        }
    }
}
