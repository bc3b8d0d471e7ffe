package dev.tagpurge.it;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tagpurge.sandbox.RecordedPurge;
import dev.tagpurge.testing.KafkaBrokerResource;
import dev.tagpurge.testing.RedisServerResource;
import dev.tagpurge.testing.SandboxResource;
import dev.tagpurge.testing.TestRunResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.TestSecurity;
import io.restassured.response.Response;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * {@code POST /api/explain} in the running service with the test profile's rule ({@code product.*})
 * and targets: a matching event explained per rule and target, with nothing purged while the same
 * event on the input topic is; a skipped rule with its reason; invalid events answered with the
 * consumer's dead-letter reason; the roles; and the audit record of each.
 */
@QuarkusTest
@WithTestResource(KafkaBrokerResource.class)
@WithTestResource(RedisServerResource.class)
@WithTestResource(SandboxResource.class)
@WithTestResource(TestRunResource.class)
class ExplainApiIntegrationTest extends IntegrationTestSupport {

    private static final String PROBLEM = "application/problem+json";

    private static Response explain(String body) {
        return given().contentType("application/json").body(body).when().post("/api/explain");
    }

    private static String productEvent(String id, String productId) {
        return """
                {"id":"%s","type":"product.updated","source":"catalog",
                 "data":{"id":"%s","categoryIds":[7]}}"""
                .formatted(id, productId);
    }

    private static List<RecordedPurge> sandboxPurgesOf(String item) {
        return SandboxResource.sandbox().recorder().purges().stream()
                .filter(r -> r.items().stream().anyMatch(i -> i.contains(item)))
                .toList();
    }

    private static void assertAudited(String actor, String outcome, int status) {
        await().atMost(Duration.ofSeconds(20))
                .untilAsserted(
                        () ->
                                assertThat(
                                                readAll(
                                                        "purge-audit-" + TestRunResource.RUN_ID,
                                                        r -> value(r).contains(actor)))
                                        .map(r -> json(value(r)))
                                        .anySatisfy(
                                                r -> {
                                                    assertThat(r.path("action").asText())
                                                            .isEqualTo("explain");
                                                    assertThat(r.path("outcome").asText())
                                                            .isEqualTo(outcome);
                                                    assertThat(r.path("status").asInt())
                                                            .isEqualTo(status);
                                                }));
    }

    private static JsonNode target(JsonNode explanation, String name) {
        for (JsonNode t : explanation.path("targets")) {
            if (t.path("target").asText().equals(name)) {
                return t;
            }
        }
        throw new AssertionError("no target " + name + " in " + explanation);
    }

