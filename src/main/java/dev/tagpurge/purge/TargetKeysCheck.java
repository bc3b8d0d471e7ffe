package dev.tagpurge.purge;

import dev.tagpurge.config.TargetConfig;

/**
 * What start-up validation asks of a provider: its id and a check of one target's keys. Every
 * {@link PurgerFactory} is one; a {@link ProviderKeys} makes one while the configuration is still
 * being loaded, before any bean exists.
 */
public interface TargetKeysCheck {

    /** The provider name, as in {@code tagpurge.targets.<name>.provider}. */
    String provider();

    /**
     * Checks target {@code name}'s provider-specific keys as the provider's adapter reads them,
     * without creating anything, so that start-up can list every target's error at once.
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
