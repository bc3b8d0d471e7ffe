package dev.tagpurge.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.Yaml;

/**
 * The metrics that the shipped Grafana dashboard ({@value #DASHBOARD}) and Prometheus rules
 * ({@value #RULES}) query, so tests can check that each exists: {@link ReferencedMetricsTest}
 * against {@code MetricNames}, a test of the running service against {@code /q/metrics}.
 *
 * <p>Two views of a name. A <em>series</em> name is what a query selects and what a sample line of
 * the exposition starts with: {@code tagpurge_event_latency_seconds_bucket}, {@code
 * tagpurge_events_received_total}. A <em>base</em> name is its metric family, as the exposition's
 * {@code # TYPE} line names it once the counter's {@code _total} is dropped: {@code
 * tagpurge_event_latency_seconds}, {@code tagpurge_events_received}. Comparing series names with
 * the exposition's sample names is exact; comparing base names by prefix is not ({@code
 * tagpurge_selectors} is a prefix of {@code tagpurge_selectors_coalesced_total}), hence {@link
 * #missingFrom(String)}.
 *
 * <p>Series that the rules themselves record ({@code tagpurge:…}) and that Prometheus makes ({@code
 * up}) are not the service's and are left out.
 */
public final class ReferencedMetrics {

    /** The Grafana dashboard, relative to the project directory. */
    public static final String DASHBOARD = "deploy/grafana/tagpurge-dashboard.json";

    /** The Prometheus rule file, relative to the project directory. */
    public static final String RULES = "deploy/prometheus/tagpurge-rules.yaml";

    /**
     * Series that Prometheus itself makes ({@code up}, per scrape target): queried by the rules but
     * never in the service's exposition.
     */
    static final Set<String> PROMETHEUS_SERIES = Set.of("up");

    /**
     * Series the service exports only under some configuration, so an exposition of another may
     * lack them: the rate-limit fallback gauge exists only with {@code
     * tagpurge.ratelimit.shared=true}, CloudFront's budget gauge only for targets with {@code
     * monthly-budget-usd}.
     */
    static final Set<String> CONFIGURATION_DEPENDENT =
            Set.of("tagpurge_ratelimit_fallback", "tagpurge_cloudfront_budget_usd");

    /** Suffixes a family adds to its series: histogram and summary parts, the counter's total. */
    private static final List<String> SERIES_SUFFIXES =
            List.of("_bucket", "_count", "_sum", "_total");

    private static final Set<String> KEYWORDS =
            Set.of(
                    "by",
                    "without",
                    "on",
                    "ignoring",
                    "group_left",
                    "group_right",
                    "bool",
                    "and",
                    "or",
                    "unless",
                    "offset",
                    "atan2",
                    "inf",
                    "nan");

