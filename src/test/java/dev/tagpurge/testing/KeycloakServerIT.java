package dev.tagpurge.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The issuer the tests use is a real Keycloak with the dev realms of {@code
 * deploy/local/keycloak/}: the tokens it signs carry the issuer, the {@code tagpurge} audience and
 * the realm roles the service authorizes on, and it refuses bad credentials. Its process tree goes
 * away when closed.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class KeycloakServerIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static KeycloakServer keycloak;

    @BeforeAll
    static void startKeycloak() {
        keycloak = KeycloakServer.startDedicated();
    }

    @AfterAll
    static void stopKeycloak() {
        if (keycloak != null) {
            keycloak.close();
        }
    }

    @Test
    void operatorTokensCarryTheIssuerTheAudienceAndTheOperatorRole() {
        JsonNode claims = claims(keycloak.passwordToken("operator", "operator"));

        assertThat(keycloak.issuer()).matches("http://127\\.0\\.0\\.1:\\d+/realms/tagpurge");
        assertThat(claims.path("iss").asText()).isEqualTo(keycloak.issuer());
        assertThat(audiences(claims)).contains("tagpurge");
        assertThat(claims.path("azp").asText()).isEqualTo("tagpurge-cli");
        assertThat(claims.path("preferred_username").asText()).isEqualTo("operator");
        assertThat(realmRoles(claims)).contains("purge-operator").doesNotContain("purge-admin");
        long lifetime = claims.path("exp").asLong() - claims.path("iat").asLong();
        assertThat(lifetime).isEqualTo(300);
    }

    @Test
    void adminTokensCarryBothRolesThroughTheComposite() {
        JsonNode claims = claims(keycloak.passwordToken("admin", "admin"));

        assertThat(claims.path("iss").asText()).isEqualTo(keycloak.issuer());
        assertThat(audiences(claims)).contains("tagpurge");
        assertThat(realmRoles(claims)).contains("purge-admin", "purge-operator");
    }

    @Test
    void viewerTokensCarryNoPurgeRole() {
        JsonNode claims = claims(keycloak.passwordToken("viewer", "viewer"));

        assertThat(claims.path("iss").asText()).isEqualTo(keycloak.issuer());
        assertThat(audiences(claims)).contains("tagpurge");
        assertThat(realmRoles(claims)).doesNotContain("purge-operator", "purge-admin");
    }

    @Test
    void aWrongPasswordIsRefusedByTheTokenEndpoint() {
        HttpResponse<String> refused =
                keycloak.passwordGrant(KeycloakServer.REALM, "operator", "not-the-password");

        // RFC 6749 5.2: invalid_grant is a 400 (Keycloak answers 401 only to client auth failures).
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(refused.body()).contains("invalid_grant");
        assertThatThrownBy(() -> keycloak.passwordToken("operator", "not-the-password"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("400");
        assertThat(keycloak.passwordGrant(KeycloakServer.REALM, "nobody", "nobody").statusCode())
                .isEqualTo(400);
    }

    @Test
    void theOtherRealmIssuesTokensUnderAnotherIssuer() {
        JsonNode claims =
                claims(keycloak.passwordToken(KeycloakServer.OTHER_REALM, "operator", "operator"));

        assertThat(keycloak.otherIssuer()).isNotEqualTo(keycloak.issuer());
        assertThat(claims.path("iss").asText()).isEqualTo(keycloak.otherIssuer());
        assertThat(audiences(claims)).contains("tagpurge");
        assertThat(realmRoles(claims)).contains("purge-operator");
    }

    @Test
    @Order(Integer.MAX_VALUE)
    void closingStopsKcShAndTheJavaServerItForked() {
        assertThat(keycloak.isAlive()).isTrue();
        List<ProcessHandle> tree = keycloakProcessTree();
        assertThat(tree)
                .anySatisfy(
                        p ->
                                assertThat(p.info().command())
                                        .hasValueSatisfying(c -> assertThat(c).endsWith("/java")));

        keycloak.close();

        assertThat(tree).allSatisfy(p -> assertThat(p.isAlive()).isFalse());
        assertThatThrownBy(() -> keycloak.passwordToken("operator", "operator"))
                .isInstanceOf(RuntimeException.class);
    }

    private static List<ProcessHandle> keycloakProcessTree() {
        List<ProcessHandle> tree = new ArrayList<>();
        ProcessHandle.current()
                .children()
                .filter(
                        p ->
                                p.info()
                                        .arguments()
                                        .map(a -> String.join(" ", a).contains(keycloak.baseUrl()))
                                        .orElse(false))
                .forEach(
                        p -> {
                            tree.add(p);
                            p.descendants().forEach(tree::add);
                        });
        return tree;
    }

    private static JsonNode claims(String jwt) {
        String[] parts = jwt.split("\\.");
        assertThat(parts).hasSize(3);
        byte[] payload = Base64.getUrlDecoder().decode(parts[1]);
        try {
            return JSON.readTree(new String(payload, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new AssertionError("token payload is not JSON", e);
        }
    }

    private static List<String> audiences(JsonNode claims) {
        JsonNode aud = claims.path("aud");
        List<String> values = new ArrayList<>();
        if (aud.isArray()) {
            aud.forEach(a -> values.add(a.asText()));
        } else if (aud.isTextual()) {
            values.add(aud.asText());
        }
        return values;
    }

    private static List<String> realmRoles(JsonNode claims) {
        List<String> roles = new ArrayList<>();
        claims.path("realm_access").path("roles").forEach(r -> roles.add(r.asText()));
        return roles;
    }
}
