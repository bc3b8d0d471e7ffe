package dev.tagpurge.it;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.startsWith;

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
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The operator purge API in the running service against the real broker, Redis and the CDN sandbox,
 * with the roles given by {@link TestSecurity}: what each role may do with each selector kind and
 * scope, every kind of bad request answered with its status and problem document, nothing sent to
 * any provider on an error, and an audit record on the audit topic for every request. Real tokens
 * from a real issuer are in {@code OperatorTokenIntegrationTest}.
 */
@QuarkusTest
@WithTestResource(KafkaBrokerResource.class)
@WithTestResource(RedisServerResource.class)
@WithTestResource(SandboxResource.class)
@WithTestResource(TestRunResource.class)
class OperatorApiIntegrationTest extends IntegrationTestSupport {

    private static final String PROBLEM = "application/problem+json";

    private static String auditTopic() {
        return "purge-audit-" + TestRunResource.RUN_ID;
    }

    private static String ticket() {
        return "OPS-" + Math.abs(UUID.randomUUID().getMostSignificantBits() % 1_000_000_000L);
    }

    private static String tag() {
        return "multi-op-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static Response post(String body) {
        return given().contentType("application/json").body(body).when().post("/api/purges");
    }

    /** Audit records of {@code actor}, as JSON. */
    private static List<JsonNode> audit(String actor) {
        return readAll(auditTopic(), r -> value(r).contains(actor)).stream()
                .map(r -> json(value(r)))
                .filter(n -> actor.equals(n.path("actor").asText()))
                .toList();
    }

    private static void assertAudited(String actor, String outcome, int status) {
        await().atMost(Duration.ofSeconds(20))
                .untilAsserted(
                        () ->
                                assertThat(audit(actor))
                                        .anySatisfy(
                                                r -> {
                                                    assertThat(r.path("outcome").asText())
                                                            .isEqualTo(outcome);
                                                    assertThat(r.path("status").asInt())
                                                            .isEqualTo(status);
                                                }));
    }

    private static JsonNode perTarget(Response preview, String target) {
        for (JsonNode t : json(preview.asString()).get("perTarget")) {
            if (t.get("target").asText().equals(target)) {
                return t;
            }
        }
        throw new AssertionError("no target " + target + " in " + preview.asString());
    }

    private static List<RecordedPurge> sandboxPurgesOf(String item) {
        return SandboxResource.sandbox().recorder().purges().stream()
                .filter(r -> r.items().stream().anyMatch(i -> i.contains(item)))
                .toList();
    }

    @Test
    @TestSecurity(
            user = "olga-executes",
            roles = {"purge-operator"})
    void anOperatorPurgesATagOnEveryCdnAheadOfEventsAndGetsACompletionEvent() {
        String tag = tag();
        String ticket = ticket();
        Response created =
                post(
                        """
                {"tags":["%s"],"scope":"cdn","ticket":"%s","reason":"stale product page after import"}"""
                                .formatted(tag, ticket));
        created.then()
                .statusCode(202)
                .header("Location", containsString("/api/purges/op-"))
                .body("status", equalTo("accepted"))
                .body("targets", equalTo(List.of("cdn", "dist", "edge", "zone")));
        String id = created.jsonPath().getString("id");

        await().atMost(Duration.ofSeconds(60))
                .untilAsserted(
                        () ->
                                given().get("/api/purges/" + id)
                                        .then()
                                        .statusCode(200)
                                        .body("status", equalTo("succeeded")));
        JsonNode purge = json(given().get("/api/purges/" + id).asString());
        for (JsonNode t : purge.get("targetOutcomes")) {
            assertThat(t.get("status").asText()).as(t.toString()).isEqualTo("succeeded");
            assertThat(t.get("purgeIds")).as(t.toString()).isNotEmpty();
            // Akamai's 201 says how long the purge takes to reach the network (the sandbox: 5 s)
            assertThat(t.path("estimatedSeconds").asLong(-1))
                    .as(t.toString())
                    .isEqualTo("akamai".equals(t.get("provider").asText()) ? 5 : -1);
        }
        assertThat(purge.findValues("invalidationStatus").stream().map(JsonNode::asText).toList())
                .as("CloudFront's invalidation, polled to Completed")
                .containsExactly("Completed");
        assertThat(
                        sandboxPurgesOf(tag).stream()
                                .map(RecordedPurge::provider)
                                .collect(Collectors.toSet()))
                .containsExactlyInAnyOrder("fastly", "cloudflare", "cloudfront", "akamai");

        await().atMost(Duration.ofSeconds(20))
                .untilAsserted(() -> assertThat(completions(Set.of(id))).containsKey(id));
        JsonNode completion = completions(Set.of(id)).get(id);
        assertThat(completion.get("source").asText()).isEqualTo("operator");
        assertThat(completion.get("ticket").asText()).isEqualTo(ticket);
        assertThat(completion.get("actor").asText()).isEqualTo("olga-executes");
        assertThat(completion.get("status").asText()).isEqualTo("succeeded");
        for (JsonNode t : completion.get("targets")) {
            assertThat(t.path("estimatedSeconds").asLong(-1))
                    .as(t.toString())
                    .isEqualTo("akamai".equals(t.get("provider").asText()) ? 5 : -1);
        }

        assertAudited("olga-executes", "accepted", 202);
        await().atMost(Duration.ofSeconds(20))
                .untilAsserted(
                        () ->
                                assertThat(audit("olga-executes"))
                                        .anySatisfy(
                                                r -> {
                                                    assertThat(r.path("outcome").asText())
                                                            .isEqualTo("succeeded");
                                                    assertThat(r.path("targetOutcomes")).hasSize(4);
                                                }));
        given().get("/api/purges?limit=5").then().statusCode(200).body("purges.id", hasItem(id));
        assertThat(given().get("/q/metrics").asString())
                .contains(
                        "tagpurge_operator_purges_total{role=\"purge-operator\",scope=\"tags\",target=\"cdn\"");
    }

