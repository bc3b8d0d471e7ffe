package dev.tagpurge.verify;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithDefaults;
import io.smallrye.config.WithName;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The verification probe's keys: {@code tagpurge.verification.*} for the whole service and {@code
 * tagpurge.targets.<name>.probe.*} per target. Probes are off unless a target enables them.
 */
@ConfigMapping(prefix = "tagpurge")
public interface VerificationConfig {

    /** Service-wide settings. */
    Verification verification();

    /** Probe keys by target name (every target appears; only enabled probes are read). */
    @WithDefaults
    Map<String, Target> targets();

    /** Service-wide settings of the probe. */
    interface Verification {
        /**
         * Purges waiting to be probed, all targets together; a purge beyond it is not probed and is
         * counted as dropped. Default 1000.
         */
        @WithName("queue-capacity")
        @WithDefault("1000")
        int queueCapacity();

        /**
         * How long the completion event may wait for the probe's results to include them. Default
         * 0: the completion is never delayed and the results go to the metric and the log only.
         */
        @WithName("completion-wait")
        @WithDefault("0s")
        Duration completionWait();
    }

    /** One target's keys. */
    interface Target {
        /** The target's probe. */
        Probe probe();
    }

    /** One target's probe. */
    interface Probe {
        /** Whether purges on this target are probed. Default false. */
        @WithDefault("false")
        boolean enabled();

        /**
         * The only hosts a probe may fetch from; a URL on any other host is not fetched and counts
         * as unverifiable. Required (empty: nothing is fetched).
         */
        @WithName("allowed-hosts")
        Optional<List<String>> allowedHosts();

        /** Probe URLs per purge at most (a sample). Default 3. */
        @WithName("max-urls")
        @WithDefault("3")
        int maxUrls();

        /** Probe requests per second at most (also the burst). Default 5. */
        @WithDefault("5")
        int rate();

        /** How long after the purge was accepted the probe fetches. Default 1s. */
        @WithDefault("1s")
        Duration delay();

        /** How long one probe request may take. Default 2s. */
        @WithDefault("2s")
        Duration timeout();

        /**
         * Probe URLs per tag template: {@code
         * tag-urls."product-{id}"=https://www.example.com/p/{id}} probes that URL for tag {@code
         * product-42}. Tags no template matches are not probed.
         */
        @WithName("tag-urls")
        Map<String, String> tagUrls();

        /**
         * A test and development aid: fetches an allowed host's URLs from another base address
         * ({@code connect-to."www.example.com"=http://127.0.0.1:8089/edge/fastly}), path and query
         * appended. Never needed in production.
         */
        @WithName("connect-to")
        Map<String, String> connectTo();
    }
}
