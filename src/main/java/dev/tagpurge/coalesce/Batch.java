package dev.tagpurge.coalesce;

import dev.tagpurge.domain.PurgeMode;
import dev.tagpurge.domain.RequestLimits;
import dev.tagpurge.domain.Selector;
import dev.tagpurge.domain.SelectorKind;
import java.util.List;

/**
 * Selectors taken out of a {@link CoalescingWindow} to be sent as one request: one kind, one mode,
 * within the target's {@link RequestLimits}.
 *
 * @param full whether the batch was sent because it reached the request limit (not the linger)
 */
public record Batch<W>(
        SelectorKind kind, PurgeMode mode, List<PendingSelector<W>> entries, boolean full) {

    public List<Selector> selectors() {
        return entries.stream().map(PendingSelector::selector).toList();
    }

    public int size() {
        return entries.size();
    }
}