    @Test
    @TestSecurity(
            user = "olga-matrix",
            roles = {"purge-operator"})
    void anOperatorMayPreviewAndPurgeEveryKindButEverythingOnEveryScope() {
        String rest = ",\"ticket\":\"%s\",\"reason\":\"checking the role matrix\",\"dryRun\":true}";
        for (String scope : List.of("redis", "cdn", "all")) {
            for (String selector :
                    List.of(
                            "\"tags\":[\"multi-a\"]",
                            "\"urls\":[\"https://multi.example.com/a\"]",
                            "\"prefixes\":[\"https://multi.example.com/shop/\"]")) {
                Response r =
                        post(
                                "{"
                                        + selector
                                        + ",\"scope\":\""
                                        + scope
                                        + "\""
                                        + rest.formatted(ticket()));
                assertThat(r.statusCode()).as(scope + " " + selector).isEqualTo(200);
                assertThat(r.jsonPath().getBoolean("allowed")).as(r.asString()).isTrue();
            }
            Response everything =
                    post(
                            "{\"everything\":true,\"scope\":\""
                                    + scope
                                    + "\""
                                    + rest.formatted(ticket()));
            everything.then().statusCode(200).body("allowed", equalTo(false));
            assertThat(everything.jsonPath().getInt("refusal.status")).isEqualTo(403);
        }
        assertAudited("olga-matrix", "previewed", 200);
    }

    @Test
    @TestSecurity(
            user = "olga-everything",
            roles = {"purge-operator"})
    void anOperatorCannotPurgeEverything() {
        post("""
                {"everything":true,"targets":["cdn"],"ticket":"%s","reason":"the whole site is stale","confirm":"cdn"}"""
                        .formatted(ticket()))
                .then()
                .statusCode(403)
                .contentType(PROBLEM)
                .body("errors.field", hasItem("everything"));
        assertAudited("olga-everything", "refused", 403);
    }

    @Test
    @TestSecurity(
            user = "olga-over",
            roles = {"purge-operator"})
    void anOperatorIsHeldToTheItemLimitAndSendsNothingBeyondIt() {
        String marker = tag();
        String tags =
                IntStream.range(0, 101)
                        .mapToObj(i -> "\"" + marker + "-" + i + "\"")
                        .collect(Collectors.joining(","));
        post("{\"tags\":["
                        + tags
                        + "],\"scope\":\"cdn\",\"ticket\":\""
                        + ticket()
                        + "\",\"reason\":\"a big import went wrong\"}")
                .then()
                .statusCode(403)
                .contentType(PROBLEM)
                .body("detail", containsString("100"))
                .body("errors.field", hasItem("tags"));
        assertAudited("olga-over", "refused", 403);
        assertThat(sandboxPurgesOf(marker)).isEmpty();
    }

