package dev.tagpurge.it;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import dev.tagpurge.deploy.ReferencedMetrics;
import dev.tagpurge.testing.KafkaBrokerResource;
import dev.tagpurge.testing.RedisServerResource;
import dev.tagpurge.testing.SandboxResource;
import dev.tagpurge.testing.TestRunResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * After events flowed, every metric of MetricNames that exists so far is exported, and health is
 * up.
 */
@QuarkusTest
@WithTestResource(KafkaBrokerResource.class)
@WithTestResource(RedisServerResource.class)
@WithTestResource(SandboxResource.class)
@WithTestResource(TestRunResource.class)
class ObservabilityIntegrationTest extends IntegrationTestSupport {

    @Test
    void specMetricsAreExportedWithTheirLabelsAfterEventsFlow() {
        String id = "obs-" + UUID.randomUUID();
        send(
                TestRunResource.inputTopic(),
                null,
                "{\"id\":\"" + id + "\",\"type\":\"x\",\"tags\":[\"obs\"]}");
        send(
                TestRunResource.inputTopic(),
                null,
                "{\"id\":\"unmatched-" + id + "\",\"type\":\"x\"}");
        send(TestRunResource.inputTopic(), null, "not json");
        await().atMost(Duration.ofSeconds(60))
                .untilAsserted(() -> assertThat(completions(Set.of(id))).hasSize(1));

        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();

        for (String name :
                List.of(
                        "tagpurge_events_received_total{topic=\""
                                + TestRunResource.inputTopic()
                                + "\"",
                        "tagpurge_events_invalid_total{reason=\"not-json\"",
                        "tagpurge_events_unmatched_total",
                        "tagpurge_selectors_total{target=\"cdn\"",
                        "tagpurge_selectors_coalesced_total{target=\"cdn\"",
                        "tagpurge_purge_requests_total{outcome=\"accepted\",provider=\"fastly\",target=\"cdn\"",
                        "tagpurge_purge_request_duration_seconds_bucket{target=\"cdn\"",
                        "tagpurge_batch_selectors_count{target=\"cdn\"",
                        "tagpurge_pending_selectors{target=\"cdn\"",
                        "tagpurge_inflight_requests{target=\"cdn\"",
                        "tagpurge_event_latency_seconds_bucket{target=\"cdn\"",
                        "tagpurge_completions_total{status=\"succeeded\"",
                        "tagpurge_completions_total{status=\"unmatched\"",
                        "tagpurge_dlq_total{reason=\"not-json\"",
                        "tagpurge_events_in_flight",
                        "tagpurge_events_in_flight_bytes",
                        "tagpurge_outcomes_unwritten",
                        "tagpurge_consumer_paused",
                        "kafka_consumer_fetch_manager_records_lag")) {
            assertThat(metrics).as(name).contains(name);
        }
        assertThat(metrics).doesNotContain(id);
    }

    @Test
    void everyMetricTheDashboardAndTheAlertRulesNameIsExported() {
        String run = UUID.randomUUID().toString().substring(0, 8);
        SandboxResource.sandbox().faults().failNext("fastly", 503, 1); // one retry
        send(
                TestRunResource.inputTopic(),
                null,
                "{\"id\":\"m-"
                        + run
                        + "\",\"type\":\"x\",\"tags\":[\"multi-m-"
                        + run
                        + "\"],\"targets\":[\"cdn\",\"dist\"]}");
        send(TestRunResource.inputTopic(), null, "{\"id\":\"\"}"); // invalid: dead-lettered
        await().atMost(Duration.ofSeconds(60))
                .untilAsserted(() -> assertThat(completions(Set.of("m-" + run))).hasSize(1));
        System.gc(); // so the GC pause metrics the JVM row uses have a sample

        assertThat(ReferencedMetrics.seriesNames()).isNotEmpty();
        // Micrometer's Kafka binder adds per-partition series (records_lag) on its refresh, a
        // minute after assignment at most: wait for it as Prometheus would
        await().atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofSeconds(2))
                .untilAsserted(
                        () -> {
                            String metrics =
                                    given().get("/q/metrics")
                                            .then()
                                            .statusCode(200)
                                            .extract()
                                            .asString();
                            assertThat(ReferencedMetrics.missingFrom(metrics))
                                    .as(
                                            "series named by deploy/grafana and deploy/prometheus but not exported")
                                    .isEmpty();
                        });
    }

    @Test
    void healthReportsKafkaRedisAndTargets() {
        given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
        given().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
        String ready = given().get("/q/health/ready").then().extract().asString();
        assertThat(ready)
                .contains(
                        "tagpurge-targets",
                        "Redis connection",
                        "change-events",
                        "purge-completions");
    }
}
