package dev.tagpurge.it;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tagpurge.testing.KafkaBrokerResource;
import dev.tagpurge.testing.KeycloakServer;
import dev.tagpurge.testing.RedisServerResource;
import dev.tagpurge.testing.SandboxResource;
import dev.tagpurge.testing.TestRunResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The operator API with real bearer tokens from a real issuer (Keycloak, realm {@code tagpurge}):
 * the roles of the dev users, and every kind of bad token refused with 401 and a problem document
 * that repeats nothing of the token.
 */
@QuarkusTest
@WithTestResource(KafkaBrokerResource.class)
@WithTestResource(RedisServerResource.class)
@WithTestResource(SandboxResource.class)
@WithTestResource(TestRunResource.class)
@WithTestResource(OperatorIssuerResource.class)
class OperatorTokenIT {

    private static final String PROBLEM = "application/problem+json";
    private static final String PREVIEW =
            """
            {"tags":["multi-token"],"scope":"cdn","ticket":"OPS-42","reason":"token tests of the API","dryRun":true}""";

    private static String auditTopic() {
        return "purge-audit-" + TestRunResource.RUN_ID;
    }

    private static KeycloakServer keycloak() {
        return KeycloakServer.start();
    }

    private static Response list(String token) {
        return given().auth().oauth2(token).get("/api/purges");
    }

    private static void refused(String token, String what) {
        Response r = list(token);
        assertThat(r.statusCode()).as(what + ": " + r.asString()).isEqualTo(401);
        assertThat(r.contentType()).as(what).startsWith(PROBLEM);
        assertThat(r.jsonPath().getInt("status")).isEqualTo(401);
        assertThat(r.asString()).as(what + ": the token is not echoed").doesNotContain(token);
    }

    @Test
    void anOperatorsTokenPreviewsAndListsPurges() {
        String token = keycloak().passwordToken("operator", "operator");
        given().auth()
                .oauth2(token)
                .contentType("application/json")
                .body(PREVIEW)
                .post("/api/purges")
                .then()
                .statusCode(200)
                .body("allowed", equalTo(true));
        list(token).then().statusCode(200);
    }

    @Test
    void anAdminsTokenMayPreviewEverythingAndAnOperatorsMayNot() {
        String everything =
                """
                {"everything":true,"targets":["cdn"],"ticket":"OPS-43","reason":"token tests of the API","dryRun":true}""";
        given().auth()
                .oauth2(keycloak().passwordToken("admin", "admin"))
                .contentType("application/json")
                .body(everything)
                .post("/api/purges")
                .then()
                .statusCode(200)
                .body("allowed", equalTo(true));
        given().auth()
                .oauth2(keycloak().passwordToken("operator", "operator"))
                .contentType("application/json")
                .body(everything)
                .post("/api/purges")
                .then()
                .statusCode(200)
                .body("allowed", equalTo(false))
                .body("refusal.status", equalTo(403));
    }

    @Test
    void aViewerIsAuthenticatedButForbidden() {
        Response r = list(keycloak().passwordToken("viewer", "viewer"));
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(r.contentType()).startsWith(PROBLEM);
    }

    @Test
    void noTokenIsRefused() {
        Response r = given().get("/api/purges");
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(r.contentType()).startsWith(PROBLEM);
        assertThat(r.header("WWW-Authenticate")).startsWith("Bearer");
    }

    @Test
    void aTokenWhoseExpiryWasRewrittenIsRefused() {
        // tampering, not expiry: a rewritten exp breaks the signature (the true expiry is below)
        String token = keycloak().passwordToken("operator", "operator");
        refused(
                OperatorTokens.withClaim(
                        token, "exp", Instant.now().minusSeconds(600).getEpochSecond()),
                "exp rewritten");
    }

