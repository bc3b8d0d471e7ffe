package dev.tagpurge.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tagpurge.metrics.MetricNames;
import dev.tagpurge.metrics.TargetMetrics;
import io.micrometer.prometheus.PrometheusConfig;
import io.micrometer.prometheus.PrometheusMeterRegistry;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Every metric the dashboard and the alert rules query is one the service exports: a documented or
 * {@link MetricNames} family with the series its meter type gives, or a Micrometer JVM, process or
 * Kafka client binder series. Catches typos and wrong suffixes without starting the service.
 */
class ReferencedMetricsTest {

    /** How Micrometer's Prometheus registry exposes a meter type. */
    private enum Kind {
        COUNTER("_total"),
        GAUGE(""),
        TIMER_HISTOGRAM("_seconds_bucket", "_seconds_count", "_seconds_sum", "_seconds_max"),
        TIMER("_seconds_count", "_seconds_sum", "_seconds_max"),
        SUMMARY_HISTOGRAM("_bucket", "_count", "_sum", "_max");

        private final List<String> suffixes;

        Kind(String... suffixes) {
            this.suffixes = List.of(suffixes);
        }
    }

    /** The service's documented families (README, Metrics) by Prometheus base name. */
    private static final Map<String, Kind> TAGPURGE_FAMILIES =
            Map.ofEntries(
                    Map.entry("tagpurge_events_received", Kind.COUNTER),
                    Map.entry("tagpurge_events_invalid", Kind.COUNTER),
                    Map.entry("tagpurge_events_unmatched", Kind.COUNTER),
                    Map.entry("tagpurge_selectors", Kind.COUNTER),
                    Map.entry("tagpurge_selectors_coalesced", Kind.COUNTER),
                    Map.entry("tagpurge_purge_requests", Kind.COUNTER),
                    Map.entry("tagpurge_purge_request_duration", Kind.TIMER_HISTOGRAM),
                    Map.entry("tagpurge_batch_selectors", Kind.SUMMARY_HISTOGRAM),
                    Map.entry("tagpurge_pending_selectors", Kind.GAUGE),
                    Map.entry("tagpurge_inflight_requests", Kind.GAUGE),
                    Map.entry("tagpurge_ratelimit_wait", Kind.TIMER),
                    Map.entry("tagpurge_throttled", Kind.COUNTER),
                    Map.entry("tagpurge_retries", Kind.COUNTER),
                    Map.entry("tagpurge_event_latency", Kind.TIMER_HISTOGRAM),
                    Map.entry("tagpurge_completions", Kind.COUNTER),
                    Map.entry("tagpurge_dlq", Kind.COUNTER),
                    Map.entry("tagpurge_cloudfront_invalidations_in_progress", Kind.GAUGE),
                    Map.entry("tagpurge_cloudfront_paths_billed", Kind.GAUGE),
                    Map.entry("tagpurge_cloudfront_estimated_cost_usd", Kind.GAUGE),
                    Map.entry("tagpurge_cloudfront_budget_usd", Kind.GAUGE),
                    Map.entry("tagpurge_events_in_flight", Kind.GAUGE),
                    Map.entry("tagpurge_consumer_paused", Kind.GAUGE),
                    Map.entry("tagpurge_ratelimit_fallback", Kind.GAUGE),
                    Map.entry("tagpurge_consumer_lag", Kind.GAUGE),
                    Map.entry("tagpurge_consumer_topic_lag", Kind.GAUGE),
                    Map.entry("tagpurge_consumer_lag_read_failures", Kind.COUNTER),
                    Map.entry("tagpurge_operator_purges", Kind.COUNTER));

    /** Documented in the README but not (yet) a MetricNames constant. */
    private static final Set<String> DOCUMENTED_ONLY =
            Set.of(
                    "tagpurge_cloudfront_invalidations_in_progress",
                    "tagpurge_cloudfront_paths_billed",
                    "tagpurge_cloudfront_estimated_cost_usd",
                    "tagpurge_cloudfront_budget_usd");

    /** Series of Micrometer's JVM, processor and Kafka client binders, as Quarkus exports them. */
    private static final Set<String> BINDER_SERIES =
            Set.of(
                    "jvm_memory_used_bytes",
                    "jvm_memory_committed_bytes",
                    "jvm_memory_max_bytes",
                    "jvm_gc_pause_seconds_count",
                    "jvm_gc_pause_seconds_sum",
                    "jvm_gc_pause_seconds_max",
                    "jvm_gc_memory_allocated_bytes_total",
                    "jvm_threads_live_threads",
                    "jvm_threads_daemon_threads",
                    "jvm_threads_peak_threads",
                    "jvm_threads_states_threads",
                    "process_cpu_usage",
                    "process_uptime_seconds",
                    "system_cpu_usage",
                    "kafka_consumer_fetch_manager_records_lag",
                    "kafka_consumer_fetch_manager_records_lag_max");

    /** The bucket at which the rules and the dashboard measure "purged within 60 s". */
    private static final String SLO_BUCKET = "57.266230611";

