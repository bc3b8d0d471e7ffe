package dev.tagpurge.purge;

/**
 * A provider's own configuration keys, for checking them while the configuration is loaded: the
 * provider's {@code @ConfigMapping} and the check of one target's keys against it. Found with
 * {@link java.util.ServiceLoader} ({@code META-INF/services/dev.tagpurge.purge.ProviderKeys}),
 * since no CDI bean exists yet at that point; the provider's {@link PurgerFactory} runs the same
 * check.
 *
 * @param <K> the provider's {@code @ConfigMapping} interface
 */
public interface ProviderKeys<K> {

    /** The provider's {@code @ConfigMapping} interface, prefix {@code tagpurge}. */
    Class<K> mapping();

    /** The check of this provider's targets, reading their keys from {@code keys}. */
    TargetKeysCheck check(K keys);
}
