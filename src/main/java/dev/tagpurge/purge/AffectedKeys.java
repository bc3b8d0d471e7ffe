package dev.tagpurge.purge;

/**
 * How many keys a purge would remove from a cache that can count them (Redis), for a preview.
 *
 * @param keys the count, or its estimate
 * @param exact whether {@code keys} is a count rather than an estimate
 * @param method how it was obtained, in words an operator understands
 */
public record AffectedKeys(long keys, boolean exact, String method) {

    /** The sum of two counts; exact only when both are. */
    public AffectedKeys plus(AffectedKeys other) {
        return new AffectedKeys(keys + other.keys, exact && other.exact, method);
    }
}
