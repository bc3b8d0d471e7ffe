package dev.tagpurge.config;

/**
 * Whether completion events are published ({@code tagpurge.completion.mode}): {@code per-event}
 * publishes one per change event once all its targets are done, {@code off} none.
 */
public enum CompletionMode {
    PER_EVENT,
    OFF
}
