package dev.tagpurge.purge.akamai;

import java.util.Locale;

/** The Akamai network a Fast Purge call acts on, as written in the CCU v3 path. */
public enum AkamaiNetwork {
    STAGING,
    PRODUCTION;

    /** The path segment and configuration value: {@code staging} or {@code production}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
