package dev.tagpurge.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * The alert rules are operable: each alert has a severity, a summary, a description and a runbook
 * that exists in the README, and the promtool tests (run by .ci/run) cover each alert both firing
 * and staying silent.
 */
class AlertRulesTest {

    private static final Path RULES = Path.of(ReferencedMetrics.RULES);
    private static final Path RULE_TESTS = Path.of("deploy/prometheus/tagpurge-rules.test.yaml");
    private static final Set<String> SEVERITIES = Set.of("critical", "warning", "info");

    /** The one runbook base of the rule file; README.md's anchors follow it. */
    static final String RUNBOOK_BASE = "https://github.com/tagpurge/tagpurge/blob/main/README.md";

    /** The one matcher that keeps other applications' series out of every rule. */
    static final String JOB_MATCHER = "job=\"tagpurge\"";

    @Test
    void everyAlertHasSeverityAnnotationsAndAReadmeRunbook() throws Exception {
        Set<String> anchors = readmeAnchors();
        List<Map<String, Object>> alerts = alerts();
        assertThat(alerts).isNotEmpty();
        for (Map<String, Object> alert : alerts) {
            String name = String.valueOf(alert.get("alert"));
            assertThat(RenderedManifests.map(alert, "labels"))
                    .as(name)
                    .hasEntrySatisfying(
                            "severity",
                            severity -> assertThat(SEVERITIES).contains((String) severity));
            Map<String, Object> annotations = RenderedManifests.map(alert, "annotations");
            assertThat(annotations).as(name).containsKeys("summary", "description", "runbook_url");
            assertThat(annotations.get("runbook_url"))
                    .as(name)
                    .isEqualTo(RUNBOOK_BASE + "#" + name.toLowerCase(Locale.ROOT));
            assertThat(anchors)
                    .as("README runbook heading for " + name)
                    .contains(name.toLowerCase(Locale.ROOT));
        }
    }

    @Test
    void everyAlertIsTestedFiringAndSilent() throws Exception {
        Map<String, Object> file = new Yaml().load(Files.readString(RULE_TESTS));
        Set<String> firing = new TreeSet<>();
        Set<String> silent = new TreeSet<>();
        for (Object test : RenderedManifests.list(file, "tests")) {
            for (Object check : RenderedManifests.list(test, "alert_rule_test")) {
                String name = String.valueOf(RenderedManifests.at(check, "alertname"));
                if (RenderedManifests.list(check, "exp_alerts").isEmpty()) {
                    silent.add(name);
                } else {
                    firing.add(name);
                }
            }
        }
        Set<String> names =
                alerts().stream()
                        .map(a -> String.valueOf(a.get("alert")))
                        .collect(Collectors.toSet());

        assertThat(firing).as("alerts tested firing").isEqualTo(names);
        assertThat(silent).as("alerts tested silent").isEqualTo(names);
    }

    /**
     * In a Prometheus shared with other services, a rule that reads any job's series pages for them
     * (another application's consumer lag, JVM, or a copy of Tagpurge in another job): every series
     * every rule reads is selected with the job matcher.
     */
    @Test
    void everySelectorOfEveryRuleCarriesTheJobMatcher() {
        for (String expr : ReferencedMetrics.ruleExpressions(RULES)) {
            Set<String> names = ReferencedMetrics.namesIn(expr);
            assertThat(names).as(expr).isNotEmpty();
            for (String name : names) {
                Matcher selector =
                        Pattern.compile("(?<![A-Za-z0-9_:])" + Pattern.quote(name) + "(\\{[^}]*})?")
                                .matcher(expr);
                int found = 0;
                while (selector.find()) {
                    found++;
                    assertThat(selector.group(1))
                            .as("%s in %s", name, expr)
                            .isNotNull()
                            .contains(JOB_MATCHER);
                }
                assertThat(found).as(name).isPositive();
            }
        }
    }

    @Test
    void anotherJobsSeriesAreInTheRuleTestsAndTheDownAlertWatchesTheJob() throws Exception {
        String tests = Files.readString(RULE_TESTS);
        assertThat(tests)
                .as("the promtool tests feed series of other jobs that must not fire")
                .contains("job=\"checkout\"");
        assertThat(
                        alerts().stream()
                                .filter(a -> "TagpurgeDown".equals(a.get("alert")))
                                .map(a -> String.valueOf(a.get("expr")).trim()))
                .containsExactly("absent(up{" + JOB_MATCHER + "} == 1)");
    }

    @Test
    void recordedSeriesThatAlertsUseAreRecorded() {
        Set<String> recorded = ReferencedMetrics.recordedNames(RULES);
        for (String expr : ReferencedMetrics.ruleExpressions(RULES)) {
            ReferencedMetrics.namesIn(expr).stream()
                    .filter(name -> name.contains(":"))
                    .forEach(name -> assertThat(recorded).contains(name));
        }
    }

    private static List<Map<String, Object>> alerts() {
        return ReferencedMetrics.rules(RULES).stream().filter(r -> r.containsKey("alert")).toList();
    }

    /** GitHub's anchors of the README's headings: lower case, punctuation dropped, '-' for ' '. */
    private static Set<String> readmeAnchors() throws Exception {
        return Files.readAllLines(Path.of("README.md")).stream()
                .filter(line -> line.startsWith("#"))
                .map(line -> line.replaceFirst("^#+\\s*", "").trim().toLowerCase(Locale.ROOT))
                .map(text -> text.replaceAll("[^a-z0-9 _-]", "").replace(' ', '-'))
                .collect(Collectors.toSet());
    }
}
