package dev.tagpurge.config;

/** The reactive-messaging channel names; {@code application.properties} binds them to topics. */
public final class Channels {

    /** Incoming change events, bound to {@code tagpurge.input.topics}. */
    public static final String CHANGE_EVENTS = "change-events";

    /** Outgoing completion events, bound to {@code tagpurge.completion.topic}. */
    public static final String COMPLETIONS = "purge-completions";

    /** Outgoing dead letters, bound to {@code tagpurge.dlq.topic}. */
    public static final String DEAD_LETTERS = "dead-letters";

    /** Outgoing audit records of the operator API, bound to {@code tagpurge.audit.topic}. */
    public static final String AUDIT = "purge-audit";

    private Channels() {}
}
