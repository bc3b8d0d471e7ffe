package dev.tagpurge.admin;

import io.quarkus.security.identity.IdentityProviderManager;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.AuthenticationRequest;
import io.quarkus.vertx.http.runtime.security.ChallengeData;
import io.quarkus.vertx.http.runtime.security.HttpAuthenticationMechanism;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Set;

/**
 * Reads an API key from {@code X-Api-Key: <key>} or {@code Authorization: ApiKey <key>}; a request
 * without one is left to the bearer-token mechanism (OIDC).
 */
@ApplicationScoped
public class ApiKeyAuthentication implements HttpAuthenticationMechanism {

    /** The header carrying a key. */
    public static final String HEADER = "X-Api-Key";

    /** The {@code Authorization} scheme carrying a key. */
    public static final String SCHEME = "ApiKey";

    @Override
    public Uni<SecurityIdentity> authenticate(
            RoutingContext context, IdentityProviderManager identityProviderManager) {
        String key = presentedKey(context.request().getHeader(HEADER), authorization(context));
        if (key == null) {
            return Uni.createFrom().optional(java.util.Optional.empty());
        }
        return identityProviderManager.authenticate(new ApiKeyRequest(key));
    }

    private static String authorization(RoutingContext context) {
        return context.request().getHeader("Authorization");
    }

    /** The key in either header, or null. */
    static String presentedKey(String header, String authorization) {
        if (header != null && !header.isBlank()) {
            return header.strip();
        }
        if (authorization != null
                && authorization.regionMatches(true, 0, SCHEME + " ", 0, SCHEME.length() + 1)) {
            String key = authorization.substring(SCHEME.length() + 1).strip();
            return key.isEmpty() ? null : key;
        }
        return null;
    }

    @Override
    public Uni<ChallengeData> getChallenge(RoutingContext context) {
        return Uni.createFrom().item(new ChallengeData(401, "WWW-Authenticate", SCHEME));
    }

    @Override
    public Set<Class<? extends AuthenticationRequest>> getCredentialTypes() {
        return Set.of(ApiKeyRequest.class);
    }
}
