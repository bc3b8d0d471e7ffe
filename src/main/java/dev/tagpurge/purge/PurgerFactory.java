package dev.tagpurge.purge;

import dev.tagpurge.config.TargetConfig;

/**
 * Creates the {@link Purger} of one provider for a configured target. One CDI bean per provider; a
 * missing or invalid provider-specific key fails start-up with the key's full name.
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
}
