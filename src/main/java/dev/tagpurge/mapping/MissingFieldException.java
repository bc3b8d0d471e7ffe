package dev.tagpurge.mapping;

/** A template named a field the event does not have; the event is invalid. */
public final class MissingFieldException extends Exception {

    public MissingFieldException(String path, String template) {
        super(
                "template " + template + " needs field '" + path + "', which the event lacks",
                null,
                false,
                false);
    }
}
