package dev.tagpurge.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tagpurge.domain.NormalizedUrl;
import dev.tagpurge.domain.PurgeMode;
import dev.tagpurge.domain.SelectorKind;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Reads and validates the body of {@code POST /api/purges}. Every bad field is named, not just the
 * first, so a form can mark them all; a value is never echoed back in full (it may be long).
 *
 * <p>Rules: exactly one of {@code tags}, {@code urls}, {@code prefixes} (non-empty lists of
 * non-blank strings) or {@code everything: true}; exactly one of {@code targets} (known names) or
 * {@code scope} ({@code redis}, {@code cdn}, {@code all}); {@code mode} {@code soft} or {@code
 * hard} (default hard); {@code ticket} matching the configured pattern; {@code reason} of at least
 * {@value #MIN_REASON} characters; {@code dryRun} a boolean; {@code confirm} a string. A prefix
 * that reduces to a site's root is everything in all but name and is refused as a prefix.
 */
public final class OrderParser {

    /** Shortest reason accepted, in characters (after trimming). */
    public static final int MIN_REASON = 10;

    /** Longest reason, ticket or confirm kept. */
    static final int MAX_TEXT = 2000;

    /** Longest tag, URL or prefix. */
    static final int MAX_VALUE = 4096;

    /** Most values in one request, whatever the role: a request is not a bulk import. */
    public static final int MAX_VALUES = 10_000;

    private static final ObjectMapper JSON = new ObjectMapper();

    private static final Set<String> FIELDS =
            Set.of(
                    "tags",
                    "urls",
                    "prefixes",
                    "everything",
                    "targets",
                    "scope",
                    "mode",
                    "ticket",
                    "reason",
                    "dryRun",
                    "confirm");

    private final Map<String, String> providers;
    private final Pattern ticket;

    /**
     * @param providers every enabled target's provider, by target name
     * @param ticketPattern what a ticket must match, whole
     */
    public OrderParser(Map<String, String> providers, Pattern ticketPattern) {
        this.providers = Map.copyOf(providers);
        this.ticket = ticketPattern;
    }

    /** The outcome of parsing: an order, or the errors of every bad field. */
    public sealed interface Parsed {}

    /** A valid order. */
    public record Valid(PurgeOrder order) implements Parsed {}

    /**
     * An invalid request.
     *
     * @param partial what could be read of it, for the audit record (fields may be missing)
     */
    public record Invalid(List<FieldError> errors, Map<String, Object> partial) implements Parsed {}

    public Parsed parse(String body) {
        List<FieldError> errors = new ArrayList<>();
        JsonNode root;
        try {
            root = body == null || body.isBlank() ? null : JSON.readTree(body);
        } catch (JsonProcessingException e) {
            errors.add(
                    new FieldError(
                            "body",
                            "not valid JSON (line "
                                    + e.getLocation().getLineNr()
                                    + ", column "
                                    + e.getLocation().getColumnNr()
                                    + ")"));
            return new Invalid(errors, Map.of());
        }
        if (root == null || !root.isObject()) {
            errors.add(new FieldError("body", "must be a JSON object"));
            return new Invalid(errors, Map.of());
        }
        for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (!FIELDS.contains(name)) {
                errors.add(new FieldError(shorten(name, 64), "unknown field"));
            }
        }
        Map<String, Object> partial = new LinkedHashMap<>();

        // what to purge
        List<SelectorKind> kinds = new ArrayList<>();
        List<String> values = List.of();
        for (SelectorKind kind : List.of(SelectorKind.TAG, SelectorKind.URL, SelectorKind.PREFIX)) {
            JsonNode node = root.get(field(kind));
            if (node == null || node.isNull()) {
                continue;
            }
            kinds.add(kind);
            values = stringList(node, field(kind), errors, kind);
            partial.put(field(kind), values);
        }
        JsonNode everything = root.get("everything");
        if (everything != null && !everything.isNull()) {
            if (!everything.isBoolean()) {
                errors.add(new FieldError("everything", "must be true or false"));
            } else if (everything.booleanValue()) {
                kinds.add(SelectorKind.EVERYTHING);
                partial.put("everything", true);
            }
        }
        if (kinds.isEmpty()) {
            errors.add(
                    new FieldError(
                            "tags", "one of tags, urls, prefixes or everything is required"));
        } else if (kinds.size() > 1) {
            for (SelectorKind k : kinds) {
                errors.add(
                        new FieldError(
                                field(k),
                                "only one of tags, urls, prefixes or everything per request"));
            }
        }

        // where
        List<String> targets = List.of();
        Optional<String> scope = Optional.empty();
        JsonNode targetsNode = root.get("targets");
        JsonNode scopeNode = root.get("scope");
        boolean hasTargets = targetsNode != null && !targetsNode.isNull();
        boolean hasScope = scopeNode != null && !scopeNode.isNull();
        if (hasTargets && hasScope) {
            errors.add(new FieldError("targets", "give targets or scope, not both"));
            errors.add(new FieldError("scope", "give targets or scope, not both"));
        } else if (!hasTargets && !hasScope) {
            errors.add(
                    new FieldError(
                            "scope", "targets (names) or scope (redis, cdn or all) is required"));
        } else if (hasTargets) {
            List<String> named = stringList(targetsNode, "targets", errors, null);
            partial.put("targets", named);
            Set<String> sorted = new TreeSet<>();
            for (String name : named) {
                if (!providers.containsKey(name)) {
                    errors.add(
                            new FieldError(
                                    "targets",
                                    "unknown target '"
                                            + shorten(name, 64)
                                            + "'; known: "
                                            + String.join(
                                                    ", ", new TreeSet<>(providers.keySet()))));
                }
                sorted.add(name);
            }
            targets = List.copyOf(sorted);
        } else if (!scopeNode.isTextual()) {
            errors.add(new FieldError("scope", "must be redis, cdn or all"));
        } else {
            String s = scopeNode.textValue();
            partial.put("scope", shorten(s, 64));
            List<String> inScope = inScope(s);
            if (inScope == null) {
                errors.add(new FieldError("scope", "must be redis, cdn or all"));
            } else if (inScope.isEmpty()) {
                errors.add(new FieldError("scope", "no enabled target is in scope " + s));
            } else {
                scope = Optional.of(s);
                targets = inScope;
            }
        }

        PurgeMode mode = PurgeMode.HARD;
        JsonNode modeNode = root.get("mode");
        if (modeNode != null && !modeNode.isNull()) {
            String m = modeNode.isTextual() ? modeNode.textValue().toLowerCase(Locale.ROOT) : "";
            switch (m) {
                case "soft" -> mode = PurgeMode.SOFT;
                case "hard" -> mode = PurgeMode.HARD;
                default -> errors.add(new FieldError("mode", "must be soft or hard"));
            }
        }

        String ticketValue = text(root, "ticket", errors);
        if (ticketValue != null) {
            partial.put("ticket", shorten(ticketValue, 128));
            if (ticketValue.isBlank()) {
                errors.add(new FieldError("ticket", "is required"));
            } else if (!ticket.matcher(ticketValue).matches()) {
                errors.add(
                        new FieldError(
                                "ticket", "must match " + ticket.pattern() + " (e.g. OPS-1234)"));
            }
        } else if (!root.has("ticket") || root.get("ticket").isNull()) {
            errors.add(new FieldError("ticket", "is required"));
        }

        String reason = text(root, "reason", errors);
        if (reason != null) {
            partial.put("reason", shorten(reason, MAX_TEXT));
            if (reason.strip().length() < MIN_REASON) {
                errors.add(
                        new FieldError(
                                "reason",
                                "must say why, in at least " + MIN_REASON + " characters"));
            } else if (reason.length() > MAX_TEXT) {
                errors.add(new FieldError("reason", "at most " + MAX_TEXT + " characters"));
            }
        } else if (!root.has("reason") || root.get("reason").isNull()) {
            errors.add(new FieldError("reason", "is required"));
        }

        boolean dryRun = false;
        JsonNode dry = root.get("dryRun");
        if (dry != null && !dry.isNull()) {
            if (dry.isBoolean()) {
                dryRun = dry.booleanValue();
                partial.put("dryRun", dryRun);
            } else {
                errors.add(new FieldError("dryRun", "must be true or false"));
            }
        }
        String confirm = text(root, "confirm", errors);
        if (confirm != null && confirm.length() > MAX_TEXT) {
            errors.add(new FieldError("confirm", "at most " + MAX_TEXT + " characters"));
        }

        if (!errors.isEmpty()) {
            return new Invalid(errors, partial);
        }
        SelectorKind kind = kinds.get(0);
        return new Valid(
                new PurgeOrder(
                        kind,
                        kind == SelectorKind.EVERYTHING ? List.of() : values,
                        targets,
                        scope,
                        mode,
                        ticketValue,
                        reason.strip(),
                        dryRun,
                        Optional.ofNullable(confirm)));
    }

    /**
     * The enabled targets of a scope, sorted: {@code redis} the Redis targets, {@code cdn} the
     * others, {@code all} every one; null for an unknown scope.
     */
    List<String> inScope(String scope) {
        return switch (scope) {
            case "redis" -> names(true);
            case "cdn" -> names(false);
            case "all" -> List.copyOf(new TreeSet<>(providers.keySet()));
            default -> null;
        };
    }

    private List<String> names(boolean redis) {
        return providers.entrySet().stream()
                .filter(e -> "redis".equals(e.getValue()) == redis)
                .map(Map.Entry::getKey)
                .sorted()
                .toList();
    }

    static String field(SelectorKind kind) {
        return switch (kind) {
            case TAG -> "tags";
            case URL -> "urls";
            case PREFIX -> "prefixes";
            case EVERYTHING -> "everything";
        };
    }

    private static List<String> stringList(
            JsonNode node, String field, List<FieldError> errors, SelectorKind kind) {
        if (!node.isArray()) {
            errors.add(new FieldError(field, "must be a list of strings"));
            return List.of();
        }
        if (node.isEmpty()) {
            errors.add(new FieldError(field, "must not be empty"));
            return List.of();
        }
        if (node.size() > MAX_VALUES) {
            errors.add(new FieldError(field, "at most " + MAX_VALUES + " values per request"));
            return List.of();
        }
        List<String> out = new ArrayList<>(node.size());
        for (int i = 0; i < node.size(); i++) {
            JsonNode item = node.get(i);
            String at = field + "[" + i + "]";
            if (!item.isTextual() || item.textValue().isBlank()) {
                errors.add(new FieldError(at, "must be a non-blank string"));
                continue;
            }
            String value = item.textValue().strip();
            if (value.length() > MAX_VALUE) {
                errors.add(new FieldError(at, "at most " + MAX_VALUE + " characters"));
                continue;
            }
            if (kind == SelectorKind.URL && !isAbsoluteHttp(value)) {
                errors.add(new FieldError(at, "must be an absolute http(s) URL"));
                continue;
            }
            if (kind == SelectorKind.PREFIX && NormalizedUrl.isRootPrefix(value)) {
                errors.add(
                        new FieldError(
                                at,
                                "is a whole site's root: that is everything, which needs"
                                        + " everything:true, the purge-admin role and confirm"));
                continue;
            }
            if (!out.contains(value)) {
                out.add(value);
            }
        }
        return out;
    }

    private static boolean isAbsoluteHttp(String value) {
        String lower = value.toLowerCase(Locale.ROOT);
        return (lower.startsWith("https://") || lower.startsWith("http://"))
                && NormalizedUrl.hostOf(value).isPresent();
    }

    private static String text(JsonNode root, String field, List<FieldError> errors) {
        JsonNode node = root.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isTextual()) {
            errors.add(new FieldError(field, "must be a string"));
            return null;
        }
        return node.textValue();
    }

    static String shorten(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max) + "…";
    }
}