    @Test
    @TestSecurity(
            user = "ada-over",
            roles = {"purge-admin"})
    void anAdminMayGoBeyondTheItemLimit() {
        String marker = tag();
        String tags =
                IntStream.range(0, 101)
                        .mapToObj(i -> "\"" + marker + "-" + i + "\"")
                        .collect(Collectors.joining(","));
        post("{\"tags\":["
                        + tags
                        + "],\"targets\":[\"zone\"],\"ticket\":\""
                        + ticket()
                        + "\",\"reason\":\"a big import went wrong\",\"dryRun\":true}")
                .then()
                .statusCode(200)
                .body("allowed", equalTo(true))
                .body("perTarget[0].selectors", equalTo(101))
                .body(
                        "perTarget[0].requests",
                        equalTo(2)); // Cloudflare enterprise: 100 per request
    }

    @Test
    @TestSecurity(
            user = "ada-budget",
            roles = {"purge-admin"})
    void thePreviewShowsTheRateLimitBudgetAndTheExpectedWait() {
        String marker = tag();
        String tags =
                IntStream.range(0, 101)
                        .mapToObj(i -> "\"" + marker + "-" + i + "\"")
                        .collect(Collectors.joining(","));
        int before = SandboxResource.sandbox().recorder().purges().size();

        Response preview =
                post(
                        "{\"tags\":["
                                + tags
                                + "],\"targets\":[\"zone\",\"cache\"],\"ticket\":\""
                                + ticket()
                                + "\",\"reason\":\"how long will it take\",\"dryRun\":true}");

        preview.then().statusCode(200);
        JsonNode zone = perTarget(preview, "zone");
        JsonNode budget = zone.at("/rateLimit/budget");
        assertThat(budget.get("unlimited").asBoolean()).isFalse();
        assertThat(budget.get("source").asText()).isEqualTo("local");
        // Cloudflare's tag bucket counts requests: 2 of them, whatever the tokens left
        JsonNode bucket = budget.get("buckets").get(0);
        assertThat(budget.get("buckets")).hasSize(1);
        assertThat(bucket.get("bucket").asText()).isEqualTo("purge-requests");
        assertThat(bucket.get("tokensThisPurgeNeeds").asLong()).isEqualTo(2);
        assertThat(bucket.get("tokensAvailable").asDouble())
                .isBetween(0.0, bucket.get("capacity").asDouble());
        assertThat(bucket.get("refillPerSecond").asDouble()).isPositive();
        JsonNode wait = zone.at("/rateLimit/expectedWait");
        assertThat(wait.get("firstRequestSeconds").asDouble()).isNotNegative();
        assertThat(wait.get("lastRequestSeconds").asDouble())
                .isGreaterThanOrEqualTo(wait.get("firstRequestSeconds").asDouble());
        assertThat(wait.get("basis").asText()).contains("2 requests");
        JsonNode cache = perTarget(preview, "cache");
        assertThat(cache.at("/rateLimit/budget/unlimited").asBoolean())
                .as("Redis has no documented limits")
                .isTrue();
        assertThat(cache.at("/rateLimit/expectedWait/lastRequestSeconds").asDouble()).isZero();
        assertThat(SandboxResource.sandbox().recorder().purges().size())
                .as("a preview sends nothing")
                .isEqualTo(before);
    }

    @Test
    @TestSecurity(
            user = "ada-everything",
            roles = {"purge-admin"})
    void everythingNeedsConfirmationThenRespectsTheCooldown() {
        String body =
                """
                {"everything":true,"targets":["zone","cdn"],"ticket":"%s","reason":"the whole site is stale"%s}""";
        post(body.formatted(ticket(), ""))
                .then()
                .statusCode(400)
                .contentType(PROBLEM)
                .body("errors.field", equalTo(List.of("confirm")))
                .body("errors[0].message", containsString("cdn,zone"));
        assertAudited("ada-everything", "refused", 400);

        Response preview = post(body.formatted(ticket(), ",\"dryRun\":true"));
        preview.then()
                .statusCode(200)
                .body("confirm", equalTo("cdn,zone"))
                .body("impact.size()", equalTo(5));

        int before = SandboxResource.sandbox().recorder().purges().size();
        post(body.formatted(ticket(), ",\"confirm\":\"cdn,zone\"")).then().statusCode(202);
        post(body.formatted(ticket(), ",\"confirm\":\"cdn,zone\""))
                .then()
                .statusCode(429)
                .contentType(PROBLEM)
                .header("Retry-After", startsWith(""))
                .body("type", equalTo("urn:tagpurge:problem:cooldown"))
                .body("errors.field", hasItem("targets"));
        assertAudited("ada-everything", "refused", 429);
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(
                        () ->
                                assertThat(SandboxResource.sandbox().recorder().purges().size())
                                        .as("one everything per target went out, not two")
                                        .isEqualTo(before + 2));
    }

