package dev.tagpurge.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tagpurge.config.TagpurgeConfig;
import dev.tagpurge.domain.ChangeEvent;
import dev.tagpurge.domain.InvalidEventException;
import dev.tagpurge.domain.MappedSelectors;
import dev.tagpurge.event.ConsumedRecord;
import dev.tagpurge.event.DeadLetterPublisher;
import dev.tagpurge.event.EventIntake;
import dev.tagpurge.mapping.MappingTrace;
import dev.tagpurge.purge.PurgeDispatcher;
import dev.tagpurge.testing.KafkaBrokerResource;
import dev.tagpurge.testing.RedisServerResource;
import dev.tagpurge.testing.SandboxResource;
import dev.tagpurge.testing.TestRunResource;
import io.quarkus.arc.ClientProxy;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusMock;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.NetworkException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What happens when writing or computing an outcome goes wrong: a dead letter written again does
 * not publish the completion again, and a record whose handling throws is dead-lettered as {@code
 * internal-error} while the records after it go on.
 */
@QuarkusTest
@WithTestResource(KafkaBrokerResource.class)
@WithTestResource(RedisServerResource.class)
@WithTestResource(SandboxResource.class)
@WithTestResource(TestRunResource.class)
class OutcomeFailuresIntegrationTest extends IntegrationTestSupport {

    @Inject TagpurgeConfig config;
    @Inject ObjectMapper json;
    @Inject PurgeDispatcher dispatcher;
    @Inject DeadLetterPublisher deadLetters;

    @AfterEach
    void clearFaults() {
        SandboxResource.sandbox().faults().clear();
    }

    @Test
    void aDeadLetterThatFailsOnceThenSucceedsYieldsExactlyOneCompletion() {
        String id = "dlq-retry-" + UUID.randomUUID();
        DeadLetterPublisher real = ClientProxy.unwrap(deadLetters);
        AtomicInteger attempts = new AtomicInteger();
        QuarkusMock.installMockForType(
                new DeadLetterPublisher(null, null) {
                    @Override
                    public Uni<Void> send(ConsumedRecord source, String reason, String cause) {
                        Uni<Void> write = real.send(source, reason, cause);
                        if (!new String(source.value(), StandardCharsets.UTF_8).contains(id)) {
                            return write;
                        }
                        return Uni.createFrom()
                                .deferred(
                                        () ->
                                                attempts.incrementAndGet() == 1
                                                        ? Uni.createFrom()
                                                                .failure(
                                                                        new NetworkException(
                                                                                "injected: broker"
                                                                                        + " unreachable"))
                                                        : write);
                    }
                },
                DeadLetterPublisher.class);
        // Fastly refuses the purge for good (400), so the event has a completion and a dead letter
        SandboxResource.sandbox().faults().failAlways("fastly", 400);

        send(TestRunResource.inputTopic(), id, event(id, "t-" + id));

        await().atMost(Duration.ofSeconds(60))
                .untilAsserted(() -> assertThat(deadLettersOf(id)).hasSize(1));
        assertThat(attempts).as("the dead letter failed once, then was written").hasValue(2);
        assertThat(header(deadLettersOf(id).getFirst(), DeadLetterPublisher.REASON_HEADER))
                .isEqualTo("purge-failed");
        // the completion is written before the dead letter: a second one would be there by now
        assertThat(completionRecordsOf(id)).as("completion records of " + id).hasSize(1);
    }

    @Test
    void aRecordWhoseHandlingThrowsIsDeadLetteredAsInternalErrorAndTheNextOneCompletes() {
        String run = UUID.randomUUID().toString().substring(0, 8);
        // everything consumed before this marker has been mapped once it completes
        String marker = "marker-" + run;
        send(TestRunResource.inputTopic(), "k-" + run, event(marker, "m-" + run));
        await().atMost(Duration.ofSeconds(60))
                .until(() -> completions(Set.of(marker)).containsKey(marker));

        AtomicBoolean armed = new AtomicBoolean(true);
        QuarkusMock.installMockForType(
                new EventIntake(config, json, dispatcher) {
                    @Override
                    public MappedSelectors mapAndValidate(ChangeEvent event, MappingTrace trace)
                            throws InvalidEventException {
                        if (armed.getAndSet(false)) {
                            throw new IllegalStateException("injected mapper bug");
                        }
                        return super.mapAndValidate(event, trace);
                    }
                },
                EventIntake.class);

        String poisoned = "poisoned-" + run;
        String next = "next-" + run;
        RecordMetadata bad =
                send(TestRunResource.inputTopic(), "k-" + run, event(poisoned, "p-" + run));
        RecordMetadata good =
                send(TestRunResource.inputTopic(), "k-" + run, event(next, "n-" + run));

        await().atMost(Duration.ofSeconds(60))
                .untilAsserted(() -> assertThat(deadLettersOf(poisoned)).hasSize(1));
        ConsumerRecord<String, byte[]> dead = deadLettersOf(poisoned).getFirst();
        assertThat(header(dead, DeadLetterPublisher.REASON_HEADER)).isEqualTo("internal-error");
        assertThat(header(dead, DeadLetterPublisher.CAUSE_HEADER))
                .isEqualTo("java.lang.IllegalStateException: injected mapper bug");
        assertThat(header(dead, DeadLetterPublisher.OFFSET_HEADER))
                .isEqualTo(Long.toString(bad.offset()));
        await().atMost(Duration.ofSeconds(60))
                .untilAsserted(
                        () ->
                                assertThat(completions(Set.of(next)))
                                        .hasEntrySatisfying(
                                                next,
                                                c ->
                                                        assertThat(c.get("status").asText())
                                                                .isEqualTo("succeeded")));
        assertThat(completions(Set.of(poisoned))).isEmpty();
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(
                        () ->
                                assertThat(
                                                committedOffset(
                                                        TestRunResource.consumerGroup(),
                                                        TestRunResource.inputTopic()))
                                        .as("the partition moved past both records")
                                        .isGreaterThan(good.offset()));
    }

    private static List<ConsumerRecord<String, byte[]>> deadLettersOf(String eventId) {
        return readAll(
                TestRunResource.dlqTopic(), r -> r.value() != null && value(r).contains(eventId));
    }

    private static List<ConsumerRecord<String, byte[]>> completionRecordsOf(String eventId) {
        return readAll(
                TestRunResource.completionTopic(),
                r -> json(value(r)).at("/data/eventId").asText().equals(eventId));
    }

    private static String event(String id, String tag) {
        return "{\"id\":\"" + id + "\",\"type\":\"x\",\"tags\":[\"" + tag + "\"]}";
    }
}
