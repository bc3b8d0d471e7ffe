package dev.tagpurge.domain;

/**
 * Why an event was refused. {@link #label()} is the {@code tagpurge-reason} header on the
 * dead-letter topic and the {@code reason} tag of {@code tagpurge_events_invalid_total}.
 */
public enum InvalidReason {
    NOT_JSON("not-json"),
    MISSING_ID("missing-id"),
    INVALID_ID("invalid-id"),
    MISSING_TYPE("missing-type"),
    INVALID_FIELD("invalid-field"),
    OVERSIZE("oversize"),
    TOO_MANY_SELECTORS("too-many-selectors"),
    INVALID_TAG("invalid-tag"),
    UNKNOWN_TARGET("unknown-target"),
    EVERYTHING_NOT_ALLOWED("everything-not-allowed"),
    MISSING_TEMPLATE_FIELD("missing-template-field"),
    /**
     * A CloudEvent (a {@code specversion} member, a {@code ce_specversion} header or a structured
     * content type) whose spec version is missing or other than {@code 1.0}.
     */
    UNSUPPORTED_SPECVERSION("unsupported-specversion"),
    /**
     * A CloudEvent whose data is not JSON ({@code datacontenttype}, or the {@code content-type}
     * header in binary mode, names neither {@code *}{@code /json} nor {@code *}{@code /*+json}), or
     * a structured CloudEvent in another format than JSON (e.g. a batch).
     */
    UNSUPPORTED_CONTENT_TYPE("unsupported-content-type"),
    /**
     * Handling the record threw unexpectedly (a bug in parsing, mapping, validation or dispatch);
     * the cause names the exception's class and message.
     */
    INTERNAL_ERROR("internal-error");

    private final String label;

    InvalidReason(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
