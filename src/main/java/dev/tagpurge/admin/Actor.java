package dev.tagpurge.admin;

import io.quarkus.security.identity.SecurityIdentity;
import java.util.Set;
import java.util.TreeSet;

/**
 * Who makes an operator request: a person signed in at the issuer, or an API key.
 *
 * @param name the token's {@code preferred_username} (else its subject), or {@code api-key:<name>}
 * @param roles the operator roles held ({@link Roles}); other roles are left out
 * @param via {@code oidc} or {@code api-key}
 */
public record Actor(String name, Set<String> roles, String via) {

    public Actor {
        roles = Set.copyOf(roles);
    }

    /** The caller of an operator request, as authenticated (a token or an API key). */
    static Actor of(SecurityIdentity identity) {
        String via = identity.getAttribute(ApiKeyIdentities.VIA);
        Set<String> roles = OperatorPurges.operatorRoles(identity.getRoles());
        return new Actor(identity.getPrincipal().getName(), roles, via == null ? "oidc" : via);
    }

    public boolean isAdmin() {
        return roles.contains(Roles.ADMIN);
    }

    public boolean isOperator() {
        return roles.contains(Roles.OPERATOR) || isAdmin();
    }

    /** The role a purge is counted under: the highest held. */
    public String role() {
        return isAdmin() ? Roles.ADMIN : roles.contains(Roles.OPERATOR) ? Roles.OPERATOR : "none";
    }

    /** The roles, sorted, for records. */
    public Set<String> sortedRoles() {
        return new TreeSet<>(roles);
    }
}
