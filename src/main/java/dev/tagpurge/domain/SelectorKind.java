package dev.tagpurge.domain;

import java.util.Locale;

/** The kinds of selector; a purge request carries selectors of one kind. */
public enum SelectorKind {
    TAG,
    URL,
    PREFIX,
    EVERYTHING;

    /** The lower-case name used in metrics, logs and completion events. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
