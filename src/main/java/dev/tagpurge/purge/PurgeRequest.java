package dev.tagpurge.purge;

import dev.tagpurge.domain.PurgeMode;
import dev.tagpurge.domain.Selector;
import dev.tagpurge.domain.SelectorKind;
import java.util.List;

/**
 * One request to one target: selectors of a single kind and mode, already deduplicated and within
 * the target's {@link dev.tagpurge.domain.RequestLimits}.
 *
 * @param batchId unique id of this batch, stable across retries of the same selectors; adapters
 *     that need idempotency tokens (CloudFront's CallerReference) derive them from it
 * @param target the configured target name
 * @param kind the kind every selector has
 * @param mode hard or soft
 * @param selectors the selectors, never empty
 * @param attempt 1 for the first send, 2 for the first retry, …
 */
public record PurgeRequest(
        String batchId,
        String target,
        SelectorKind kind,
        PurgeMode mode,
        List<Selector> selectors,
        int attempt) {

    public PurgeRequest {
        selectors = List.copyOf(selectors);
        if (selectors.isEmpty()) {
            throw new IllegalArgumentException("a purge request needs at least one selector");
        }
    }

    /** The selector values, in order. */
    public List<String> values() {
        return selectors.stream().map(Selector::value).toList();
    }
}
