package dev.tagpurge.event;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The fields of a plain change event read token by token, without building the record's JSON tree:
 * only {@code data} becomes a tree, because mapping-rule templates read it. This is the common
 * case's path; it gives up ({@link #read} returns null) on anything it does not expect — a
 * CloudEvent's {@code specversion}, a field of another type than the envelope's, a field given
 * twice, malformed JSON, content after the object — and the parser then reads the record as a tree,
 * which decides and words the outcome exactly as before. So this path changes what an event costs,
 * never what it means. Without mapping rules not even {@code data} becomes a tree: it is read
 * through (a malformed one still sends the record to the tree path) and nothing keeps it.
 */
final class PlainEnvelope {

    String id;
    String type;
    Optional<String> source = Optional.empty();
    String subject;
    String time;
    String mode;
    List<String> tags = List.of();
    List<String> urls = List.of();
    List<String> prefixes = List.of();
    List<String> targets = List.of();
    boolean everything;

    /** {@code data} as given (a JSON null is {@link NullNode}), or null when absent. */
    JsonNode data;

    // the fields read so far, one bit each: a field given twice goes to the tree path
    private int seen;
    // set once something was found that the tree path must read
    private boolean refused;

    private final boolean withData;
    private final FrequentText frequent;

    private PlainEnvelope(boolean withData, FrequentText frequent) {
        this.withData = withData;
        this.frequent = frequent;
    }

    /**
     * The envelope in {@code value}, or null when the tree path must read it.
     *
     * @param withData whether {@code data} is built into a tree; without, it is only read through
     *     (so still refused when malformed) and {@link #data} stays null
     * @param frequent where {@code type} and {@code source} get their shared copies
     */
    static PlainEnvelope read(
            ObjectMapper json, byte[] value, boolean withData, FrequentText frequent) {
        if (value == null || value.length == 0) {
            return null;
        }
        try (JsonParser p = json.createParser(value)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            PlainEnvelope e = new PlainEnvelope(withData, frequent);
            String name;
            while (!e.refused && (name = p.nextFieldName()) != null) {
                e.field(json, p, name);
            }
            // the loop ends at the object's end, or at a token that is no field name
            boolean whole = p.currentToken() == JsonToken.END_OBJECT && p.nextToken() == null;
            // a missing id or type is the tree path's to refuse
            return e.refused || !whole || e.id == null || e.type == null ? null : e;
        } catch (IOException | RuntimeException malformed) {
            return null;
        }
    }

    /** Reads the value of field {@code name}. */
    private void field(ObjectMapper json, JsonParser p, String name) throws IOException {
        switch (name) {
            case "id" -> id = requiredText(p, 0);
            case "type" -> type = frequentText(p, 1);
            case "source" -> source = optionalFrequentText(p, 2);
            case "subject" -> subject = optionalText(p, 3);
            case "time" -> time = optionalText(p, 4);
            case "mode" -> mode = optionalText(p, 5);
            case "tags" -> tags = strings(p, 6);
            case "urls" -> urls = strings(p, 7);
            case "prefixes" -> prefixes = strings(p, 8);
            case "targets" -> targets = strings(p, 9);
            case "everything" -> everything = bool(p, 10);
            case "data" -> data = data(json, p, 11);
            // a structured CloudEvent: its purge fields live elsewhere
            case "specversion" -> refused = true;
            default -> {
                p.nextToken();
                p.skipChildren();
            }
        }
    }

    /** Notes field number {@code bit} as read; a second time refuses the record. */
    private void once(int bit) {
        refused |= (seen & 1 << bit) != 0;
        seen |= 1 << bit;
    }

    /** A non-empty string; anything else (a JSON null included) is the tree path's to refuse. */
    private String requiredText(JsonParser p, int bit) throws IOException {
        once(bit);
        String text = p.nextToken() == JsonToken.VALUE_STRING ? p.getText() : null;
        refused |= text == null || text.isEmpty();
        return text;
    }

    /** Like {@link #requiredText}, in its shared copy. */
    private String frequentText(JsonParser p, int bit) throws IOException {
        once(bit);
        boolean text = p.nextToken() == JsonToken.VALUE_STRING && p.getTextLength() > 0;
        refused |= !text;
        return text ? frequent.text(p) : null;
    }

    /** Like {@link #optionalText}, in the shared copy of its {@code Optional}. */
    private Optional<String> optionalFrequentText(JsonParser p, int bit) throws IOException {
        once(bit);
        JsonToken t = p.nextToken();
        refused |= t != JsonToken.VALUE_STRING && t != JsonToken.VALUE_NULL;
        return t == JsonToken.VALUE_STRING ? frequent.present(p) : Optional.empty();
    }

    /** A string, or null for a JSON null. */
    private String optionalText(JsonParser p, int bit) throws IOException {
        once(bit);
        JsonToken t = p.nextToken();
        refused |= t != JsonToken.VALUE_STRING && t != JsonToken.VALUE_NULL;
        return t == JsonToken.VALUE_STRING ? p.getText() : null;
    }

    /** An array of strings, empty for a JSON null. */
    private List<String> strings(JsonParser p, int bit) throws IOException {
        once(bit);
        JsonToken t = p.nextToken();
        if (t != JsonToken.START_ARRAY) {
            refused |= t != JsonToken.VALUE_NULL;
            return List.of();
        }
        List<String> out = new ArrayList<>(4);
        while ((t = p.nextToken()) == JsonToken.VALUE_STRING) {
            out.add(p.getText());
        }
        refused |= t != JsonToken.END_ARRAY;
        return out;
    }

    /** A boolean, false for a JSON null. */
    private boolean bool(JsonParser p, int bit) throws IOException {
        once(bit);
        JsonToken t = p.nextToken();
        refused |=
                t != JsonToken.VALUE_TRUE
                        && t != JsonToken.VALUE_FALSE
                        && t != JsonToken.VALUE_NULL;
        return t == JsonToken.VALUE_TRUE;
    }

    /** {@code data} as a tree: the one part of the record that mapping-rule templates read. */
    private JsonNode data(ObjectMapper json, JsonParser p, int bit) throws IOException {
        once(bit);
        if (!withData) {
            p.nextToken();
            p.skipChildren();
            return null;
        }
        JsonNode tree =
                p.nextToken() == JsonToken.VALUE_NULL ? NullNode.getInstance() : json.readTree(p);
        refused |= tree == null || tree.isMissingNode();
        return tree;
    }
}
