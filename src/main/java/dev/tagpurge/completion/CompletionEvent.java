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
     * @param startedAfterMs milliseconds from receipt until its selectors entered this target's
     *     window (an outer layer waits for the inner ones)
     * @param completedAfterMs milliseconds from receipt until this target's outcome was final
     * @param estimatedSeconds the provider's estimate of the seconds until the purge reaches its
     *     whole network (Akamai), absent from the JSON when it gave none
     * @param verification the verification probe's results, only when they came within {@code
     *     tagpurge.verification.completion-wait}; absent (null) otherwise
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
            long startedAfterMs,
            long completedAfterMs,
            @JsonInclude(JsonInclude.Include.NON_NULL) Long estimatedSeconds,
            @JsonInclude(JsonInclude.Include.NON_NULL) List<Verification> verification) {

        /** An outcome without a provider's estimate or verification results. */
        public TargetOutcome(
                String target,
                String provider,
                String status,
                int selectors,
                int requests,
                int attempts,
                List<String> purgeIds,
                String error,
                long startedAfterMs,
                long completedAfterMs) {
            this(
                    target,
                    provider,
                    status,
                    selectors,
                    requests,
                    attempts,
                    purgeIds,
                    error,
                    startedAfterMs,
                    completedAfterMs,
                    null,
                    null);
        }
    }

    /**
     * One verification probe: a URL fetched through the CDN after the purge.
     *
     * @param result {@code verified}, {@code stale-served} or {@code unverifiable}
     * @param reason the cache status seen, or why it could not tell
     */
    public record Verification(String url, String result, String reason) {}
}
