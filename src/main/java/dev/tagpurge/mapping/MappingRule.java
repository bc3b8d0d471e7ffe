package dev.tagpurge.mapping;

import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * One mapping rule: events whose {@code type} (and optionally {@code source}) match the globs emit
 * the rendered tags, URLs and prefixes.
 */
public record MappingRule(
        Pattern type,
        Optional<Pattern> source,
        List<SelectorTemplate> tags,
        List<SelectorTemplate> urls,
        List<SelectorTemplate> prefixes) {

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
                prefixes.stream().map(SelectorTemplate::parse).toList());
    }

    public boolean matches(String eventType, Optional<String> eventSource) {
        if (!type.matcher(eventType).matches()) {
            return false;
        }
        return source.isEmpty()
                || eventSource.map(s -> source.get().matcher(s).matches()).orElse(false);
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
