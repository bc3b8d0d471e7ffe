package dev.tagpurge.purge;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What a provider answered to one {@link PurgeRequest}. Adapters never fail their {@code Uni}; they
 * map every answer, including transport errors, to one of these.
 */
public sealed interface PurgeResult {

    /**
     * The provider accepted the purge (or, for CloudFront, completed it).
     *
     * @param purgeIds the provider's ids for the whole request
     * @param idsByItem the id of each item, when the provider answers per item (Fastly's bulk purge
     *     maps every surrogate key to its purge id); empty otherwise
     * @param remaining the provider's own count of calls left in its current window, when it sent
     *     one ({@code Fastly-RateLimit-Remaining}, {@code X-RateLimit-Remaining}); the target's
     *     buckets never believe in more
     * @param estimatedSeconds the provider's estimate of how long the purge takes to reach its
     *     whole network (Akamai's {@code estimatedSeconds}), when it gives one
     */
    record Accepted(
            List<String> purgeIds,
            Map<String, String> idsByItem,
            OptionalLong remaining,
            OptionalLong estimatedSeconds)
            implements PurgeResult {
        public Accepted {
            purgeIds = List.copyOf(purgeIds);
            idsByItem = Map.copyOf(idsByItem);
        }

        public Accepted(
                List<String> purgeIds, Map<String, String> idsByItem, OptionalLong remaining) {
            this(purgeIds, idsByItem, remaining, OptionalLong.empty());
        }

        public Accepted(List<String> purgeIds, OptionalLong remaining) {
            this(purgeIds, Map.of(), remaining);
        }

        public Accepted(List<String> purgeIds) {
            this(purgeIds, Map.of(), OptionalLong.empty(), OptionalLong.empty());
        }

        /** The ids that concern one item of the request: its own when known, else the request's. */
        public List<String> purgeIdsFor(String item) {
            String own = idsByItem.get(item);
            return own != null ? List.of(own) : purgeIds;
        }
    }

    /**
     * A failure worth retrying: 429, 5xx, timeouts, connection errors, CloudFront's
     * TooManyInvalidationsInProgress.
     *
     * @param reason short low-cardinality reason, used as a metric tag ({@code throttled}, {@code
     *     server-error}, {@code timeout}, {@code connection})
     * @param detail human-readable detail (never a credential)
     * @param retryAfter the provider's own hint of when to retry, if it gave one
     * @param throttled whether the provider said we exceeded its rate limit
     * @param remaining the provider's count of calls left, when it sent one
     */
    record Retryable(
            String reason,
            String detail,
            Optional<Duration> retryAfter,
            boolean throttled,
            OptionalLong remaining)
            implements PurgeResult {

        public Retryable(
                String reason, String detail, Optional<Duration> retryAfter, boolean throttled) {
            this(reason, detail, retryAfter, throttled, OptionalLong.empty());
        }
    }

    /** A failure that a retry cannot fix: bad request, authentication, authorization. */
    record Permanent(String reason, String detail) implements PurgeResult {}

    static PurgeResult accepted(List<String> purgeIds) {
        return new Accepted(purgeIds);
    }

    static PurgeResult retryable(String reason, String detail) {
        return new Retryable(reason, detail, Optional.empty(), false);
    }

    static PurgeResult throttled(String detail, Optional<Duration> retryAfter) {
        return new Retryable("throttled", detail, retryAfter, true);
    }

    static PurgeResult permanent(String reason, String detail) {
        return new Permanent(reason, detail);
    }
}
