package dev.tagpurge.domain;

import java.util.Locale;

/**
 * A change event's overall outcome, as in the completion event and {@code
 * tagpurge_completions_total}.
 */
public enum EventStatus {
    SUCCEEDED,
    PARTIAL,
    FAILED,
    UNMATCHED;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
