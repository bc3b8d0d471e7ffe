package dev.tagpurge.purge;

import dev.tagpurge.config.TargetConfig;

/**
 * Creates the {@link Purger} of one provider for a configured target. One CDI bean per provider,
 * found by the core through CDI and keyed by {@link #provider()}; it reads the common keys from
 * {@link TargetConfig} and its own from its provider's {@code @ConfigMapping}. A missing or invalid
 * provider-specific key fails start-up with the key's full name.
 */
public interface PurgerFactory {

    /** The provider name this factory serves, as in {@code tagpurge.targets.<name>.provider}. */
    String provider();

    /** Builds the adapter for target {@code name}. */
    Purger create(String name, TargetConfig config);

    /**
     * Checks target {@code name}'s provider-specific keys as {@link #create} reads them, without
     * creating anything, so that start-up can list every target's error at once.
     *
     * @throws IllegalArgumentException naming the full key that is missing or invalid
     */
    void validate(String name, TargetConfig config);

    /**
     * Whether this provider's {@code base-url} must be {@code https} unless the target is marked
     * {@code sandbox}: true for APIs that take credentials over HTTP, so they never travel in clear
     * text to a real provider.
     */
    default boolean requiresHttps() {
        return true;
    }
}
