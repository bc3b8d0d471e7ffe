package dev.tagpurge.config;

import java.util.List;
import java.util.Optional;

/**
 * One mapping rule, {@code tagpurge.rules[i].*}: events whose {@code type} matches the glob (and
 * {@code source}, when given) emit the rendered tags, URLs and prefixes. Templates read the event,
 * e.g. {@code product-{data.id}} or {@code category-{data.categoryIds[*]}}.
 */
public interface RuleConfig {

    /** Glob over the event type, e.g. {@code product.*}. */
    String type();

    /** Glob over the event source; default any source. */
    Optional<String> source();

    /** Tag templates. */
    Optional<List<String>> tags();

    /** URL templates. */
    Optional<List<String>> urls();

    /** Prefix templates. */
    Optional<List<String>> prefixes();
}
