package dev.tagpurge.domain;

/**
 * A change event that cannot be processed; it goes to the dead-letter topic with {@link #reason()}
 * as the {@code tagpurge-reason} header and the message as {@code tagpurge-cause}.
 */
public final class InvalidEventException extends Exception {

    private final InvalidReason reason;

    public InvalidEventException(InvalidReason reason, String detail) {
        super(detail, null, false, false);
        this.reason = reason;
    }

    public InvalidReason reason() {
        return reason;
    }
}
