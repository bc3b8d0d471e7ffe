package dev.tagpurge.purge;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Purges already finished, for tests outside this package that consume outcomes (the verification
 * probe): a dispatcher with one target {@code t} and an event that target purged successfully.
 */
public final class FinishedPurges {

    /** The one target of {@link #dispatcher()}. */
    public static final String TARGET = "t";

    private FinishedPurges() {}

    /** A dispatcher whose only target is {@value #TARGET}, receiving every selector. */
    public static PurgeDispatcher dispatcher() {
        return new PipelineHarness().dispatcher(10, Duration.ofSeconds(30));
    }

    /** An event whose target {@value #TARGET} ({@code provider}) succeeded at {@code at}. */
    public static EventProgress succeeded(String id, String provider, Instant at) {
        EventProgress progress =
                new EventProgress(
                        PipelineHarness.event(id, List.of(), List.of(), Optional.empty()),
                        at,
                        0,
                        Long.MAX_VALUE,
                        p -> {});
        TargetProgress target = progress.addTarget(TARGET, provider);
        target.expect(1);
        target.succeeded(List.of("purge-" + id));
        target.complete(0);
        return progress;
    }
}
