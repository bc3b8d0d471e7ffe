package dev.tagpurge.admin;

import dev.tagpurge.domain.MappedSelectors;
import dev.tagpurge.domain.PurgeMode;
import dev.tagpurge.domain.Selector;
import dev.tagpurge.domain.SelectorKind;
import java.util.List;
import java.util.Optional;

/**
 * A valid operator purge request: what to purge, where, and why.
 *
 * @param kind the one selector kind asked for
 * @param values its values (none for everything)
 * @param targets the target names it goes to, sorted
 * @param scope {@code redis}, {@code cdn} or {@code all} when the targets came from a scope, empty
 *     when they were named
 * @param confirm what the request said to confirm everything, if anything
 */
public record PurgeOrder(
        SelectorKind kind,
        List<String> values,
        List<String> targets,
        Optional<String> scope,
        PurgeMode mode,
        String ticket,
        String reason,
        boolean dryRun,
        Optional<String> confirm) {

    public PurgeOrder {
        values = List.copyOf(values);
        targets = List.copyOf(targets);
    }

    /** How many items it purges: the values, or 1 for everything. */
    public int items() {
        return kind == SelectorKind.EVERYTHING ? 1 : values.size();
    }

    public boolean everything() {
        return kind == SelectorKind.EVERYTHING;
    }

    /** What {@code confirm} must say for everything: the target names, sorted, comma-separated. */
    public String expectedConfirm() {
        return String.join(",", targets);
    }

    /** The JSON field of its selector kind ({@code tags}, {@code urls}, …). */
    public String field() {
        return OrderParser.field(kind);
    }

    public MappedSelectors selectors() {
        return switch (kind) {
            case TAG -> new MappedSelectors(values, List.of(), List.of(), false);
            case URL -> new MappedSelectors(List.of(), values, List.of(), false);
            case PREFIX -> new MappedSelectors(List.of(), List.of(), values, false);
            case EVERYTHING -> new MappedSelectors(List.of(), List.of(), List.of(), true);
        };
    }

    /** The selectors as the pipeline takes them. */
    public List<Selector> selectorList() {
        return switch (kind) {
            case TAG -> values.stream().<Selector>map(Selector.Tag::new).toList();
            case URL -> values.stream().<Selector>map(Selector.Url::new).toList();
            case PREFIX -> values.stream().<Selector>map(Selector.Prefix::new).toList();
            case EVERYTHING -> List.of(new Selector.Everything());
        };
    }
}
