package dev.tagpurge.event;

import dev.tagpurge.purge.LogContext;

/**
 * Where a consumed record was read: what the log lines about its outcome name, on whatever thread
 * they run, and once the record itself (its payload, key and headers) is no longer kept.
 */
record RecordCoordinates(String topic, int partition, long offset) {

    /** The coordinates and {@code eventId} (left out when null) in the logging context. */
    LogContext logContext(String eventId) {
        return LogContext.of(
                LogContext.TOPIC, topic,
                LogContext.PARTITION, partition,
                LogContext.OFFSET, offset,
                LogContext.EVENT_ID, eventId);
    }

    @Override
    public String toString() {
        return topic + "-" + partition + "@" + offset;
    }
}
