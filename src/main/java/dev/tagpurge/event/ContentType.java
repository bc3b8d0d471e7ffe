package dev.tagpurge.event;

import java.util.Locale;

/**
 * A media type as a CloudEvent names it ({@code datacontenttype}, or the Kafka {@code content-type}
 * header), stripped of its parameters and lower-cased.
 *
 * @param type the top-level type, e.g. {@code application}
 * @param subtype the subtype, e.g. {@code json} or {@code vnd.example+json}
 */
record ContentType(String type, String subtype) {

    /** Parses {@code text}; a value without a slash has an empty subtype (and is not JSON). */
    static ContentType parse(String text) {
        String media = text;
        int semicolon = media.indexOf(';');
        if (semicolon >= 0) {
            media = media.substring(0, semicolon);
        }
        media = media.strip().toLowerCase(Locale.ROOT);
        int slash = media.indexOf('/');
        return slash < 0
                ? new ContentType(media, "")
                : new ContentType(media.substring(0, slash), media.substring(slash + 1));
    }

    /**
     * JSON-formatted content as the CloudEvents JSON format defines it: {@code *}{@code /json} or
     * {@code *}{@code /*+json}.
     */
    boolean isJson() {
        return subtype.equals("json") || subtype.endsWith("+json");
    }

    /**
     * A structured-mode CloudEvent ({@code application/cloudevents…}), in any format: JSON or
     * another, single or batch.
     */
    boolean isStructuredCloudEvent() {
        return type.equals("application") && subtype.startsWith("cloudevents");
    }

    /** The structured mode this service reads: one CloudEvent in JSON. */
    boolean isStructuredJsonCloudEvent() {
        return type.equals("application") && subtype.equals("cloudevents+json");
    }

    @Override
    public String toString() {
        return subtype.isEmpty() ? type : type + "/" + subtype;
    }
}
