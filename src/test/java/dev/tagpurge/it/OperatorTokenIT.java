package dev.tagpurge.it;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

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
import java.time.Instant;
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
    void anExpiredTokenIsRefused() {
        // exp in the past; Keycloak's 300 s lifespan is too long to wait for, so the claim is
        // rewritten, which also breaks the signature: either check refuses it
        String token = keycloak().passwordToken("operator", "operator");
        refused(
                OperatorTokens.withClaim(
                        token, "exp", Instant.now().minusSeconds(600).getEpochSecond()),
                "expired");
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
