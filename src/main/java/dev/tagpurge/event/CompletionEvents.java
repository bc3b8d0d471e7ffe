package dev.tagpurge.event;

import dev.tagpurge.completion.CompletionEvent;
import dev.tagpurge.purge.EventProgress;
import dev.tagpurge.purge.TargetProgress;
import dev.tagpurge.verify.ProbeResult;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Turns the purge's progress of a finished change event into its completion event. It lives with
 * the orchestration, which knows both sides, so that {@code completion} needs nothing of {@code
 * purge}.
 */
final class CompletionEvents {

    private CompletionEvents() {}

    /** The completion of {@code progress} as of {@code now}, every target having an outcome. */
    static CompletionEvent of(EventProgress progress, Instant now) {
        return of(progress, now, Map.of());
    }

    /**
     * The completion of {@code progress} as of {@code now}, with the verification results of the
     * targets in {@code verified}.
     */
    static CompletionEvent of(
            EventProgress progress, Instant now, Map<String, List<ProbeResult>> verified) {
        // a loop, not a stream: this runs once per event
        List<TargetProgress> progressed = progress.targets();
        CompletionEvent.TargetOutcome[] outcomes =
                new CompletionEvent.TargetOutcome[progressed.size()];
        for (int i = 0; i < outcomes.length; i++) {
            TargetProgress t = progressed.get(i);
            outcomes[i] = toOutcome(t, verified.get(t.target()));
        }
        List<CompletionEvent.TargetOutcome> targets = List.of(outcomes);
        return new CompletionEvent(
                progress.id(),
                progress.type(),
                progress.status().label(),
                progress.receivedAt(),
                now,
                Math.max(0, Duration.between(progress.startedAt(), now).toMillis()),
                targets);
    }

    private static CompletionEvent.TargetOutcome toOutcome(
            TargetProgress t, List<ProbeResult> verification) {
        return new CompletionEvent.TargetOutcome(
                t.target(),
                t.provider(),
                t.status().label(),
                t.selectors(),
                t.requests(),
                t.attempts(),
                List.copyOf(t.purgeIds()),
                t.error(),
                t.startedAfterMs(),
                t.completedAfterMs(),
                t.estimatedSeconds().isPresent() ? t.estimatedSeconds().getAsLong() : null,
                verification == null
                        ? null
                        : verification.stream()
                                .map(
                                        r ->
                                                new CompletionEvent.Verification(
                                                        r.url(), r.verdict().label(), r.reason()))
                                .toList());
    }
}
