package dev.tagpurge.purge;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.jboss.logging.MDC;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The pipeline's warnings say which event, target and batch they concern in the MDC (the JSON log
 * prints it), and leave nothing behind on the thread that ran the step.
 */
class TargetPipelineLogContextTest extends PipelineHarness {

    /** A line as logged, with the MDC it was logged under. */
    record Line(String message, Map<String, Object> mdc) {}

    // held strongly: the log manager keeps loggers weakly, a collected one would lose the handler
    private static final Logger PIPELINE_LOG = Logger.getLogger(TargetPipeline.class.getName());

    private final List<Line> lines = new CopyOnWriteArrayList<>();
    private final Handler capture =
            new Handler() {
                @Override
                public void publish(LogRecord record) {
                    // read on the logging thread, at the statement: what any formatter would print
                    lines.add(new Line(record.getMessage(), Map.copyOf(MDC.getMap())));
                }

                @Override
                public void flush() {}

                @Override
                public void close() {}
            };

    @BeforeEach
    void capture() {
        capture.setLevel(Level.ALL);
        PIPELINE_LOG.addHandler(capture);
        MDC.clear();
    }

    @AfterEach
    void release() {
        PIPELINE_LOG.removeHandler(capture);
    }

    @Test
    void anEventExpiringBeforeItsRetryIsLoggedWithItsIdTargetAndBatch() {
        PurgeDispatcher d = dispatcher(100, Duration.ofSeconds(1));
        dispatch(d, "e-late", List.of("a"), List.of());
        linger();
        PipelineHarness.HeldPurger.Call call = purger.next();
        call.answer(
                new PurgeResult.Retryable(
                        "server-error", "503", Optional.of(Duration.ofSeconds(10)), false));

        Line line = only("passed its deadline");
        assertThat(line.mdc())
                .containsEntry("eventId", "e-late")
                .containsEntry("target", "t")
                .containsEntry("batchId", call.request().batchId());
        assertThat(MDC.getMap()).as("nothing left on the thread").isEmpty();
    }

    @Test
    void anEventExpiringWhileWaitingIsLoggedWithItsIdAndTarget() {
        limiter = new ManualLimiter(0, Duration.ofMinutes(10));
        PurgeDispatcher d = dispatcher(100, Duration.ofSeconds(30));
        dispatch(d, "e-waiting", List.of("a"), List.of());
        linger();
        clock.advance(Duration.ofSeconds(30));

        Line line = only("passed its deadline");
        assertThat(line.mdc()).containsEntry("eventId", "e-waiting").containsEntry("target", "t");
        assertThat(line.mdc()).as("it was never in a batch").doesNotContainKey("batchId");
        assertThat(MDC.getMap()).isEmpty();
    }

    @Test
    void aPermanentFailureIsLoggedWithTheBatchAndEveryEventItServes() {
        PurgeDispatcher d = dispatcher(100, Duration.ofMinutes(1));
        dispatch(d, "e1", List.of("a"), List.of());
        dispatch(d, "e2", List.of("a", "b"), List.of());
        linger();
        PipelineHarness.HeldPurger.Call call = purger.next();
        call.answer(PurgeResult.permanent("auth", "401"));

        Line line = only("failed permanently");
        assertThat(line.mdc())
                .containsEntry("target", "t")
                .containsEntry("batchId", call.request().batchId())
                .containsEntry("eventIds", "e1,e2");
        assertThat(MDC.getMap()).isEmpty();
    }

    @Test
    void whatTheCallerHadInTheMdcIsThereAgainAfterThePipelineLogged() {
        MDC.put("target", "outer");
        PurgeDispatcher d = dispatcher(100, Duration.ofMinutes(1));
        dispatch(d, "e1", List.of("a"), List.of());
        linger();
        purger.next().answer(PurgeResult.permanent("auth", "401"));

        assertThat(only("failed permanently").mdc()).containsEntry("target", "t");
        assertThat(MDC.getMap()).containsExactly(Map.entry("target", "outer"));
        MDC.clear();
    }

    private Line only(String fragment) {
        List<Line> matching = lines.stream().filter(l -> l.message().contains(fragment)).toList();
        assertThat(matching).as("lines containing '%s' in %s", fragment, lines).hasSize(1);
        return matching.get(0);
    }
}
