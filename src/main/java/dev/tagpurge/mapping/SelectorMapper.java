package dev.tagpurge.mapping;

import dev.tagpurge.domain.ChangeEvent;
import dev.tagpurge.domain.InvalidEventException;
import dev.tagpurge.domain.InvalidReason;
import dev.tagpurge.domain.MappedSelectors;
import dev.tagpurge.domain.SelectorKind;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Applies the ordered mapping rules to a change event. */
public final class SelectorMapper {

    private final List<MappingRule> rules;
    private final int maxSelectors;

    /** A mapper without a bound on what templates may yield (tests of mapping alone). */
    public SelectorMapper(List<MappingRule> rules) {
        this(rules, Integer.MAX_VALUE);
    }

    /**
     * @param maxSelectors {@code tagpurge.input.max-selectors}: an event whose templates would
     *     yield more is refused before the selectors are built
     */
    public SelectorMapper(List<MappingRule> rules, int maxSelectors) {
        this.rules = List.copyOf(rules);
        this.maxSelectors = maxSelectors;
    }

    /**
     * The event's explicit selectors unioned with every matching rule's output, duplicates removed,
     * order kept.
     *
     * @throws MissingFieldException when a matching rule's template names a missing field
     * @throws InvalidEventException ({@code too-many-selectors}) when the templates would expand
     *     the event beyond {@code max-selectors}; checked before each template's product is built
     */
    public MappedSelectors map(ChangeEvent event)
            throws MissingFieldException, InvalidEventException {
        return map(event, MappingTrace.NONE);
    }

    /**
     * {@link #map(ChangeEvent)}, telling {@code trace} what each rule did: the same code maps for
     * the consumer (with {@link MappingTrace#NONE}) and for an explanation.
     */
    public MappedSelectors map(ChangeEvent event, MappingTrace trace)
            throws MissingFieldException, InvalidEventException {
        // sets only once a rule matches: an event no rule matches keeps its own lists
        Set<String> tags = null;
        Set<String> urls = null;
        Set<String> prefixes = null;
        try {
            for (int i = 0; i < rules.size(); i++) {
                MappingRule rule = rules.get(i);
                MappingRule.Mismatch mismatch = rule.mismatch(event.type(), event.source());
                if (mismatch != null) {
                    trace.ruleSkipped(i, rule, mismatch);
                    continue;
                }
                trace.ruleMatched(i, rule);
                if (tags == null) {
                    tags = new LinkedHashSet<>(event.tags());
                    urls = new LinkedHashSet<>(event.urls());
                    prefixes = new LinkedHashSet<>(event.prefixes());
                }
                render(SelectorKind.TAG, rule.tags(), event, trace, tags, urls, prefixes);
                render(SelectorKind.URL, rule.urls(), event, trace, urls, tags, prefixes);
                render(SelectorKind.PREFIX, rule.prefixes(), event, trace, prefixes, tags, urls);
            }
        } catch (TooManySelectorsException e) {
            throw new InvalidEventException(InvalidReason.TOO_MANY_SELECTORS, e.getMessage());
        }
        if (tags == null) {
            return new MappedSelectors(
                    distinct(event.tags()),
                    distinct(event.urls()),
                    distinct(event.prefixes()),
                    event.everything());
        }
        return new MappedSelectors(
                List.copyOf(tags), List.copyOf(urls), List.copyOf(prefixes), event.everything());
    }

    /**
     * {@code values} without repeats, first occurrences in order: the list itself when it has none
     * (an event names a few selectors, so comparing each pair is cheaper than building a set).
     */
    static List<String> distinct(List<String> values) {
        int n = values.size();
        if (n > 16) {
            return List.copyOf(new LinkedHashSet<>(values));
        }
        for (int i = 1; i < n; i++) {
            String v = values.get(i);
            for (int j = 0; j < i; j++) {
                if (v.equals(values.get(j))) {
                    return List.copyOf(new LinkedHashSet<>(values));
                }
            }
        }
        return values;
    }

    /** The rules, in configuration order. */
    public List<MappingRule> rules() {
        return rules;
    }

    // A template's product is bounded by max-selectors before it is built (its outputs may repeat
    // selectors already found, so the bound is not what is left); the running total after it.
    private void render(
            SelectorKind kind,
            List<SelectorTemplate> templates,
            ChangeEvent event,
            MappingTrace trace,
            Set<String> into,
            Set<String> other,
            Set<String> third)
            throws MissingFieldException, TooManySelectorsException {
        for (SelectorTemplate t : templates) {
            List<String> rendered = t.render(event.view(), maxSelectors);
            trace.rendered(kind, t, rendered);
            into.addAll(rendered);
            long total = (long) into.size() + other.size() + third.size();
            if (total > maxSelectors) {
                throw new TooManySelectorsException(total, maxSelectors);
            }
        }
    }
}
