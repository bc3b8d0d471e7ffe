package dev.tagpurge.event;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.junit.jupiter.api.Test;

class BatchAcknowledgementTest {

    /** A partition's last record of the batch, recording what was done to it. */
    private static final class LastRecord {
        final AtomicInteger acks = new AtomicInteger();
        final List<Throwable> nacks = new ArrayList<>();
        final Message<String> message =
                Message.of("last")
                        .withAck(
                                () -> {
                                    acks.incrementAndGet();
                                    return CompletableFuture.completedFuture(null);
                                })
                        .withNack(
                                reason -> {
                                    nacks.add(reason);
                                    return CompletableFuture.completedFuture(null);
                                });
    }

    private final LastRecord partition0 = new LastRecord();
    private final LastRecord partition1 = new LastRecord();
    private final AtomicLong bytesHeld = new AtomicLong(600);
    private final AtomicInteger unacknowledged = new AtomicInteger(3);
    private final BatchAcknowledgement batch =
            new BatchAcknowledgement(
                    List.of(partition0.message, partition1.message),
                    3,
                    unacknowledged,
                    bytes -> bytesHeld.addAndGet(-bytes));

    @Test
    void theSettledActionRunsOnceWhenTheRecordIsDone() {
        AtomicInteger released = new AtomicInteger();
        BatchAcknowledgement.Record record = batch.record(100).onSettled(released::incrementAndGet);
        assertThat(released).hasValue(0);

        record.done();
        record.done();
        record.failed(new IllegalStateException("late"));

        assertThat(released).hasValue(1);
        assertThat(unacknowledged).hasValue(2);
        assertThat(bytesHeld).as("given back once").hasValue(500);
    }

    @Test
    void theSettledActionRunsAtOnceWhenTheRecordWasAlreadySettled() {
        AtomicInteger released = new AtomicInteger();
        BatchAcknowledgement.Record record = batch.record(100);
        record.failed(new IllegalStateException("internal error"));

        record.onSettled(released::incrementAndGet);
        record.done();

        assertThat(released).hasValue(1);
    }

    @Test
    void eachRecordGivesBackItsBytesWhenSettledAndTheLastOfEachPartitionIsAcknowledgedAfterAll() {
        BatchAcknowledgement.Record a = batch.record(100);
        BatchAcknowledgement.Record b = batch.record(200);
        BatchAcknowledgement.Record c = batch.record(300);

        b.done();
        assertThat(bytesHeld).as("the settled record's bytes, not the batch's").hasValue(400);
        a.done();
        assertThat(bytesHeld).hasValue(300);
        assertThat(partition0.acks).as("one record is still in flight").hasValue(0);
        assertThat(partition1.acks).hasValue(0);

        c.done();
        c.done();
        assertThat(bytesHeld).hasValue(0);
        assertThat(partition0.acks).hasValue(1);
        assertThat(partition1.acks).hasValue(1);
        assertThat(unacknowledged).hasValue(0);
    }

    @Test
    void aRecordWhoseOutcomeCouldNotBeWrittenNacksTheBatchOnceAndNeverAcknowledgesIt() {
        BatchAcknowledgement.Record a = batch.record(100);
        BatchAcknowledgement.Record b = batch.record(200);
        BatchAcknowledgement.Record c = batch.record(300);
        IllegalStateException failure = new IllegalStateException("outcome not written");

        a.failed(failure);
        b.failed(new IllegalStateException("second"));
        c.done();

        assertThat(partition0.nacks).containsExactly(failure);
        assertThat(partition1.nacks).containsExactly(failure);
        assertThat(partition0.acks).hasValue(0);
        assertThat(partition1.acks).hasValue(0);
        assertThat(bytesHeld).hasValue(0);
        assertThat(unacknowledged).hasValue(0);
    }
}