    @Test
    void aValidlySignedTokenPastItsExpiryIsRefusedAuditedAndNeverRepeated() throws Exception {
        // a real token of the test-only client whose tokens live 5 s; quarkus-oidc allows no
        // grace past exp unless quarkus.oidc.token.lifespan-grace is set, and it is not
        String token =
                keycloak()
                        .passwordToken(
                                KeycloakServer.REALM,
                                KeycloakServer.SHORT_LIVED_CLIENT,
                                "operator",
                                "operator");
        long exp = OperatorTokens.claim(token, "exp");
        assertThat(exp - OperatorTokens.claim(token, "iat")).as("lifespan, s").isEqualTo(5);
        Response fresh = list(token);
        if (Instant.now().getEpochSecond() < exp) {
            // answered within its lifespan: the same token was good, so only time refuses it later
            assertThat(fresh.statusCode()).as(fresh.asString()).isEqualTo(200);
        }
        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(250))
                .until(() -> Instant.now().getEpochSecond() > exp);
        Instant expired = Instant.now();
        String tag = "multi-expired-" + UUID.randomUUID().toString().substring(0, 8);
        String path = "/api/purges/op-expired-" + UUID.randomUUID();

        refused(token, "expired");
        Response get = given().auth().oauth2(token).get(path);
        assertThat(get.statusCode()).as(get.asString()).isEqualTo(401);
        assertThat(get.contentType()).startsWith(PROBLEM);
        Response post =
                given().auth()
                        .oauth2(token)
                        .contentType("application/json")
                        .body(
                                """
                                {"tags":["%s"],"scope":"cdn","ticket":"OPS-44","reason":"an expired token must send nothing"}"""
                                        .formatted(tag))
                        .post("/api/purges");
        assertThat(post.statusCode()).as(post.asString()).isEqualTo(401);
        assertThat(post.contentType()).startsWith(PROBLEM);
        assertThat(post.asString()).doesNotContain(token);

        JsonNode audited =
                await().atMost(Duration.ofSeconds(20))
                        .until(
                                () ->
                                        IntegrationTestSupport.readAll(
                                                        auditTopic(),
                                                        r ->
                                                                IntegrationTestSupport.value(r)
                                                                        .contains(path))
                                                .stream()
                                                .map(
                                                        r ->
                                                                IntegrationTestSupport.json(
                                                                        IntegrationTestSupport
                                                                                .value(r)))
                                                .findFirst()
                                                .orElse(null),
                                Objects::nonNull);
        assertThat(audited.path("action").asText()).isEqualTo("GET " + path);
        assertThat(audited.path("outcome").asText()).isEqualTo("refused");
        assertThat(audited.path("status").asInt()).isEqualTo(401);
        assertThat(audited.path("actor").asText()).isEqualTo("anonymous");
        assertThat(audited.path("via").asText()).isEqualTo("oidc");
        assertThat(Instant.parse(audited.path("time").asText()))
                .isAfterOrEqualTo(expired.minusSeconds(1));
        assertThat(audited.toString()).doesNotContain(token);
        assertThat(
                        SandboxResource.sandbox().recorder().purges().stream()
                                .filter(r -> r.items().stream().anyMatch(i -> i.contains(tag)))
                                .toList())
                .as("nothing sent to any provider")
                .isEmpty();
        String signature = token.substring(token.lastIndexOf('.') + 1);
        try (Stream<Path> logs = Files.list(Path.of("target"))) {
            for (Path log : logs.filter(p -> p.toString().endsWith(".log")).toList()) {
                assertThat(Files.readString(log)).as(log.toString()).doesNotContain(signature);
            }
        }
    }

    @Test
    void aForgedSignatureIsRefused() {
        String token = keycloak().passwordToken("viewer", "viewer");
        refused(OperatorTokens.signedWithAnotherKey(token), "signed with another key");
        refused(OperatorTokens.unsigned(token), "alg none");
        refused("not.a.token", "garbage");
    }

    @Test
    void aTokenOfAnotherIssuerIsRefused() {
        // validly signed by the same Keycloak, but for realm "other": not the configured issuer
        refused(keycloak().passwordToken(KeycloakServer.OTHER_REALM, "admin", "admin"), "issuer");
    }

    @Test
    void noTokenEndsUpInTheLog() throws Exception {
        String token = keycloak().passwordToken("operator", "operator");
        list(token).then().statusCode(200);
        refused(OperatorTokens.signedWithAnotherKey(token), "forged");
        String signature = token.substring(token.lastIndexOf('.') + 1);
        try (Stream<Path> logs = Files.list(Path.of("target"))) {
            for (Path log : logs.filter(p -> p.toString().endsWith(".log")).toList()) {
                assertThat(Files.readString(log)).as(log.toString()).doesNotContain(signature);
            }
        }
    }
}
