package dev.tagpurge.domain;

import java.util.Objects;

/**
 * Deduplication identity of a selector: two selectors with equal keys are one purge.
 *
 * <p>{@code equals} and {@code hashCode} are written out rather than generated. A record's
 * generated ones go through an {@code invokedynamic} chain of method handles, which the JIT's first
 * tier cannot inline, and the coalescing window looks keys up several times per event: in a profile
 * of a saturated service, still waiting for its second tier's queue, comparing keys through that
 * chain was up to 2% of the CPU. They mean the same as the generated ones.
 */
public record SelectorKey(SelectorKind kind, String normalizedValue) {

    @Override
    public boolean equals(Object o) {
        return this == o
                || o instanceof SelectorKey other
                        && kind == other.kind
                        && Objects.equals(normalizedValue, other.normalizedValue);
    }

    @Override
    public int hashCode() {
        return 31 * Objects.hashCode(kind) + Objects.hashCode(normalizedValue);
    }
}
