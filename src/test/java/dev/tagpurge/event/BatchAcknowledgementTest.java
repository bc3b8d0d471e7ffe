package dev.tagpurge.event;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.junit.jupiter.api.Test;

class BatchAcknowledgementTest {

    private final AtomicInteger unacknowledged = new AtomicInteger(2);
    private final BatchAcknowledgement batch =
            new BatchAcknowledgement(Message.of("batch"), 2, unacknowledged);

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
}
