package dev.tagpurge.it;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tagpurge.testing.KafkaBrokerResource;
import dev.tagpurge.testing.KeycloakServer;
import dev.tagpurge.testing.RedisServerResource;
import dev.tagpurge.testing.SandboxResource;
import dev.tagpurge.testing.TestRunResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A service that requires another audience than the dev tokens carry ({@code aud: tagpurge}): a
 * valid operator token of the right issuer is then refused, 401 with a problem document.
 */
@QuarkusTest
@TestProfile(OperatorAudienceIT.AnotherAudience.class)
@WithTestResource(KafkaBrokerResource.class)
@WithTestResource(RedisServerResource.class)
@WithTestResource(SandboxResource.class)
@WithTestResource(TestRunResource.class)
@WithTestResource(OperatorIssuerResource.class)
class OperatorAudienceIT {

    /** The service expects tokens for {@code billing-api}. */
    public static class AnotherAudience implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.oidc.token.audience", "billing-api");
        }
    }

    @Test
    void aTokenForAnotherAudienceIsRefused() {
        String token = KeycloakServer.start().passwordToken("admin", "admin");
        Response r = given().auth().oauth2(token).get("/api/purges");
        assertThat(r.statusCode()).as(r.asString()).isEqualTo(401);
        assertThat(r.contentType()).startsWith("application/problem+json");
    }
}