    @Test
    @TestSecurity(
            user = "olga-explains",
            roles = {"purge-operator"})
    void aMatchingEventIsExplainedPerRuleAndTargetAndNothingIsPurged() {
        String product = "x" + UUID.randomUUID().toString().substring(0, 8);
        String explainedId = "explain-" + UUID.randomUUID();
        Response response = explain(productEvent(explainedId, product));
        response.then().statusCode(200).contentType("application/json");
        JsonNode e = json(response.asString());

        assertThat(e.path("eventId").asText()).isEqualTo(explainedId);
        assertThat(e.path("rules").get(0).path("matched").asBoolean()).isTrue();
        assertThat(e.path("rules").get(0).path("rendered").get(0).path("values").get(0).asText())
                .isEqualTo("product-" + product);
        JsonNode cdn = target(e, "cdn");
        assertThat(cdn.path("provider").asText()).isEqualTo("fastly");
        assertThat(cdn.path("outcome").asText()).isEqualTo("purges");
        assertThat(cdn.path("selectors").findValuesAsText("sentAs"))
                .contains("product-" + product, "www.example.com/products/" + product);
        JsonNode cache = target(e, "cache");
        assertThat(cache.path("rejected").get(0).path("reason").asText())
                .isEqualTo("redis has no URL purge");
        JsonNode zone = target(e, "zone");
        assertThat(zone.path("outcome").asText()).isEqualTo("not-routed");
        assertThat(zone.path("notRouted").findValuesAsText("reason"))
                .contains(
                        "the tag starts with none of tag-prefixes [multi-]",
                        "host www.example.com is not among hosts [multi.example.com]");
        assertThat(e.path("unmatched").asBoolean()).isFalse();
        assertAudited("olga-explains", "explained", 200);

        // the same event on the input topic is purged; the explained one never is
        String sentId = "sent-" + UUID.randomUUID();
        String sentProduct = "y" + UUID.randomUUID().toString().substring(0, 8);
        send(TestRunResource.inputTopic(), sentId, productEvent(sentId, sentProduct));
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(completions(Set.of(sentId))).containsKey(sentId));
        assertThat(sandboxPurgesOf("product-" + sentProduct)).isNotEmpty();
        assertThat(sandboxPurgesOf(product)).as("explain purges nothing").isEmpty();
        assertThat(completions(Set.of(explainedId))).as("explain publishes nothing").isEmpty();
    }

    @Test
    @TestSecurity(
            user = "olga-skipped",
            roles = {"purge-admin"})
    void aRuleForAnotherTypeIsSkippedWithItsReason() {
        Response response =
                explain(
                        """
                        {"id":"o-1","type":"order.created","tags":["order-1"]}""");
        response.then().statusCode(200);
        JsonNode e = json(response.asString());
        JsonNode rule = e.path("rules").get(0);
        assertThat(rule.path("matched").asBoolean()).isFalse();
        assertThat(rule.path("skipped").asText())
                .isEqualTo("event type 'order.created' does not match the rule's type 'product.*'");
        // the event's own tag still goes to the targets that take it
        assertThat(target(e, "cdn").path("outcome").asText()).isEqualTo("purges");
        assertThat(target(e, "zone").path("outcome").asText()).isEqualTo("not-routed");
    }

    @Test
    @TestSecurity(
            user = "olga-invalid",
            roles = {"purge-operator"})
    void anInvalidEventGetsTheConsumersDeadLetterReason() {
        explain("{\"type\":\"product.updated\"}")
                .then()
                .statusCode(422)
                .contentType(PROBLEM)
                .body("type", equalTo("urn:tagpurge:problem:invalid-event"))
                .body("reason", equalTo("missing-id"))
                .body("errors[0].field", equalTo("id"));
        explain("{\"id\":\"p-1\",\"type\":\"product.updated\",\"data\":{}}")
                .then()
                .statusCode(422)
                .body("reason", equalTo("missing-template-field"))
                .body("errors[0].field", equalTo("rules[0]"))
                .body(
                        "errors[0].message",
                        equalTo(
                                "template product-{data.id} needs field 'data.id', which the"
                                        + " event lacks"));
        explain("not json").then().statusCode(422).body("reason", equalTo("not-json"));
        assertAudited("olga-invalid", "invalid", 422);
    }

    @Test
    @TestSecurity(
            user = "olga-binary",
            roles = {"purge-operator"})
    void aBinaryCloudEventComesAsItsDataWithCeHeaders() {
        String product = "b" + UUID.randomUUID().toString().substring(0, 8);
        Response response =
                given().contentType("application/json")
                        .header("ce-specversion", "1.0")
                        .header("ce-id", "ce-1")
                        .header("ce-type", "product.updated")
                        .header("ce-source", "catalog")
                        .body("{\"id\":\"" + product + "\",\"categoryIds\":[]}")
                        .post("/api/explain");
        response.then().statusCode(200);
        assertThat(json(response.asString()).path("selectors").path("tags").get(0).asText())
                .isEqualTo("product-" + product);
    }

    @Test
    @TestSecurity(
            user = "vic-explain",
            roles = {"viewer"})
    void aViewerIsForbiddenAndAudited() {
        explain(productEvent("v-1", "v")).then().statusCode(403).contentType(PROBLEM);
        assertAudited("vic-explain", "refused", 403);
    }

    @Test
    void withoutCredentialsTheAnswerIs401AndAnApiKeyIsEnough() {
        explain(productEvent("a-1", "a"))
                .then()
                .statusCode(401)
                .contentType(PROBLEM)
                .body("status", equalTo(401));
        given().header("X-Api-Key", OperatorApiTestKeys.KEY)
                .contentType("application/json")
                .body(productEvent("k-1", "k"))
                .post("/api/explain")
                .then()
                .statusCode(200)
                .body("eventId", equalTo("k-1"));
    }
}
