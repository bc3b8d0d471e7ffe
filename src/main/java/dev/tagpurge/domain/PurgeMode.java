package dev.tagpurge.domain;

import java.util.Locale;

/** Hard purges evict; soft purges mark stale. A hard purge subsumes a soft one. */
public enum PurgeMode {
    HARD,
    SOFT;

    // computed once: the label is written for every event on the hot path
    private final String label = name().toLowerCase(Locale.ROOT);

    /** The stronger of two modes: hard wins. */
    public PurgeMode strongest(PurgeMode other) {
        return this == HARD || other == HARD ? HARD : SOFT;
    }

    /** Whether a purge in this mode also satisfies a request in {@code other} mode. */
    public boolean covers(PurgeMode other) {
        return this == HARD || other == SOFT;
    }

    public String label() {
        return label;
    }

    /** Parses {@code hard} or {@code soft}, case-insensitively. */
    public static PurgeMode parse(String s) {
        return switch (s.toLowerCase(Locale.ROOT)) {
            case "hard" -> HARD;
            case "soft" -> SOFT;
            default -> throw new IllegalArgumentException("mode must be hard or soft, was " + s);
        };
    }
}
