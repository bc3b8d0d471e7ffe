package dev.tagpurge.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * Gives {@code @QuarkusTest}s a real OIDC issuer: the {@link KeycloakServer} shared by the test JVM
 * (started by the first test class that needs it, stopped by a JVM shutdown hook), with the service
 * pointed at its {@code tagpurge} realm and audience. Tests get tokens from {@link
 * KeycloakServer#start()}{@code .passwordToken(user, password)} with the dev users of {@code
 * deploy/local/keycloak/README.md}.
 *
 * <pre>{@code @QuarkusTestResource(KeycloakResource.class)}</pre>
 */
public class KeycloakResource implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        KeycloakServer keycloak = KeycloakServer.start();
        return Map.of(
                "quarkus.oidc.auth-server-url",
                keycloak.issuer(),
                "quarkus.oidc.client-id",
                "tagpurge",
                "quarkus.oidc.token.audience",
                "tagpurge",
                // Keycloak Dev Services need Docker; the issuer above is already running.
                "quarkus.keycloak.devservices.enabled",
                "false");
    }

    @Override
    public void stop() {
        // The server outlives each test class on purpose; the shutdown hook stops it.
    }
}
