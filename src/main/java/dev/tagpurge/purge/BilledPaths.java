package dev.tagpurge.purge;

import java.time.YearMonth;

/**
 * The invalidation paths a provider that bills per path (CloudFront) has been sent for one target's
 * distribution in one calendar month (UTC), with the price, so that a preview can tell what a purge
 * would add to the bill.
 *
 * @param month the calendar month (UTC) counted
 * @param paths paths submitted this month, as the provider bills them (a wildcard is one)
 * @param countedBy where the count comes from, in words an operator understands (shared by every
 *     replica, or this replica's alone while the shared store is unreachable)
 * @param freePathsPerMonth paths free each month before any is billed
 * @param usdPerPath the price of each path past the free ones
 */
public record BilledPaths(
        YearMonth month, long paths, String countedBy, int freePathsPerMonth, double usdPerPath) {

    public BilledPaths {
        if (paths < 0 || freePathsPerMonth < 0 || usdPerPath < 0) {
            throw new IllegalArgumentException("paths, free paths and price must be >= 0");
        }
    }

    /** The month's cost so far: every path past the free ones, at the price. */
    public double costUsd() {
        return Math.max(0, paths - freePathsPerMonth) * usdPerPath;
    }

    /**
     * What {@code more} paths sent now would add to the month's cost: those of them past what is
     * left of the free paths.
     */
    public double costOfMoreUsd(int more) {
        long freeLeft = Math.max(0, freePathsPerMonth - paths);
        return Math.max(0, more - freeLeft) * usdPerPath;
    }
}
