package dev.tagpurge.completion;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;

/**
 * The {@code data} of a {@code tagpurge.purge.completed} CloudEvent: one per change event, written
 * once every target it routes to has a terminal outcome, and one per operator purge.
 *
 * @param source {@code operator} for an operator's purge (then {@code eventId} is the purge's id),
 *     absent (null) for a change event
 * @param ticket the operator's ticket, only with {@code source} operator
 * @param actor who asked for the operator purge (token subject or API key name), only with {@code
 *     source} operator
 */
public record CompletionEvent(
        String eventId,
        String eventType,
        String status,
        Instant receivedAt,
        Instant completedAt,
        long latencyMs,
        List<TargetOutcome> targets,
        @JsonInclude(JsonInclude.Include.NON_NULL) String source,
        @JsonInclude(JsonInclude.Include.NON_NULL) String ticket,
        @JsonInclude(JsonInclude.Include.NON_NULL) String actor) {

    /** {@code source} of an operator's purge. */
    public static final String OPERATOR = "operator";

    /** The completion of a change event. */
    public CompletionEvent(
            String eventId,
            String eventType,
            String status,
            Instant receivedAt,
            Instant completedAt,
            long latencyMs,
            List<TargetOutcome> targets) {
        this(
                eventId,
                eventType,
                status,
                receivedAt,
                completedAt,
                latencyMs,
                targets,
                null,
                null,
                null);
    }

    /**
     * One target's outcome for the event.
     *
     * @param selectors selectors routed to this target
     * @param requests provider requests that carried them (retries included)
     * @param attempts most sends of any one of them
     * @param error first error or rejection, or null
     * @param estimatedSeconds the provider's estimate of the seconds until the purge reaches its
     *     whole network (Akamai), absent from the JSON when it gave none
     */
    public record TargetOutcome(
            String target,
            String provider,
            String status,
            int selectors,
            int requests,
            int attempts,
            List<String> purgeIds,
            String error,
            @JsonInclude(JsonInclude.Include.NON_NULL) Long estimatedSeconds) {

        /** An outcome without a provider's estimate. */
        public TargetOutcome(
                String target,
                String provider,
                String status,
                int selectors,
                int requests,
                int attempts,
                List<String> purgeIds,
                String error) {
            this(target, provider, status, selectors, requests, attempts, purgeIds, error, null);
        }
    }
}
