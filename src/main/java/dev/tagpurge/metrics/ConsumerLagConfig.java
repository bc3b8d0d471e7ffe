package dev.tagpurge.metrics;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/**
 * How often and how patiently the consumer group's lag is read from the broker ({@link
 * ConsumerLagMetrics}). The brokers, group and topics are the input channel's own: {@code kafka.*},
 * {@code mp.messaging.incoming.change-events.group.id}, {@code tagpurge.input.topics}.
 */
@ConfigMapping(prefix = "tagpurge.lag")
public interface ConsumerLagConfig {

    /** Whether the lag is read at all. Default {@code true}. */
    @WithDefault("true")
    boolean enabled();

    /** Time between two reads. Default 15s: half a 30 s scrape interval. */
    @WithDefault("15s")
    Duration interval();

    /**
     * Longest wait for each of the broker calls of one read; a read that runs out keeps the last
     * values and counts a failure. Default 10s.
     */
    @WithDefault("10s")
    Duration timeout();
}
