package dev.tagpurge.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
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
    void hasTheDatasourceInstanceAndTargetVariables() {
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
        assertThat(names).containsExactly("DS_PROMETHEUS", "instance", "target");
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
