package dev.tagpurge.mapping;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * A template such as {@code product-{data.id}} or {@code category-{data.categoryIds[*]}}: literal
 * text with placeholders naming fields of the event view. A placeholder path is dot-separated;
 * {@code [*]} expands an array into one output per element and {@code [n]} picks one element.
 * Several expanding placeholders yield their cartesian product.
 */
public final class SelectorTemplate {

    private final String source;
    private final List<Part> parts;

    private SelectorTemplate(String source, List<Part> parts) {
        this.source = source;
        this.parts = parts;
    }

    /** Parses a template; a malformed one fails start-up with the template in the message. */
    public static SelectorTemplate parse(String template) {
        List<Part> parts = new ArrayList<>();
        int i = 0;
        while (i < template.length()) {
            int open = template.indexOf('{', i);
            if (open < 0) {
                parts.add(new Literal(template.substring(i)));
                break;
            }
            int close = template.indexOf('}', open);
            if (close < 0) {
                throw new IllegalArgumentException("unclosed '{' in template: " + template);
            }
            if (open > i) {
                parts.add(new Literal(template.substring(i, open)));
            }
            parts.add(Placeholder.parse(template.substring(open + 1, close), template));
            i = close + 1;
        }
        return new SelectorTemplate(template, List.copyOf(parts));
    }

    /**
     * Renders the template over an event view, unless it would yield more than {@code limit}
     * selectors: the size of the cartesian product is computed from each placeholder's distinct
     * values before any output is built, so {@code {data.a[*]}-{data.b[*]}} over two arrays of a
     * million elements is refused without allocating 10^12 strings.
     *
     * @throws MissingFieldException when a placeholder names a field the event lacks
     * @throws TooManySelectorsException when the product exceeds {@code limit}
     */
    public List<String> render(JsonNode view, long limit)
            throws MissingFieldException, TooManySelectorsException {
        List<List<String>> valuesByPart = new ArrayList<>(parts.size());
        long product = 1;
        for (Part part : parts) {
            List<String> values = List.copyOf(new LinkedHashSet<>(part.values(view, source)));
            valuesByPart.add(values);
            product = saturatedProduct(product, values.size());
        }
        if (product > limit) {
            throw new TooManySelectorsException(source, product, limit);
        }
        List<StringBuilder> outputs = new ArrayList<>(List.of(new StringBuilder()));
        for (List<String> values : valuesByPart) {
            List<StringBuilder> next = new ArrayList<>(outputs.size() * values.size());
            for (StringBuilder prefix : outputs) {
                for (String v : values) {
                    next.add(new StringBuilder(prefix).append(v));
                }
            }
            outputs = next;
        }
        return outputs.stream().map(StringBuilder::toString).toList();
    }

    // a × b, or Long.MAX_VALUE where it would overflow (both are counts, never negative)
    static long saturatedProduct(long a, long b) {
        long high = Math.multiplyHigh(a, b);
        long low = a * b;
        return high != 0 || low < 0 ? Long.MAX_VALUE : low;
    }

    @Override
    public String toString() {
        return source;
    }

    private sealed interface Part permits Literal, Placeholder {
        List<String> values(JsonNode view, String template) throws MissingFieldException;
    }

    private record Literal(String text) implements Part {
        @Override
        public List<String> values(JsonNode view, String template) {
            return List.of(text);
        }
    }

    /** One path segment: a field name, optionally indexed ({@code -1} = every element). */
    private record Segment(String field, Integer index) {}

    private record Placeholder(String path, List<Segment> segments) implements Part {

        static Placeholder parse(String path, String template) {
            List<Segment> segments = new ArrayList<>();
            for (String raw : path.split("\\.")) {
                int bracket = raw.indexOf('[');
                if (raw.isBlank() || bracket == 0) {
                    throw new IllegalArgumentException(
                            "bad placeholder {" + path + "} in template: " + template);
                }
                if (bracket < 0) {
                    segments.add(new Segment(raw, null));
                    continue;
                }
                String inner = raw.substring(bracket + 1, raw.length() - 1);
                if (!raw.endsWith("]") || !(inner.equals("*") || inner.matches("\\d+"))) {
                    throw new IllegalArgumentException(
                            "bad index in {" + path + "} in template: " + template);
                }
                segments.add(
                        new Segment(
                                raw.substring(0, bracket),
                                inner.equals("*") ? -1 : Integer.parseInt(inner)));
            }
            return new Placeholder(path, List.copyOf(segments));
        }

        @Override
        public List<String> values(JsonNode view, String template) throws MissingFieldException {
            List<JsonNode> nodes = List.of(view);
            for (Segment s : segments) {
                List<JsonNode> next = new ArrayList<>();
                for (JsonNode n : nodes) {
                    JsonNode child = n.get(s.field());
                    if (child == null || child.isNull()) {
                        throw new MissingFieldException(path, template);
                    }
                    next.addAll(select(child, s, template));
                }
                nodes = next;
            }
            List<String> out = new ArrayList<>(nodes.size());
            for (JsonNode n : nodes) {
                if (!n.isValueNode()) {
                    throw new MissingFieldException(path, template);
                }
                out.add(n.asText());
            }
            return out;
        }

        private List<JsonNode> select(JsonNode child, Segment s, String template)
                throws MissingFieldException {
            if (s.index() == null) {
                return List.of(child);
            }
            if (!child.isArray()) {
                throw new MissingFieldException(path, template);
            }
            if (s.index() >= 0) {
                JsonNode element = child.get(s.index());
                if (element == null) {
                    throw new MissingFieldException(path, template);
                }
                return List.of(element);
            }
            List<JsonNode> all = new ArrayList<>(child.size());
            child.forEach(all::add);
            return all;
        }
    }
}
