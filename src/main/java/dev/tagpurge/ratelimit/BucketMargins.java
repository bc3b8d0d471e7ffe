package dev.tagpurge.ratelimit;

import dev.tagpurge.domain.RequestLimits;
import java.util.ArrayList;
import java.util.List;

/** The share of each bucket held back for requests already in flight when a limiter starts. */
public final class BucketMargins {

    private BucketMargins() {}

    /**
     * {@code rules} with {@code tagpurge.ratelimit.margin} held back ({@link
     * BucketRule#withMargin}): in flight at once are at most {@code maxInFlight} requests, each
     * costing one token of a per-request bucket or up to the most items a request of the bucket's
     * kinds carries.
     */
    public static List<BucketRule> withMargin(
            List<BucketRule> rules, double margin, int maxInFlight, RequestLimits limits) {
        List<BucketRule> out = new ArrayList<>(rules.size());
        for (BucketRule r : rules) {
            long perRequest = 1;
            if (r.perItem()) {
                perRequest = r.kinds().stream().mapToLong(limits::maxItems).max().orElse(1);
            }
            out.add(
                    r.withMargin(
                            margin, (long) Math.max(0, maxInFlight) * perRequest * r.weight()));
        }
        return out;
    }
}
