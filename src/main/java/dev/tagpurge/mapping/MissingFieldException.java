package dev.tagpurge.mapping;

/** A template named a field the event does not have; the event is invalid. */
public final class MissingFieldException extends Exception {

    private final String path;
    private final String template;

    public MissingFieldException(String path, String template) {
        super(
                "template " + template + " needs field '" + path + "', which the event lacks",
                null,
                false,
                false);
        this.path = path;
        this.template = template;
    }

    /** The placeholder's path, e.g. {@code data.id}. */
    public String path() {
        return path;
    }

    /** The template that names it. */
    public String template() {
        return template;
    }
}