    @Test
    @TestSecurity(
            user = "olga-bad",
            roles = {"purge-operator"})
    void everyBadRequestIsAProblemNamingItsFieldAndSendsNothing() {
        String tag = tag();
        record Case(String body, String field) {}
        List<Case> cases =
                List.of(
                        new Case(
                                "{\"tags\":[\"%s\"],\"scope\":\"cdn\",\"reason\":\"a good reason here\"}",
                                "ticket"),
                        new Case(
                                "{\"tags\":[\"%s\"],\"scope\":\"cdn\",\"ticket\":\"not a ticket\",\"reason\":\"a good reason here\"}",
                                "ticket"),
                        new Case(
                                "{\"tags\":[\"%s\"],\"scope\":\"cdn\",\"ticket\":\"OPS-1\",\"reason\":\"short\"}",
                                "reason"),
                        new Case(
                                "{\"tags\":[\"%s\"],\"targets\":[\"nowhere\"],\"ticket\":\"OPS-1\",\"reason\":\"a good reason here\"}",
                                "targets"),
                        new Case("{\"tags\":[\"%s\"", "body"));
        for (Case c : cases) {
            Response r = post(c.body().formatted(tag));
            assertThat(r.statusCode()).as(c.body() + " → " + r.asString()).isEqualTo(400);
            r.then()
                    .contentType(PROBLEM)
                    .body("type", equalTo("urn:tagpurge:problem:invalid-request"))
                    .body("status", equalTo(400))
                    .body("errors.field", hasItem(c.field()));
        }
        await().atMost(Duration.ofSeconds(20))
                .untilAsserted(
                        () ->
                                assertThat(audit("olga-bad"))
                                        .filteredOn(
                                                r -> r.path("outcome").asText().equals("refused"))
                                        .hasSize(cases.size()));
        assertThat(sandboxPurgesOf(tag)).as("nothing sent on an error").isEmpty();
    }

    @Test
    @TestSecurity(
            user = "vic-viewer",
            roles = {"viewer"})
    void aCallerWithoutAnOperatorRoleIsForbiddenAndAudited() {
        post("""
                {"tags":["%s"],"scope":"cdn","ticket":"OPS-9","reason":"just looking around"}"""
                        .formatted(tag()))
                .then()
                .statusCode(403)
                .contentType(PROBLEM);
        given().get("/api/purges").then().statusCode(403).contentType(PROBLEM);
        assertAudited("vic-viewer", "refused", 403);
    }

    @Test
    void withoutCredentialsTheAnswerIs401AndHealthStaysOpen() {
        post("{}").then().statusCode(401).contentType(PROBLEM).body("status", equalTo(401));
        given().get("/api/purges").then().statusCode(401).contentType(PROBLEM);
        given().get("/q/health/live").then().statusCode(200);
        given().get("/q/metrics").then().statusCode(200);
        await().atMost(Duration.ofSeconds(20))
                .untilAsserted(
                        () ->
                                assertThat(audit("anonymous"))
                                        .anySatisfy(
                                                r -> {
                                                    assertThat(r.path("action").asText())
                                                            .isEqualTo("POST /api/purges");
                                                    assertThat(r.path("status").asInt())
                                                            .isEqualTo(401);
                                                }));
    }

    @Test
    void anApiKeyAuthenticatesAndAWrongOneIsRefused() {
        given().header("X-Api-Key", OperatorApiTestKeys.KEY)
                .contentType("application/json")
                .body(
                        """
                {"tags":["multi-key"],"scope":"cdn","ticket":"OPS-7","reason":"nightly automation run","dryRun":true}""")
                .post("/api/purges")
                .then()
                .statusCode(200)
                .body("allowed", equalTo(true));
        given().header("Authorization", "ApiKey " + OperatorApiTestKeys.KEY)
                .get("/api/purges")
                .then()
                .statusCode(200);
        Response wrong =
                given().header("X-Api-Key", "not-the-key-" + UUID.randomUUID()).get("/api/purges");
        wrong.then().statusCode(401).contentType(PROBLEM);
        assertThat(wrong.asString()).doesNotContain("not-the-key");
        assertAudited("api-key:ci", "previewed", 200);
    }
}
