package dev.tagpurge.event;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.junit.jupiter.api.Test;

class BatchAcknowledgementTest {

    private final AtomicInteger unacknowledged = new AtomicInteger(2);
    private final BatchAcknowledgement batch =
            new BatchAcknowledgement(Message.of("batch"), 2, unacknowledged, () -> {});

    @Test
    void theSettledActionRunsOnceWhenTheRecordIsDone() {
        AtomicInteger released = new AtomicInteger();
        BatchAcknowledgement.Record record = batch.record().onSettled(released::incrementAndGet);
        assertThat(released).hasValue(0);

        record.done();
        record.done();
        record.failed(new IllegalStateException("late"));

        assertThat(released).hasValue(1);
        assertThat(unacknowledged).hasValue(1);
    }

    @Test
    void theSettledActionRunsAtOnceWhenTheRecordWasAlreadySettled() {
        AtomicInteger released = new AtomicInteger();
        BatchAcknowledgement.Record record = batch.record();
        record.failed(new IllegalStateException("internal error"));

        record.onSettled(released::incrementAndGet);
        record.done();

        assertThat(released).hasValue(1);
    }

    @Test
    void theBatchActionRunsOnceWhenEveryRecordIsSettledWhateverTheOutcome() {
        AtomicInteger allSettled = new AtomicInteger();
        BatchAcknowledgement three =
                new BatchAcknowledgement(
                        Message.of("batch"), 3, new AtomicInteger(3), allSettled::incrementAndGet);
        BatchAcknowledgement.Record a = three.record();
        BatchAcknowledgement.Record b = three.record();
        BatchAcknowledgement.Record c = three.record();

        a.done();
        b.failed(new IllegalStateException("outcome not written"));
        assertThat(allSettled).as("one record is still in flight").hasValue(0);

        c.done();
        c.done();
        assertThat(allSettled).hasValue(1);
    }
}
