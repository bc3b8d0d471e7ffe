package dev.tagpurge.fault;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;

/**
 * Records an upstream service could publish by mistake or malice. Each must end in a dead letter or
 * a completion, and none may stop its partition or purge more than it names.
 */
final class HostileCorpus {

    /**
     * One hostile record.
     *
     * @param name what is hostile about it, for the report
     * @param value the record value (null: a tombstone)
     * @param ids the event ids a completion of it may carry (empty when it has none)
     */
    record Hostile(String name, byte[] value, Set<String> ids) {}

    /** The type the templated rule matches: its template names {@code data.id}. */
    static final String TEMPLATED_TYPE = "templated.updated";

    private HostileCorpus() {}

    static List<Hostile> all(String run) {
        List<Hostile> c = new ArrayList<>();
        add(c, run, "time-min", "\"time\":\"0001-01-01T00:00:00Z\",\"tags\":[\"h\"]");
        add(c, run, "time-max", "\"time\":\"9999-12-31T23:59:59Z\",\"tags\":[\"h\"]");
        add(c, run, "prefix-empty", "\"prefixes\":[\"\"]");
        add(c, run, "prefix-slash", "\"prefixes\":[\"/\"]");
        add(c, run, "prefix-star", "\"prefixes\":[\"*\"]");
        add(c, run, "url-dot-segments", urls("https://example.com/../../service/x/purge_all"));
        add(c, run, "url-query", urls("https://example.com/a?b=1&c=/../purge_all"));
        add(c, run, "url-fragment", urls("https://example.com/a#/../../purge_all"));
        add(c, run, "url-percent", urls("https://example.com/a%zz%"));
        add(
                c,
                run,
                "url-encoded-dots",
                urls("https://example.com/%2e%2e/%2e%2e/service/x/purge_all"));
        add(c, run, "url-crlf", urls("https://example.com/a\\r\\nFastly-Key: stolen\\r\\n"));
        raw(c, "not-json", "{this is not json");
        raw(c, "json-null", "null");
        raw(c, "json-array", "[1,2,3]");
        raw(c, "json-number", "42");
        add(c, run, "nested-1000", "\"tags\":[\"h\"],\"data\":{\"x\":" + nested(1000) + "}");
        c.add(
                json(
                        "id-10000",
                        "{\"id\":\"" + "i".repeat(10_000) + "\",\"type\":\"hostile.updated\"}",
                        "i".repeat(10_000)));
        add(c, run, "number-1e999999", "\"tags\":[\"h\"],\"data\":{\"n\":1e999999}");
        raw(c, "empty-object", "{}");
        c.add(new Hostile("null-value", null, Set.of()));
        c.add(nonUtf8(run));
        c.add(dataBase64(run));
        add(c, run, "everything", "\"everything\":true");
        add(c, run, "tag-2000", "\"tags\":[\"" + "t".repeat(2000) + "\"]");
        add(c, run, "tags-1001", "\"tags\":" + manyTags(1001));
        String templated = run + "-template-missing";
        c.add(
                json(
                        "template-field-missing",
                        "{\"id\":\""
                                + templated
                                + "\",\"type\":\""
                                + TEMPLATED_TYPE
                                + "\",\"data\":{}}",
                        templated));
        String first = run + "-dup-first";
        String second = run + "-dup-second";
        c.add(
                json(
                        "duplicate-keys",
                        "{\"id\":\""
                                + first
                                + "\",\"type\":\"hostile.updated\",\"id\":\""
                                + second
                                + "\",\"tags\":[\"h\"],\"tags\":[\"h2\"]}",
                        first,
                        second));
        return c;
    }

    private static void add(List<Hostile> c, String run, String name, String fields) {
        String id = run + "-" + name;
        c.add(
                json(
                        name,
                        "{\"id\":\"" + id + "\",\"type\":\"hostile.updated\"," + fields + "}",
                        id));
    }

    private static void raw(List<Hostile> c, String name, String value) {
        c.add(new Hostile(name, value.getBytes(StandardCharsets.UTF_8), Set.of()));
    }

    private static Hostile json(String name, String value, String... ids) {
        return new Hostile(name, value.getBytes(StandardCharsets.UTF_8), Set.of(ids));
    }

    private static String urls(String url) {
        return "\"urls\":[\"" + url + "\"]";
    }

    private static String nested(int depth) {
        return "[".repeat(depth) + "]".repeat(depth);
    }

    private static String manyTags(int n) {
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < n; i++) {
            b.append(i == 0 ? "" : ",").append("\"many-").append(i).append('"');
        }
        return b.append(']').toString();
    }

    /** A JSON envelope whose tag holds bytes that are not UTF-8 (0xFF 0xFE). */
    private static Hostile nonUtf8(String run) {
        String id = run + "-non-utf8";
        byte[] head =
                ("{\"id\":\"" + id + "\",\"type\":\"hostile.updated\",\"tags\":[\"x")
                        .getBytes(StandardCharsets.UTF_8);
        byte[] tail = "\"]}".getBytes(StandardCharsets.UTF_8);
        byte[] value = new byte[head.length + 2 + tail.length];
        System.arraycopy(head, 0, value, 0, head.length);
        value[head.length] = (byte) 0xFF;
        value[head.length + 1] = (byte) 0xFE;
        System.arraycopy(tail, 0, value, head.length + 2, tail.length);
        return new Hostile("non-utf8", value, Set.of(id));
    }

    /** A structured CloudEvent carrying its data as {@code data_base64} instead of {@code data}. */
    private static Hostile dataBase64(String run) {
        String id = run + "-data-base64";
        String data =
                Base64.getEncoder()
                        .encodeToString("{\"tags\":[\"b64\"]}".getBytes(StandardCharsets.UTF_8));
        return json(
                "cloudevent-data-base64",
                "{\"specversion\":\"1.0\",\"id\":\""
                        + id
                        + "\",\"type\":\"hostile.updated\",\"source\":\"/fault\","
                        + "\"datacontenttype\":\"application/json\",\"data_base64\":\""
                        + data
                        + "\"}",
                id);
    }
}
