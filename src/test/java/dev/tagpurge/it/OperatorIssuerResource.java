package dev.tagpurge.it;

import dev.tagpurge.testing.KeycloakResource;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.HashMap;
import java.util.Map;

/**
 * {@link KeycloakResource}, with the OIDC tenant turned on: the test profile keeps it off (no
 * issuer in the other tests), so the operator API's token tests switch it on with the issuer.
 */
public class OperatorIssuerResource implements QuarkusTestResourceLifecycleManager {

    private final KeycloakResource keycloak = new KeycloakResource();

    @Override
    public Map<String, String> start() {
        Map<String, String> config = new HashMap<>(keycloak.start());
        config.put("quarkus.oidc.tenant-enabled", "true");
        return config;
    }

    @Override
    public void stop() {
        keycloak.stop();
    }
}
