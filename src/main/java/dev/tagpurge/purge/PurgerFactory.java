package dev.tagpurge.purge;

import dev.tagpurge.config.TargetConfig;

/**
 * Creates the {@link Purger} of one provider for a configured target. One CDI bean per provider,
 * found by the core through CDI and keyed by {@link #provider()}; it reads the common keys from
 * {@link TargetConfig} and its own from its provider's {@code @ConfigMapping}. A missing or invalid
 * provider-specific key fails start-up with the key's full name ({@link #validate}).
 */
public interface PurgerFactory extends TargetKeysCheck {

    /** Builds the adapter for target {@code name}. */
    Purger create(String name, TargetConfig config);
}
