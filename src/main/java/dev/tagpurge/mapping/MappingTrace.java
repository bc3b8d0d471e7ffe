package dev.tagpurge.mapping;

import dev.tagpurge.domain.SelectorKind;
import java.util.List;

/**
 * Follows what {@link SelectorMapper#map} decides, rule by rule, to explain a mapping. The consumer
 * maps with {@link #NONE}, whose methods do nothing, so its path builds no explanation: the calls
 * are made with values the mapper has anyway.
 */
public interface MappingTrace {

    /** Follows nothing: the consumer's mapping. */
    MappingTrace NONE = new MappingTrace() {};

    /**
     * Rule {@code index} (0-based, configuration order) does not apply to the event.
     *
     * @param why which glob did not match
     */
    default void ruleSkipped(int index, MappingRule rule, MappingRule.Mismatch why) {}

    /**
     * Rule {@code index} applies; its templates are rendered next, each reported by {@link
     * #rendered}.
     */
    default void ruleMatched(int index, MappingRule rule) {}

    /**
     * A template of the rule last matched rendered {@code values} (before duplicates across
     * templates are removed). A template that fails throws out of the mapping instead: {@link
     * MissingFieldException} names the template and the field.
     */
    default void rendered(SelectorKind kind, SelectorTemplate template, List<String> values) {}
}
