package dev.tagpurge.domain;

import java.util.Locale;

/** A target's outcome for one change event, as in the completion event. */
public enum TargetStatus {
    SUCCEEDED,
    FAILED,
    REJECTED;

    // computed once: the label is written for every event on the hot path
    private final String label = name().toLowerCase(Locale.ROOT);

    public String label() {
        return label;
    }
}
