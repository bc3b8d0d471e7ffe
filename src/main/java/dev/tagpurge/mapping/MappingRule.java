package dev.tagpurge.mapping;

import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * One mapping rule: events whose {@code type} (and optionally {@code source}) match the globs emit
 * the rendered tags, URLs and prefixes.
 *
 * @param typeGlob the glob {@code type} was compiled from, as configured
 * @param sourceGlob the glob {@code source} was compiled from, as configured
 */
public record MappingRule(
        Pattern type,
        Optional<Pattern> source,
        List<SelectorTemplate> tags,
        List<SelectorTemplate> urls,
        List<SelectorTemplate> prefixes,
        String typeGlob,
        Optional<String> sourceGlob) {

    /** Why a rule does not apply to an event. */
    public enum Mismatch {
        /** The event's {@code type} does not match the rule's type glob. */
        TYPE,
        /** The event's {@code source} does not match the rule's source glob. */
        SOURCE,
        /** The rule has a source glob and the event has no {@code source}. */
        NO_SOURCE
    }

    /** Builds a rule from globs ({@code *} any characters, {@code ?} one) and template strings. */
    public static MappingRule of(
            String typeGlob,
            Optional<String> sourceGlob,
            List<String> tags,
            List<String> urls,
            List<String> prefixes) {
        return new MappingRule(
                glob(typeGlob),
                sourceGlob.map(MappingRule::glob),
                tags.stream().map(SelectorTemplate::parse).toList(),
                urls.stream().map(SelectorTemplate::parse).toList(),
                prefixes.stream().map(SelectorTemplate::parse).toList(),
                typeGlob,
                sourceGlob);
    }

    public boolean matches(String eventType, Optional<String> eventSource) {
        return mismatch(eventType, eventSource) == null;
    }

    /**
     * Why this rule does not apply to an event, or null when it does (null rather than an {@code
     * Optional}: the consumer asks this of every rule for every event).
     */
    public Mismatch mismatch(String eventType, Optional<String> eventSource) {
        if (!type.matcher(eventType).matches()) {
            return Mismatch.TYPE;
        }
        if (source.isEmpty()) {
            return null;
        }
        if (eventSource.isEmpty()) {
            return Mismatch.NO_SOURCE;
        }
        return source.get().matcher(eventSource.get()).matches() ? null : Mismatch.SOURCE;
    }

    static Pattern glob(String glob) {
        StringBuilder regex = new StringBuilder();
        for (String literal : glob.split("(?=[*?])|(?<=[*?])")) {
            switch (literal) {
                case "*" -> regex.append(".*");
                case "?" -> regex.append('.');
                default -> regex.append(Pattern.quote(literal));
            }
        }
        return Pattern.compile(regex.toString());
    }
}
