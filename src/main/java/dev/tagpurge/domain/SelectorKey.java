package dev.tagpurge.domain;

/** Deduplication identity of a selector: two selectors with equal keys are one purge. */
public record SelectorKey(SelectorKind kind, String normalizedValue) {}
