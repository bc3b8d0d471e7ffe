package dev.tagpurge.completion;

import java.time.Instant;
import java.util.List;

/**
 * The {@code data} of a {@code tagpurge.purge.completed} CloudEvent: one per change event, written
 * once every target it routes to has a terminal outcome.
 */
public record CompletionEvent(
        String eventId,
        String eventType,
        String status,
        Instant receivedAt,
        Instant completedAt,
        long latencyMs,
        List<TargetOutcome> targets) {

    /**
     * One target's outcome for the event.
     *
     * @param selectors selectors routed to this target
     * @param requests provider requests that carried them (retries included)
     * @param attempts most sends of any one of them
     * @param error first error or rejection, or null
     */
    public record TargetOutcome(
            String target,
            String provider,
            String status,
            int selectors,
            int requests,
            int attempts,
            List<String> purgeIds,
            String error) {}
}
