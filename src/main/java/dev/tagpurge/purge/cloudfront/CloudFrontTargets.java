package dev.tagpurge.purge.cloudfront;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithDefaults;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * CloudFront's own keys of a target, {@code tagpurge.targets.<name>.*}, next to the common ones of
 * {@link dev.tagpurge.config.TargetConfig}. Only targets with {@code provider=cloudfront} read
 * them; {@link CloudFrontSettings} checks them. Durations take Quarkus' forms ({@code 500ms},
 * {@code 5s}, {@code 15m}, {@code PT5S}); one that is not a duration fails when the configuration
 * is loaded, naming the key.
 */
@ConfigMapping(prefix = "tagpurge")
public interface CloudFrontTargets {

    /** CloudFront keys by target name. */
    @WithDefaults
    Map<String, Keys> targets();

    /** One target's CloudFront keys. */
    interface Keys {
        /** The distribution whose cache is invalidated; required. */
        Optional<String> distributionId();

        /** AWS region of the client; CloudFront is global and signs in us-east-1. */
        @WithDefault("us-east-1")
        String region();

        /** How often GetInvalidation is polled until Completed. Default 5s. */
        @WithDefault("5s")
        Duration pollInterval();

        /** How long an invalidation may stay InProgress before the purge is retried. */
        @WithDefault("15m")
        Duration completionTimeout();

        /** Paths and tags in progress per distribution this target allows. Default 3000. */
        @WithDefault("3000")
        int maxPathsInProgress();

        /** Wildcard paths in progress per distribution this target allows. Default 15. */
        @WithDefault("15")
        int maxWildcardsInProgress();

        /**
         * Collapse the paths of one invalidation lying in one directory into that directory's
         * wildcard when there are more than this many ({@link WildcardCollapse}); off when unset.
         */
        Optional<Integer> wildcardCollapseThreshold();

        /** The month's cost estimate this distribution should stay under, exported as a gauge. */
        Optional<Double> monthlyBudgetUsd();
    }
}
