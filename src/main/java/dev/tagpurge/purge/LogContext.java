package dev.tagpurge.purge;

import org.jboss.logging.MDC;

/**
 * Puts fields into the logging MDC for the statements inside a try-with-resources block and
 * restores what was there before on close. Pipeline steps run as tasks on pooled threads and
 * answers arrive on others: a value left behind would label the next task's lines with the wrong
 * event, so every put is undone in the same block that made it.
 *
 * <pre>{@code
 * try (var log = LogContext.of("target", name, "batchId", id)) {
 *     LOG.warnf(...);
 * }
 * }</pre>
 */
public final class LogContext implements AutoCloseable {

    // The MDC keys of the pipeline's log lines; docs/operations.md lists them for searching.
    public static final String TARGET = "target";
    public static final String BATCH_ID = "batchId";
    public static final String EVENT_ID = "eventId";

    /** On a line about a whole batch: the ids of the events it serves, comma-separated. */
    public static final String EVENT_IDS = "eventIds";

    public static final String TOPIC = "topic";
    public static final String PARTITION = "partition";
    public static final String OFFSET = "offset";

    private final String[] keys;
    private final Object[] previous;

    private LogContext(String[] keys, Object[] previous) {
        this.keys = keys;
        this.previous = previous;
    }

    /**
     * Puts the given key/value pairs; a null value leaves its key as it was (a line without a batch
     * simply has no batchId).
     */
    public static LogContext of(Object... keysAndValues) {
        if (keysAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("keys and values must come in pairs");
        }
        int n = keysAndValues.length / 2;
        String[] keys = new String[n];
        Object[] previous = new Object[n];
        for (int i = 0; i < n; i++) {
            String key = (String) keysAndValues[2 * i];
            Object value = keysAndValues[2 * i + 1];
            if (value != null) {
                keys[i] = key;
                previous[i] = MDC.put(key, value);
            }
        }
        return new LogContext(keys, previous);
    }

    /** The fields of a line about one request: its target and batch id. */
    public static LogContext forBatch(PurgeRequest request) {
        return of(TARGET, request.target(), BATCH_ID, request.batchId());
    }

    /** Restores in reverse order, so a key given twice ends as it was before the block. */
    @Override
    public void close() {
        for (int i = keys.length - 1; i >= 0; i--) {
            String key = keys[i];
            if (key == null) {
                continue;
            }
            if (previous[i] == null) {
                MDC.remove(key);
            } else {
                MDC.put(key, previous[i]);
            }
        }
    }
}
