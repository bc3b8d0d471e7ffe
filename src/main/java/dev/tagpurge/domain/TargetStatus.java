package dev.tagpurge.domain;

import java.util.Locale;

/** A target's outcome for one change event, as in the completion event. */
public enum TargetStatus {
    SUCCEEDED,
    FAILED,
    REJECTED;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
