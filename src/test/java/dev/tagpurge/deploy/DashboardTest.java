package dev.tagpurge.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Grafana dashboard is importable anywhere (its Prometheus datasource is a variable), has the
 * rows SREs look for, and every panel queries through that datasource on a tidy grid.
 */
class DashboardTest {

    private static final String DATASOURCE = "${DS_PROMETHEUS}";

    private static JsonNode dashboard;

    @BeforeAll
    static void load() throws Exception {
        dashboard = new ObjectMapper().readTree(new File(ReferencedMetrics.DASHBOARD));
    }

    @Test
    void hasTheDatasourceNamespaceJobInstanceAndTargetVariables() {
        List<String> names = new ArrayList<>();
        for (JsonNode variable : dashboard.path("templating").path("list")) {
            names.add(variable.path("name").asText());
            if (variable.path("name").asText().equals("DS_PROMETHEUS")) {
                assertThat(variable.path("type").asText()).isEqualTo("datasource");
                assertThat(variable.path("query").asText()).isEqualTo("prometheus");
            } else {
                assertThat(variable.path("type").asText()).isEqualTo("query");
                assertThat(variable.path("datasource").path("uid").asText()).isEqualTo(DATASOURCE);
                assertThat(variable.path("includeAll").asBoolean()).isTrue();
            }
        }
        assertThat(names)
                .containsExactly("DS_PROMETHEUS", "namespace", "job", "instance", "target");
        JsonNode job = variable("job");
        assertThat(job.path("query").path("query").asText()).startsWith("label_values(tagpurge_");
        assertThat(job.path("allValue").isMissingNode() || job.path("allValue").isNull())
                .as("All is the Tagpurge jobs found, never .* (every job of the Prometheus)")
                .isTrue();
        assertThat(dashboard.path("uid").asText()).isEqualTo("tagpurge");
    }

    @Test
    void hasTheRowsInOrder() {
        List<String> rows = new ArrayList<>();
        for (JsonNode panel : dashboard.path("panels")) {
            if (panel.path("type").asText().equals("row")) {
                rows.add(panel.path("title").asText());
            }
        }
        assertThat(rows).containsExactly("Intake", "Coalescing", "Providers", "Delivery", "JVM");
    }

    @Test
    void everyPanelQueriesThroughTheDatasourceVariable() {
        Set<Integer> ids = new HashSet<>();
        for (JsonNode panel : dashboard.path("panels")) {
            assertThat(ids.add(panel.path("id").asInt())).as("unique panel id").isTrue();
            if (panel.path("type").asText().equals("row")) {
                continue;
            }
            String title = panel.path("title").asText();
            assertThat(panel.path("datasource").path("uid").asText())
                    .as(title)
                    .isEqualTo(DATASOURCE);
            assertThat(panel.path("description").asText()).as(title).isNotBlank();
            assertThat(panel.path("targets")).as(title).isNotEmpty();
            for (JsonNode target : panel.path("targets")) {
                assertThat(target.path("datasource").path("uid").asText()).isEqualTo(DATASOURCE);
                assertThat(target.path("expr").asText()).as(title).isNotBlank();
            }
        }
    }

    /**
     * A shared Prometheus holds other applications' JVM and Kafka client series under the same
     * names: every selector of every panel carries the namespace and job matchers.
     */
    @Test
    void everySelectorOfEveryPanelCarriesTheNamespaceAndJobMatchers() {
        List<String> queries =
                ReferencedMetrics.dashboardQueries(Path.of(ReferencedMetrics.DASHBOARD));
        assertThat(queries).hasSizeGreaterThan(30);
        for (String expr : queries) {
            for (String name : ReferencedMetrics.namesIn(expr)) {
                Matcher selector =
                        Pattern.compile("(?<![A-Za-z0-9_:])" + Pattern.quote(name) + "(\\{[^}]*})?")
                                .matcher(expr);
                while (selector.find()) {
                    if (expr.startsWith("label_values(" + name + ",")) {
                        continue; // the first variable: namespaces to choose from
                    }
                    assertThat(selector.group(1))
                            .as("%s in %s", name, expr)
                            .isNotNull()
                            .contains("namespace=~\"$namespace\"");
                    if (!expr.contains(", job)")) {
                        assertThat(selector.group(1)).as(expr).contains("job=~\"$job\"");
                    }
                }
            }
        }
    }

    @Test
    void eventRatesAreOperationsNotRequestsAndTheFallbackAndLagAreDrawn() {
        for (String title : List.of("Events received", "Invalid events", "Unmatched events")) {
            assertThat(panel(title).path("fieldConfig").path("defaults").path("unit").asText())
                    .as(title)
                    .isEqualTo("ops");
        }
        assertThat(panel("Rate-limit fallback").path("targets").findValuesAsText("expr"))
                .anySatisfy(e -> assertThat(e).contains("tagpurge_ratelimit_fallback{"));
        assertThat(panel("Consumer lag").path("targets").findValuesAsText("expr"))
                .allSatisfy(e -> assertThat(e).startsWith("max by (topic) (tagpurge_consumer_"))
                .noneSatisfy(e -> assertThat(e).contains("kafka_consumer"));
    }

    private static JsonNode panel(String title) {
        for (JsonNode panel : dashboard.path("panels")) {
            if (panel.path("title").asText().equals(title)) {
                return panel;
            }
        }
        throw new AssertionError("no panel " + title);
    }

    private static JsonNode variable(String name) {
        for (JsonNode variable : dashboard.path("templating").path("list")) {
            if (variable.path("name").asText().equals(name)) {
                return variable;
            }
        }
        throw new AssertionError("no variable " + name);
    }

    @Test
    void panelsSitOnTheGridWithoutOverlapping() {
        List<int[]> boxes = new ArrayList<>();
        for (JsonNode panel : dashboard.path("panels")) {
            JsonNode pos = panel.path("gridPos");
            int[] box = {
                pos.path("x").asInt(),
                pos.path("y").asInt(),
                pos.path("w").asInt(),
                pos.path("h").asInt()
            };
            assertThat(box[0] + box[2]).as(panel.path("title").asText()).isLessThanOrEqualTo(24);
            for (int[] other : boxes) {
                boolean apart =
                        box[0] >= other[0] + other[2]
                                || other[0] >= box[0] + box[2]
                                || box[1] >= other[1] + other[3]
                                || other[1] >= box[1] + box[3];
                assertThat(apart).as(panel.path("title").asText() + " overlaps").isTrue();
            }
            boxes.add(box);
        }
    }

    @Test
    void theLatencyPanelDrawsTheSloLine() {
        JsonNode latency = null;
        for (JsonNode panel : dashboard.path("panels")) {
            if (panel.path("title").asText().equals("Event latency vs SLO")) {
                latency = panel;
            }
        }
        assertThat(latency).isNotNull();
        JsonNode defaults = latency.path("fieldConfig").path("defaults");
        assertThat(defaults.path("thresholds").path("steps").findValuesAsText("value"))
                .contains("60");
        assertThat(defaults.path("custom").path("thresholdsStyle").path("mode").asText())
                .startsWith("line");
    }
}
