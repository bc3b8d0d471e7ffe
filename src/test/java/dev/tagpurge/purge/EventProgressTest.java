package dev.tagpurge.purge;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tagpurge.domain.EventStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class EventProgressTest {

    private static final Instant AT = Instant.parse("2026-12-04T12:00:00Z");

    private final List<EventProgress> done = new ArrayList<>();

    private EventProgress progress() {
        return new EventProgress(
                PipelineHarness.event("e-1", List.of(), List.of(), Optional.empty()),
                AT,
                0,
                Long.MAX_VALUE,
                done::add);
    }

    @Test
    void anEventRoutedNowhereIsUnmatchedAndDoneAtOnce() {
        EventProgress progress = progress();
        progress.onNothingRouted();

        assertThat(progress.targets()).isEmpty();
        assertThat(progress.status()).isEqualTo(EventStatus.UNMATCHED);
        assertThat(progress.anyFailed()).isFalse();
        assertThat(done).containsExactly(progress);
    }

    @Test
    void oneTargetDecidesTheEventAlone() {
        EventProgress succeeded = progress();
        TargetProgress only = succeeded.addTarget("fastly", "fastly");
        finish(only, true);
        EventProgress failed = progress();
        finish(failed.addTarget("fastly", "fastly"), false);

        assertThat(succeeded.targets()).containsExactly(only);
        assertThat(succeeded.status()).isEqualTo(EventStatus.SUCCEEDED);
        assertThat(succeeded.anyFailed()).isFalse();
        assertThat(failed.status()).isEqualTo(EventStatus.FAILED);
        assertThat(failed.anyFailed()).isTrue();
        assertThat(done).containsExactly(succeeded, failed);
    }

    @Test
    void everyTargetCountsInTheOrderItWasAdded() {
        EventProgress progress = progress();
        TargetProgress redis = progress.addTarget("redis", "redis");
        TargetProgress fastly = progress.addTarget("fastly", "fastly");
        TargetProgress cloudflare = progress.addTarget("cloudflare", "cloudflare");

        finish(redis, true);
        finish(fastly, false);
        assertThat(done).as("one target still open").isEmpty();
        finish(cloudflare, true);

        assertThat(progress.targets()).containsExactly(redis, fastly, cloudflare);
        assertThat(progress.status()).isEqualTo(EventStatus.PARTIAL);
        assertThat(progress.anyFailed()).isTrue();
        assertThat(done).containsExactly(progress);
    }

    @Test
    void allOfSeveralTargetsSucceedingIsSuccess() {
        EventProgress progress = progress();
        finish(progress.addTarget("redis", "redis"), true);
        finish(progress.addTarget("fastly", "fastly"), true);

        assertThat(progress.status()).isEqualTo(EventStatus.SUCCEEDED);
        assertThat(progress.anyFailed()).isFalse();
    }

    /** What the target's pipeline does once every request for {@code target} is answered. */
    private static void finish(TargetProgress target, boolean succeeded) {
        target.expect(1);
        if (succeeded) {
            target.succeeded(List.of("purge-1"));
        } else {
            target.failed("cdn: 400");
        }
        target.complete(0);
        target.event().targetDone(target);
    }
}
