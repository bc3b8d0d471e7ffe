package dev.tagpurge.event;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tagpurge.domain.ChangeEvent;
import dev.tagpurge.domain.InvalidEventException;
import dev.tagpurge.domain.InvalidReason;
import dev.tagpurge.domain.PurgeMode;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Parses a Kafka record into a {@link ChangeEvent}: a plain envelope, or a CloudEvent 1.0 in
 * structured mode (a {@code specversion} member, or the {@code content-type} header {@code
 * application/cloudevents+json}) or binary mode ({@code ce_*} headers, the value being the data and
 * the {@code content-type} header its media type). In CloudEvents the purge fields live in {@code
 * data} (or {@code data_base64}, decoded) or in the extension attributes {@code purgetags}, {@code
 * purgemode} and {@code purgetargets} (comma-separated). A CloudEvent's spec version must be {@code
 * 1.0} and its data JSON ({@code *}{@code /json}, {@code *}{@code /*+json}, or no content type).
 */
public final class ChangeEventParser {

    /** The binary-mode header that marks a record as a CloudEvent. */
    public static final String CE_SPECVERSION_HEADER = "ce_specversion";

    /**
     * The Kafka header holding the media type: of the data in binary mode, of the whole record in
     * structured mode.
     */
    public static final String CONTENT_TYPE_HEADER = "content-type";

    /** The one CloudEvents version this parser reads. */
    static final String CLOUDEVENTS_VERSION = "1.0";

    private static final int MAX_ID_LENGTH = 256;
    // a refused attribute is quoted in the cause, which travels in a Kafka header
    private static final int MAX_QUOTED_LENGTH = 64;

    /** Default of {@code tagpurge.input.max-clock-skew}. */
    public static final Duration DEFAULT_MAX_CLOCK_SKEW = Duration.ofMinutes(5);

    /** Default of {@code tagpurge.input.max-event-age}. */
    public static final Duration DEFAULT_MAX_EVENT_AGE = Duration.ofDays(7);

    private final ObjectMapper json;
    private final int maxBytes;
    private final Duration maxClockSkew;
    private final Duration maxEventAge;
    private final Clock clock;
    private final boolean withView;
    // the shared copies of plain events' types and sources
    private final FrequentText frequent = new FrequentText();

    /** A parser with the default window for {@code time} on the system clock. */
    public ChangeEventParser(ObjectMapper json, int maxBytes) {
        this(json, maxBytes, DEFAULT_MAX_CLOCK_SKEW, DEFAULT_MAX_EVENT_AGE, Clock.systemUTC());
    }

    /** A parser whose events carry their {@link ChangeEvent#view() view}. */
    public ChangeEventParser(
            ObjectMapper json,
            int maxBytes,
            Duration maxClockSkew,
            Duration maxEventAge,
            Clock clock) {
        this(json, maxBytes, maxClockSkew, maxEventAge, clock, true);
    }

    /**
     * @param maxClockSkew how far in the future {@code time} may be
     * @param maxEventAge how far in the past {@code time} may be
     * @param clock what "now" is for that window
     * @param withView whether events carry their {@link ChangeEvent#view() view}, which only
     *     mapping-rule templates read: without (no rules), every event's view is JSON null, and a
     *     plain event's {@code data} is checked for well-formed JSON but never built into a tree
     */
    public ChangeEventParser(
            ObjectMapper json,
            int maxBytes,
            Duration maxClockSkew,
            Duration maxEventAge,
            Clock clock,
            boolean withView) {
        if (maxClockSkew.isNegative() || maxEventAge.isNegative()) {
            throw new IllegalArgumentException(
                    "tagpurge.input.max-clock-skew and max-event-age must not be negative");
        }
        this.json = json;
        this.maxBytes = maxBytes;
        this.maxClockSkew = atMostACentury(maxClockSkew);
        this.maxEventAge = atMostACentury(maxEventAge);
        this.clock = clock;
        this.withView = withView;
    }

    /**
     * @param value the record value
     * @param header looks up a record header as UTF-8 text, or returns null
     */
    public ChangeEvent parse(byte[] value, Function<String, String> header)
            throws InvalidEventException {
        return parse(value, header, true);
    }

    /**
     * {@link #parse} reading every record as a JSON tree: the reference that the token-by-token
     * path for plain events ({@link PlainEnvelope}) is tested against.
     */
    ChangeEvent parseAsTree(byte[] value, Function<String, String> header)
            throws InvalidEventException {
        return parse(value, header, false);
    }

    private ChangeEvent parse(byte[] value, Function<String, String> header, boolean byTokens)
            throws InvalidEventException {
        if (value != null && value.length > maxBytes) {
            throw new InvalidEventException(
                    InvalidReason.OVERSIZE,
                    "record of " + value.length + " bytes exceeds max-bytes " + maxBytes);
        }
        String contentTypeHeader = header.apply(CONTENT_TYPE_HEADER);
        ContentType recordType =
                contentTypeHeader == null ? null : ContentType.parse(contentTypeHeader);
        boolean structuredByHeader = recordType != null && recordType.isStructuredCloudEvent();
        if (structuredByHeader && !recordType.isStructuredJsonCloudEvent()) {
            throw new InvalidEventException(
                    InvalidReason.UNSUPPORTED_CONTENT_TYPE,
                    "structured CloudEvents are read as application/cloudevents+json only, not "
                            + quoted(recordType.toString()));
        }
        if (!structuredByHeader && header.apply(CE_SPECVERSION_HEADER) != null) {
            return fromBinaryCloudEvent(value, header, recordType);
        }
        if (byTokens && !structuredByHeader) {
            PlainEnvelope plain = PlainEnvelope.read(json, value, withView, frequent);
            if (plain != null) {
                return build(plain);
            }
        }
        JsonNode root = readJson(value, "record value");
        if (!root.isObject()) {
            throw new InvalidEventException(
                    InvalidReason.NOT_JSON, "record value is not a JSON object");
        }
        return structuredByHeader || root.has("specversion")
                ? fromStructuredCloudEvent(root)
                : fromPlain(root);
    }

    private ChangeEvent fromPlain(JsonNode root) throws InvalidEventException {
        return build(root, root, root.get("data"));
    }

    private ChangeEvent fromStructuredCloudEvent(JsonNode root) throws InvalidEventException {
        JsonNode version = root.get("specversion");
        checkSpecVersion(version == null || version.isNull() ? null : version, "'specversion'");
        JsonNode data = structuredData(root);
        ObjectNode purge = purgeFields(data);
        copyExtension(root.get("purgetags"), purge, "tags");
        copyExtension(root.get("purgetargets"), purge, "targets");
        if (root.hasNonNull("purgemode") && !purge.has("mode")) {
            purge.set("mode", root.get("purgemode"));
        }
        return build(root, purge, data);
    }

    /**
     * The data of a structured CloudEvent as JSON, or null when it has none: {@code data} as it is,
     * or {@code data_base64} decoded and parsed, in either case only when {@code datacontenttype}
     * declares JSON or is absent.
     */
    private JsonNode structuredData(JsonNode root) throws InvalidEventException {
        JsonNode data = root.get("data");
        JsonNode base64 = root.get("data_base64");
        boolean hasData = data != null && !data.isNull();
        boolean hasBase64 = base64 != null && !base64.isNull();
        if (hasData && hasBase64) {
            throw new InvalidEventException(
                    InvalidReason.INVALID_FIELD,
                    "a CloudEvent holds 'data' or 'data_base64', not both");
        }
        Optional<String> declared = optionalText(root, "datacontenttype");
        if (!hasData && !hasBase64) {
            return null;
        }
        if (declared.isPresent()) {
            requireJson(ContentType.parse(declared.get()), "datacontenttype");
        }
        if (hasData) {
            return data;
        }
        if (!base64.isTextual()) {
            throw new InvalidEventException(
                    InvalidReason.INVALID_FIELD, "field 'data_base64' must be a string");
        }
        byte[] decoded;
        try {
            decoded = Base64.getDecoder().decode(base64.asText());
        } catch (IllegalArgumentException e) {
            throw new InvalidEventException(
                    InvalidReason.INVALID_FIELD,
                    "field 'data_base64' is not base64 (RFC 4648): " + e.getMessage());
        }
        return decoded.length == 0 ? null : readJson(decoded, "data_base64");
    }

    private ChangeEvent fromBinaryCloudEvent(
            byte[] value, Function<String, String> header, ContentType dataType)
            throws InvalidEventException {
        String version = header.apply(CE_SPECVERSION_HEADER);
        checkSpecVersion(
                JsonNodeFactory.instance.textNode(version), "header " + CE_SPECVERSION_HEADER);
        JsonNode data = null;
        if (value != null && value.length > 0) {
            if (dataType != null) {
                requireJson(dataType, "header " + CONTENT_TYPE_HEADER);
            }
            data = readJson(value, "record value");
        }
        ObjectNode attributes = JsonNodeFactory.instance.objectNode();
        for (String name : List.of("id", "type", "source", "subject", "time")) {
            String v = header.apply("ce_" + name);
            if (v != null) {
                attributes.put(name, v);
            }
        }
        ObjectNode purge = purgeFields(data);
        copyExtension(textOrNull(header.apply("ce_purgetags")), purge, "tags");
        copyExtension(textOrNull(header.apply("ce_purgetargets")), purge, "targets");
        String mode = header.apply("ce_purgemode");
        if (mode != null && !purge.has("mode")) {
            purge.put("mode", mode);
        }
        return build(attributes, purge, data);
    }

    /** A CloudEvent's spec version, from {@code where}: present, a string, and {@code 1.0}. */
    private static void checkSpecVersion(JsonNode version, String where)
            throws InvalidEventException {
        if (version == null) {
            throw new InvalidEventException(
                    InvalidReason.UNSUPPORTED_SPECVERSION,
                    "a CloudEvent without " + where + " (must be " + CLOUDEVENTS_VERSION + ")");
        }
        if (!version.isTextual() || !version.asText().equals(CLOUDEVENTS_VERSION)) {
            String shown = version.isTextual() ? version.asText() : version.toString();
            throw new InvalidEventException(
                    InvalidReason.UNSUPPORTED_SPECVERSION,
                    "CloudEvents spec version "
                            + quoted(shown)
                            + " in "
                            + where
                            + " is not supported (only "
                            + CLOUDEVENTS_VERSION
                            + ")");
        }
    }

    /** Refuses data whose declared media type is not JSON: this service reads only JSON data. */
    private static void requireJson(ContentType type, String where) throws InvalidEventException {
        if (!type.isJson()) {
            throw new InvalidEventException(
                    InvalidReason.UNSUPPORTED_CONTENT_TYPE,
                    where
                            + " "
                            + quoted(type.toString())
                            + " is not JSON (*/json or */*+json); the data cannot be read");
        }
    }

    private static String quoted(String s) {
        return "'"
                + (s.length() > MAX_QUOTED_LENGTH ? s.substring(0, MAX_QUOTED_LENGTH) + "…" : s)
                + "'";
    }

    private static JsonNode textOrNull(String s) {
        return s == null ? null : JsonNodeFactory.instance.textNode(s);
    }

    /** The purge fields found in a CloudEvent's {@code data}, copied so extensions can be added. */
    private static ObjectNode purgeFields(JsonNode data) {
        ObjectNode purge = JsonNodeFactory.instance.objectNode();
        if (data != null && data.isObject()) {
            for (String f : List.of("tags", "urls", "prefixes", "everything", "mode", "targets")) {
                if (data.has(f)) {
                    purge.set(f, data.get(f));
                }
            }
        }
        return purge;
    }

    /** Adds a comma-separated extension attribute to the purge field {@code field}. */
    private static void copyExtension(JsonNode extension, ObjectNode purge, String field) {
        if (extension == null || !extension.isTextual() || extension.asText().isBlank()) {
            return;
        }
        var array =
                purge.has(field) && purge.get(field).isArray()
                        ? (ArrayNode) purge.get(field)
                        : purge.putArray(field);
        for (String item : extension.asText().split(",")) {
            if (!item.isBlank()) {
                array.add(item.strip());
            }
        }
    }

    private ChangeEvent build(JsonNode attributes, JsonNode purge, JsonNode data)
            throws InvalidEventException {
        String id = requiredText(attributes, "id", InvalidReason.MISSING_ID);
        if (id.length() > MAX_ID_LENGTH) {
            throw new InvalidEventException(
                    InvalidReason.INVALID_ID, "id longer than " + MAX_ID_LENGTH + " chars");
        }
        String type = requiredText(attributes, "type", InvalidReason.MISSING_TYPE);
        String time = optionalText(attributes, "time").orElse(null);
        String source = optionalText(attributes, "source").orElse(null);
        String subject = optionalText(attributes, "subject").orElse(null);
        return new ChangeEvent(
                id,
                type,
                Optional.ofNullable(source),
                time != null ? plausibleTime(parseTime(time)) : Optional.empty(),
                Optional.ofNullable(subject),
                strings(purge, "tags"),
                strings(purge, "urls"),
                strings(purge, "prefixes"),
                bool(purge, "everything"),
                mode(purge),
                strings(purge, "targets"),
                view(id, type, source, subject, time, data));
    }

    /**
     * The event from a plain envelope read token by token: the same checks and the same view as
     * {@link #build(JsonNode, JsonNode, JsonNode)}, in the same order, on fields whose types {@link
     * PlainEnvelope} has already checked.
     */
    private ChangeEvent build(PlainEnvelope e) throws InvalidEventException {
        if (e.id.length() > MAX_ID_LENGTH) {
            throw new InvalidEventException(
                    InvalidReason.INVALID_ID, "id longer than " + MAX_ID_LENGTH + " chars");
        }
        return new ChangeEvent(
                e.id,
                e.type,
                e.source,
                e.time != null ? plausibleTime(parseTime(e.time)) : Optional.empty(),
                Optional.ofNullable(e.subject),
                e.tags,
                e.urls,
                e.prefixes,
                e.everything,
                e.mode == null ? Optional.empty() : mode(e.mode),
                e.targets,
                view(e.id, e.type, e.source.orElse(null), e.subject, e.time, e.data));
    }

    /**
     * The event as mapping-rule templates read it (absent fields null), or JSON null when this
     * parser's events carry no view.
     */
    private JsonNode view(
            String id, String type, String source, String subject, String time, JsonNode data) {
        if (!withView) {
            return NullNode.getInstance();
        }
        ObjectNode view = JsonNodeFactory.instance.objectNode();
        view.put("id", id).put("type", type);
        if (source != null) {
            view.put("source", source);
        }
        if (subject != null) {
            view.put("subject", subject);
        }
        if (time != null) {
            view.put("time", time);
        }
        if (data != null) {
            view.set("data", data);
        }
        return view;
    }

    /** Parses {@code value}; {@code what} names it in the cause (the record, or the data). */
    private JsonNode readJson(byte[] value, String what) throws InvalidEventException {
        if (value == null || value.length == 0) {
            throw new InvalidEventException(InvalidReason.NOT_JSON, what + " is empty");
        }
        JsonNode tree;
        try {
            tree = json.readTree(value);
        } catch (JsonProcessingException e) {
            throw new InvalidEventException(
                    InvalidReason.NOT_JSON, what + " is not JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new InvalidEventException(
                    InvalidReason.NOT_JSON, what + " is not JSON: " + e.getMessage());
        }
        if (tree == null || tree.isMissingNode()) {
            throw new InvalidEventException(InvalidReason.NOT_JSON, what + " holds no JSON value");
        }
        return tree;
    }

    private static String requiredText(JsonNode node, String field, InvalidReason reason)
            throws InvalidEventException {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            throw new InvalidEventException(reason, "missing required field '" + field + "'");
        }
        if (!v.isTextual() || v.asText().isEmpty()) {
            throw new InvalidEventException(
                    reason, "field '" + field + "' must be a non-empty string");
        }
        return v.asText();
    }

    private static Optional<String> optionalText(JsonNode node, String field)
            throws InvalidEventException {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return Optional.empty();
        }
        if (!v.isTextual()) {
            throw new InvalidEventException(
                    InvalidReason.INVALID_FIELD, "field '" + field + "' must be a string");
        }
        return Optional.of(v.asText());
    }

    // keeps now ± window inside Instant's range, whatever was configured
    private static Duration atMostACentury(Duration d) {
        Duration century = Duration.ofDays(36_525);
        return d.compareTo(century) > 0 ? century : d;
    }

    /**
     * The event's {@code time} when it lies within [now - max-event-age, now + max-clock-skew],
     * else empty: the event is purged all the same, but latency is measured from its receipt (see
     * {@code tagpurge.input.max-clock-skew}). Compared as instants, so no arithmetic on the
     * distance can overflow, whatever the year.
     */
    private Optional<Instant> plausibleTime(Instant time) {
        Instant now = clock.instant();
        if (time.isAfter(now.plus(maxClockSkew)) || time.isBefore(now.minus(maxEventAge))) {
            return Optional.empty();
        }
        return Optional.of(time);
    }

    private static Instant parseTime(String time) throws InvalidEventException {
        Instant common = EventTime.parseCommon(time);
        if (common != null) {
            return common;
        }
        try {
            return OffsetDateTime.parse(time).toInstant();
        } catch (DateTimeParseException e) {
            throw new InvalidEventException(
                    InvalidReason.INVALID_FIELD, "field 'time' is not RFC 3339: " + time);
        }
    }

    private static List<String> strings(JsonNode node, String field) throws InvalidEventException {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return List.of();
        }
        if (!v.isArray()) {
            throw new InvalidEventException(
                    InvalidReason.INVALID_FIELD, "field '" + field + "' must be an array");
        }
        List<String> out = new ArrayList<>(v.size());
        for (JsonNode item : v) {
            if (!item.isTextual()) {
                throw new InvalidEventException(
                        InvalidReason.INVALID_FIELD,
                        "field '" + field + "' must hold only strings");
            }
            out.add(item.asText());
        }
        return out;
    }

    private static boolean bool(JsonNode node, String field) throws InvalidEventException {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return false;
        }
        if (!v.isBoolean()) {
            throw new InvalidEventException(
                    InvalidReason.INVALID_FIELD, "field '" + field + "' must be a boolean");
        }
        return v.asBoolean();
    }

    private static Optional<PurgeMode> mode(JsonNode node) throws InvalidEventException {
        JsonNode v = node.get("mode");
        if (v == null || v.isNull()) {
            return Optional.empty();
        }
        return mode(v.asText());
    }

    private static Optional<PurgeMode> mode(String text) throws InvalidEventException {
        try {
            return Optional.of(PurgeMode.parse(text));
        } catch (IllegalArgumentException e) {
            throw new InvalidEventException(
                    InvalidReason.INVALID_FIELD, "field 'mode' " + e.getMessage());
        }
    }
}