    private static final Pattern GRAFANA_VARIABLE =
            Pattern.compile("\\$\\{[^}]*}|\\$[A-Za-z_][A-Za-z0-9_]*");
    private static final Pattern STRING =
            Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"|'(?:[^'\\\\]|\\\\.)*'|`[^`]*`");
    private static final Pattern LABEL_MATCHERS = Pattern.compile("\\{[^}]*}");
    private static final Pattern RANGE = Pattern.compile("\\[[^]]*]");
    private static final Pattern GROUPING =
            Pattern.compile("\\b(?:by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)");
    private static final Pattern IDENTIFIER =
            Pattern.compile("(?<![A-Za-z0-9_:.])[A-Za-z_:][A-Za-z0-9_:]*");
    private static final Pattern LABEL_VALUES =
            Pattern.compile("^\\s*label_values\\((.*),\\s*[A-Za-z_][A-Za-z0-9_]*\\s*\\)\\s*$");

    private ReferencedMetrics() {}

    /** Series names queried by the dashboard and the rules, recorded series excluded. */
    public static Set<String> seriesNames() {
        return seriesNames(Path.of(DASHBOARD), Path.of(RULES));
    }

    /** Base (family) names of {@link #seriesNames()}. */
    public static Set<String> baseNames() {
        Set<String> bases = new TreeSet<>();
        seriesNames().forEach(series -> bases.add(baseName(series)));
        return bases;
    }

    /**
     * The family of a series: without {@code _bucket}, {@code _count}, {@code _sum} or {@code
     * _total}. A gauge whose own name ends so would lose a part that is its own; none of the
     * referenced ones does, and {@link ReferencedMetricsTest} would flag one as unknown.
     */
    public static String baseName(String series) {
        for (String suffix : SERIES_SUFFIXES) {
            if (series.endsWith(suffix)) {
                return series.substring(0, series.length() - suffix.length());
            }
        }
        return series;
    }

    /** The sample names of a Prometheus text exposition such as {@code /q/metrics} returns. */
    public static Set<String> exposedSeries(String exposition) {
        Set<String> names = new TreeSet<>();
        for (String line : exposition.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            Matcher name = IDENTIFIER.matcher(line);
            if (name.lookingAt()) {
                names.add(name.group());
            }
        }
        return names;
    }

    /**
     * The referenced series that have no sample in the exposition, leaving out those that exist
     * only under another configuration ({@link #CONFIGURATION_DEPENDENT}).
     */
    public static Set<String> missingFrom(String exposition) {
        Set<String> missing = new TreeSet<>(seriesNames());
        missing.removeAll(exposedSeries(exposition));
        missing.removeAll(CONFIGURATION_DEPENDENT);
        return missing;
    }

    static Set<String> seriesNames(Path dashboard, Path rules) {
        Set<String> names = new TreeSet<>();
        dashboardQueries(dashboard).forEach(query -> names.addAll(namesIn(query)));
        ruleExpressions(rules).forEach(expr -> names.addAll(namesIn(expr)));
        names.removeAll(recordedNames(rules));
        names.removeAll(PROMETHEUS_SERIES);
        return names;
    }

    /**
     * The metric names a PromQL expression (or Grafana's {@code label_values(metric, label)})
     * selects: identifiers that are not functions, keywords, label names, strings or durations.
     */
    static Set<String> namesIn(String query) {
        Matcher labelValues = LABEL_VALUES.matcher(query);
        String expr = labelValues.matches() ? labelValues.group(1) : query;
        expr = GRAFANA_VARIABLE.matcher(expr).replaceAll("");
        expr = STRING.matcher(expr).replaceAll("\"\"");
        expr = LABEL_MATCHERS.matcher(expr).replaceAll(" ");
        expr = RANGE.matcher(expr).replaceAll(" ");
        expr = GROUPING.matcher(expr).replaceAll(" ");
        Set<String> names = new TreeSet<>();
        Matcher identifier = IDENTIFIER.matcher(expr);
        while (identifier.find()) {
            String name = identifier.group();
            if (!KEYWORDS.contains(name) && !isCall(expr, identifier.end())) {
                names.add(name);
            }
        }
        return names;
    }

    private static boolean isCall(String expr, int end) {
        int i = end;
        while (i < expr.length() && Character.isWhitespace(expr.charAt(i))) {
            i++;
        }
        return i < expr.length() && expr.charAt(i) == '(';
    }

    /** Every {@code expr} of the dashboard's panels and every templating query. */
    static List<String> dashboardQueries(Path dashboard) {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(dashboard.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> queries = new ArrayList<>();
        collectExprs(root.path("panels"), queries);
        for (JsonNode variable : root.path("templating").path("list")) {
            if ("query".equals(variable.path("type").asText())) {
                JsonNode query = variable.path("query");
                queries.add(query.isObject() ? query.path("query").asText() : query.asText());
            }
        }
        return queries;
    }

    private static void collectExprs(JsonNode node, List<String> queries) {
        if (node.isObject()) {
            node.properties()
                    .forEach(
                            field -> {
                                if (field.getKey().equals("expr") && field.getValue().isTextual()) {
                                    queries.add(field.getValue().asText());
                                } else {
                                    collectExprs(field.getValue(), queries);
                                }
                            });
        } else if (node.isArray()) {
            node.forEach(child -> collectExprs(child, queries));
        }
    }

    /** Every {@code expr} and templating query of a dashboard, for tests in other packages. */
    public static List<String> dashboardQueriesOf(Path dashboard) {
        return dashboardQueries(dashboard);
    }

    /** Every rule's {@code expr} of a rule file, for tests in other packages. */
    public static List<String> ruleExpressionsOf(Path rules) {
        return ruleExpressions(rules);
    }

    /** Every rule's {@code expr}, recording and alerting. */
    static List<String> ruleExpressions(Path rules) {
        List<String> exprs = new ArrayList<>();
        rules(rules).forEach(rule -> exprs.add(String.valueOf(rule.get("expr"))));
        return exprs;
    }

    /** The series the rule file records itself. */
    static Set<String> recordedNames(Path rules) {
        Set<String> recorded = new TreeSet<>();
        rules(rules).stream()
                .filter(rule -> rule.containsKey("record"))
                .forEach(rule -> recorded.add(String.valueOf(rule.get("record"))));
        return recorded;
    }

    /** The rules of every group of a Prometheus rule file, in order. */
    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> rules(Path rules) {
        Map<String, Object> file;
        try {
            file = new Yaml().load(Files.readString(rules));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<Map<String, Object>> all = new ArrayList<>();
        for (Map<String, Object> group : (List<Map<String, Object>>) file.get("groups")) {
            all.addAll((List<Map<String, Object>>) group.get("rules"));
        }
        return all;
    }
}
