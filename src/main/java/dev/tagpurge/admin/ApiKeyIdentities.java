package dev.tagpurge.admin;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/** Turns a presented API key into an identity {@code api-key:<name>} with the key's roles. */
@ApplicationScoped
public class ApiKeyIdentities implements IdentityProvider<ApiKeyRequest> {

    /** The identity attribute saying how the caller authenticated. */
    public static final String VIA = "tagpurge.via";

    private final ApiKeys keys;

    public ApiKeyIdentities(OperatorConfig config) {
        this.keys = ApiKeys.of(config);
    }

    @Override
    public Class<ApiKeyRequest> getRequestType() {
        return ApiKeyRequest.class;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(
            ApiKeyRequest request, AuthenticationRequestContext context) {
        return keys.match(request.key())
                .<Uni<SecurityIdentity>>map(
                        m ->
                                Uni.createFrom()
                                        .item(
                                                QuarkusSecurityIdentity.builder()
                                                        .setPrincipal(
                                                                new QuarkusPrincipal(
                                                                        "api-key:" + m.name()))
                                                        .addRoles(m.roles())
                                                        .addAttribute(VIA, "api-key")
                                                        .build()))
                .orElseGet(
                        () ->
                                Uni.createFrom()
                                        .failure(
                                                new AuthenticationFailedException(
                                                        "unknown API key")));
    }
}
