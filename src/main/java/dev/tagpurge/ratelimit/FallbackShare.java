package dev.tagpurge.ratelimit;

import java.util.OptionalDouble;
import java.util.OptionalInt;

/**
 * The share of each limit one replica may use while the shared buckets in Redis are unreachable.
 * Every replica falls back at once when Redis goes away, so the shares must add up to at most one
 * limit: {@code 1/members} of the input consumer group while its membership is known, else {@code
 * 1/max-replicas}, the most replicas the deployment may scale to. An explicit {@code
 * tagpurge.ratelimit.fallback-share} wins over both.
 */
public final class FallbackShare {

    private FallbackShare() {}

    /**
     * @param explicit {@code tagpurge.ratelimit.fallback-share} when set
     * @param members live members of the input consumer group, empty when unknown (broker
     *     unreachable, read too old); a count below 1 counts as unknown
     * @param maxReplicas {@code tagpurge.ratelimit.max-replicas}
     * @return the share, in (0, 1]
     */
    public static double of(OptionalDouble explicit, OptionalInt members, int maxReplicas) {
        if (maxReplicas < 1) {
            throw new IllegalArgumentException(
                    "tagpurge.ratelimit.max-replicas must be at least 1, was " + maxReplicas);
        }
        if (explicit.isPresent()) {
            double share = explicit.getAsDouble();
            if (!(share > 0 && share <= 1)) {
                throw new IllegalArgumentException(
                        "tagpurge.ratelimit.fallback-share must be in (0, 1], was " + share);
            }
            return share;
        }
        if (members.isPresent() && members.getAsInt() >= 1) {
            return 1.0 / members.getAsInt();
        }
        return 1.0 / maxReplicas;
    }
}