    @Test
    void extractsMetricNamesFromPromQl() {
        assertThat(
                        ReferencedMetrics.namesIn(
                                "histogram_quantile(0.99, sum by (le, target) (rate("
                                        + "tagpurge_event_latency_seconds_bucket{instance=~\"$instance\","
                                        + " target=~\"${target}\"}[$__rate_interval])))"))
                .containsExactly("tagpurge_event_latency_seconds_bucket");
        assertThat(
                        ReferencedMetrics.namesIn(
                                "sum by (job, topic) (kafka_consumer_fetch_manager_records_lag) > 1e3"
                                        + " unless on (job, topic) sum(rate(tagpurge_events_received_total"
                                        + "{reason=\"a b\"}[10m] offset 5m)) > bool 0"))
                .containsExactlyInAnyOrder(
                        "kafka_consumer_fetch_manager_records_lag",
                        "tagpurge_events_received_total");
        assertThat(
                        ReferencedMetrics.namesIn(
                                "label_values(tagpurge_pending_selectors{instance=~\"$instance\"},"
                                        + " target)"))
                .containsExactly("tagpurge_pending_selectors");
        assertThat(ReferencedMetrics.namesIn("tagpurge:x:ratio_rate5m > (14.4 * 0.01)"))
                .containsExactly("tagpurge:x:ratio_rate5m");
    }

    @Test
    void baseNamesDropOnlyTheSeriesSuffix() {
        assertThat(ReferencedMetrics.baseName("tagpurge_event_latency_seconds_bucket"))
                .isEqualTo("tagpurge_event_latency_seconds");
        assertThat(ReferencedMetrics.baseName("tagpurge_events_received_total"))
                .isEqualTo("tagpurge_events_received");
        assertThat(ReferencedMetrics.baseName("kafka_consumer_fetch_manager_records_lag_max"))
                .isEqualTo("kafka_consumer_fetch_manager_records_lag_max");
        assertThat(
                        ReferencedMetrics.missingFrom(
                                "# TYPE tagpurge_selectors_coalesced_total counter\n"
                                        + "tagpurge_selectors_coalesced_total{target=\"cdn\",} 1.0\n"))
                .contains("tagpurge_selectors_total")
                .doesNotContain("tagpurge_selectors_coalesced_total");
    }

    @Test
    void theDashboardAndRulesCoverEveryArea() {
        assertThat(ReferencedMetrics.seriesNames())
                .contains(
                        "tagpurge_events_received_total",
                        "tagpurge_events_invalid_total",
                        "tagpurge_events_unmatched_total",
                        "tagpurge_consumer_lag",
                        "tagpurge_consumer_topic_lag",
                        "tagpurge_consumer_lag_read_failures_total",
                        "tagpurge_ratelimit_fallback",
                        "tagpurge_selectors_total",
                        "tagpurge_selectors_coalesced_total",
                        "tagpurge_batch_selectors_bucket",
                        "tagpurge_pending_selectors",
                        "tagpurge_purge_requests_total",
                        "tagpurge_purge_request_duration_seconds_bucket",
                        "tagpurge_throttled_total",
                        "tagpurge_retries_total",
                        "tagpurge_cloudfront_invalidations_in_progress",
                        "tagpurge_ratelimit_wait_seconds_sum",
                        "tagpurge_event_latency_seconds_bucket",
                        "tagpurge_completions_total",
                        "tagpurge_dlq_total",
                        "tagpurge_events_in_flight",
                        "tagpurge_consumer_paused",
                        "jvm_memory_used_bytes",
                        "jvm_gc_pause_seconds_sum",
                        "jvm_threads_live_threads",
                        "process_cpu_usage")
                .doesNotContain("up")
                .noneMatch(name -> name.contains(":"));
    }

    @Test
    void everyReferencedSeriesIsOneTheServiceExports() {
        Set<String> known = new TreeSet<>(BINDER_SERIES);
        TAGPURGE_FAMILIES.forEach(
                (base, kind) -> kind.suffixes.forEach(suffix -> known.add(base + suffix)));

        assertThat(ReferencedMetrics.seriesNames())
                .as("series neither documented / in MetricNames nor a Micrometer binder's")
                .isSubsetOf(known);
    }

    @Test
    void theFamilyTableFollowsMetricNamesAndTheSpec() throws IllegalAccessException {
        Set<String> fromMetricNames = new TreeSet<>();
        for (Field field : MetricNames.class.getDeclaredFields()) {
            if (Modifier.isStatic(field.getModifiers()) && field.getType() == String.class) {
                fromMetricNames.add(((String) field.get(null)).replace('.', '_'));
            }
        }
        for (String base : TAGPURGE_FAMILIES.keySet()) {
            assertThat(fromMetricNames.contains(base) || DOCUMENTED_ONLY.contains(base))
                    .as("%s is a MetricNames constant or documented in the README", base)
                    .isTrue();
        }
    }

    @Test
    void theSloBucketIsABucketTheServiceExports() throws Exception {
        Pattern le = Pattern.compile("le=\\\\?\"([^\"\\\\]+)\\\\?\"");
        Set<String> used = new TreeSet<>();
        for (String file : List.of(ReferencedMetrics.RULES, ReferencedMetrics.DASHBOARD)) {
            Matcher matcher = le.matcher(Files.readString(Path.of(file)));
            while (matcher.find()) {
                used.add(matcher.group(1));
            }
        }
        assertThat(used).containsExactly(SLO_BUCKET);

        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new TargetMetrics(registry, "cdn", "fastly")
                .eventPurged(Instant.EPOCH, Instant.EPOCH.plusSeconds(1));
        assertThat(registry.scrape())
                .contains(
                        "tagpurge_event_latency_seconds_bucket{target=\"cdn\",le=\""
                                + SLO_BUCKET
                                + "\",}");
    }
}
