package dev.tagpurge.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tagpurge.deploy.ReferencedMetrics;
import dev.tagpurge.testing.FreePort;
import dev.tagpurge.testing.ServiceProcess;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The shipped monitoring against a real Prometheus (Debian's {@code prometheus}, the package that
 * also brings promtool) scraping the packaged service under the job {@code tagpurge}, as a
 * ServiceMonitor or the compose stack would, with the rule file loaded: after traffic, every
 * dashboard query returns data, and every selector of every rule (with its {@code job="tagpurge"}
 * matcher) selects series, so no panel or alert reads a name or label that a real scrape lacks.
 */
class MonitoringQueriesIT extends ProcessTestSupport {

    private static final Path PROMETHEUS = Path.of("/usr/bin/prometheus");
    private static final Pattern SELECTOR =
            Pattern.compile("(?<![A-Za-z0-9_:\"])([A-Za-z_:][A-Za-z0-9_:]*)(\\{[^}]*})");
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void everyDashboardQueryAndRuleSelectorReturnsDataFromARealScrape() throws Exception {
        Assumptions.assumeTrue(
                Files.isExecutable(PROMETHEUS), "prometheus is not installed (apt: prometheus)");
        Run run = Run.fresh();
        Map<String, String> config = serviceConfig(run);
        config.put("tagpurge.targets.dist.provider", "cloudfront");
        config.put("tagpurge.targets.dist.distribution-id", "EDFDVBD6EXAMPLE");
        config.put("tagpurge.targets.dist.base-url", sandbox.cloudfrontUrl());
        config.put("tagpurge.targets.dist.sandbox", "true");
        config.put("tagpurge.targets.dist.poll-interval", "200ms");
        // the budget gauge exists only with a budget: the over-budget alert's selector needs it
        config.put("tagpurge.targets.dist.monthly-budget-usd", "20");
        config.put("tagpurge.ratelimit.shared", "true");
        config.put("tagpurge.lag.interval", "1s");
        // the operator API with an API key only (no issuer): one everything purge by hand makes
        // the escalation alert's series exist
        config.put("tagpurge.operator.enabled", "true");
        config.put("quarkus.oidc.tenant-enabled", "false");
        config.put("tagpurge.operator.api-keys.monitoring.hash", sha256Hex(OPERATOR_KEY));
        config.put("tagpurge.operator.api-keys.monitoring.roles", "purge-admin");
        try (ServiceProcess service = ServiceProcess.start("monitoring", config)) {
            // one failed request, retried: the retry and non-accepted series exist only then
            sandbox.sandbox().faults().failNext("fastly", 503, 1);
            kafka.send(
                    run.input(),
                    null,
                    "{\"id\":\"mon-"
                            + run.id()
                            + "\",\"type\":\"x\",\"tags\":[\"mon\"],\"targets\":[\"cdn\",\"dist\"]}");
            kafka.send(run.input(), null, "not json");
            await().atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(500))
                    .until(() -> completionCounts(run).containsKey("mon-" + run.id()));
            HttpResponse<String> byHand =
                    HTTP.send(
                            HttpRequest.newBuilder(
                                            URI.create(
                                                    "http://127.0.0.1:"
                                                            + service.port()
                                                            + "/api/purges"))
                                    .header("X-Api-Key", OPERATOR_KEY)
                                    .header("Content-Type", "application/json")
                                    .POST(
                                            HttpRequest.BodyPublishers.ofString(
                                                    "{\"everything\":true,\"targets\":[\"cdn\"],"
                                                            + "\"confirm\":\"cdn\",\"ticket\":\"MON-1\","
                                                            + "\"reason\":\"monitoring queries"
                                                            + " test\"}"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            assertThat(byHand.statusCode()).as(byHand.body()).isEqualTo(202);

            Process prometheus = startPrometheus(service.port());
            try {
                String api = "http://127.0.0.1:" + prometheusPort + "/api/v1/query";
                await().atMost(Duration.ofSeconds(90))
                        .pollInterval(Duration.ofSeconds(2))
                        .untilAsserted(
                                () ->
                                        assertThat(empty(api, queries()))
                                                .as("queries without data")
                                                .isEmpty());
                assertThat(result(api, "absent(up{job=\"tagpurge\"} == 1)"))
                        .as("TagpurgeDown's expression is silent while the service is up")
                        .isEmpty();
            } finally {
                prometheus.destroy();
                prometheus.waitFor(20, TimeUnit.SECONDS);
            }
        }
    }

    private static final String OPERATOR_KEY = "monitoring-queries-test-key";

    private int prometheusPort;

    private static String sha256Hex(String text) throws NoSuchAlgorithmException {
        return HexFormat.of()
                .formatHex(
                        MessageDigest.getInstance("SHA-256")
                                .digest(text.getBytes(StandardCharsets.UTF_8)));
    }

    private Process startPrometheus(int servicePort) throws IOException {
        prometheusPort = FreePort.pick();
        Path dir = Files.createTempDirectory(Path.of("target"), "prometheus-");
        Path rules = Path.of(ReferencedMetrics.RULES).toAbsolutePath();
        Files.writeString(
                dir.resolve("prometheus.yml"),
                String.join(
                        "\n",
                        "global:",
                        "  scrape_interval: 1s",
                        "  evaluation_interval: 1s",
                        "rule_files:",
                        "  - " + rules,
                        "scrape_configs:",
                        "  - job_name: tagpurge",
                        "    metrics_path: /q/metrics",
                        "    static_configs:",
                        "      - targets: ['127.0.0.1:" + servicePort + "']",
                        ""));
        return new ProcessBuilder(
                        PROMETHEUS.toString(),
                        "--config.file=" + dir.resolve("prometheus.yml"),
                        "--storage.tsdb.path=" + dir.resolve("data"),
                        "--web.listen-address=127.0.0.1:" + prometheusPort)
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("prometheus.log").toFile())
                .start();
    }

    /**
     * Dashboard queries with the variables as Grafana fills them for "All" in a cluster that runs
     * Tagpurge as the job tagpurge; each rule's selectors on their own (an alert's whole expression
     * is rightly empty while nothing is wrong).
     */
    private static List<String> queries() {
        List<String> queries = new ArrayList<>();
        for (String query :
                ReferencedMetrics.dashboardQueriesOf(Path.of(ReferencedMetrics.DASHBOARD))) {
            Matcher labelValues =
                    Pattern.compile("^label_values\\((.*),\\s*\\w+\\)$").matcher(query);
            String expr = labelValues.matches() ? labelValues.group(1) : query;
            queries.add(
                    expr.replace("$namespace", ".*")
                            .replace("$job", "tagpurge")
                            .replace("$instance", ".*")
                            .replace("$target", ".*")
                            .replace("$__rate_interval", "30s"));
        }
        for (String expr : ReferencedMetrics.ruleExpressionsOf(Path.of(ReferencedMetrics.RULES))) {
            Matcher selector = SELECTOR.matcher(expr);
            while (selector.find()) {
                queries.add(selector.group(1) + selector.group(2));
            }
        }
        return queries;
    }

    private static Map<String, String> empty(String api, List<String> queries) throws Exception {
        Map<String, String> empty = new TreeMap<>();
        for (String query : new TreeSet<>(queries)) {
            if (result(api, query).isEmpty()) {
                empty.put(query, "no series");
            }
        }
        return empty;
    }

    private static JsonNode result(String api, String query) throws Exception {
        HttpResponse<String> response =
                HTTP.send(
                        HttpRequest.newBuilder(
                                        URI.create(
                                                api
                                                        + "?query="
                                                        + URLEncoder.encode(
                                                                query, StandardCharsets.UTF_8)))
                                .timeout(Duration.ofSeconds(10))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(query + ": " + response.body()).isEqualTo(200);
        return json(response.body()).path("data").path("result");
    }
}
