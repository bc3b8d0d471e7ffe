package dev.tagpurge.mapping;

import dev.tagpurge.event.ChangeEvent;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Applies the ordered mapping rules to a change event (SPEC §1). */
public final class SelectorMapper {

    private final List<MappingRule> rules;

    public SelectorMapper(List<MappingRule> rules) {
        this.rules = List.copyOf(rules);
    }

    /**
     * The event's explicit selectors unioned with every matching rule's output, duplicates removed,
     * order kept.
     *
     * @throws MissingFieldException when a matching rule's template names a missing field
     */
    public MappedSelectors map(ChangeEvent event) throws MissingFieldException {
        Set<String> tags = new LinkedHashSet<>(event.tags());
        Set<String> urls = new LinkedHashSet<>(event.urls());
        Set<String> prefixes = new LinkedHashSet<>(event.prefixes());
        for (MappingRule rule : rules) {
            if (rule.matches(event.type(), event.source())) {
                render(rule.tags(), event, tags);
                render(rule.urls(), event, urls);
                render(rule.prefixes(), event, prefixes);
            }
        }
        return new MappedSelectors(
                List.copyOf(tags), List.copyOf(urls), List.copyOf(prefixes), event.everything());
    }

    private static void render(
            List<SelectorTemplate> templates, ChangeEvent event, Set<String> into)
            throws MissingFieldException {
        for (SelectorTemplate t : templates) {
            into.addAll(t.render(event.view()));
        }
    }
}
