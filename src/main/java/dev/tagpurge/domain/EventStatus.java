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

    // computed once: the label is written for every event on the hot path
    private final String label = name().toLowerCase(Locale.ROOT);

    public String label() {
        return label;
    }
}
