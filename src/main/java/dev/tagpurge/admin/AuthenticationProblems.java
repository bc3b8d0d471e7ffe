package dev.tagpurge.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Answers 401 and 403 with problem documents. The detail never repeats the token, key or the
 * validation error of a token (which could): only that authentication failed and how to retry. With
 * {@code quarkus.http.auth.proactive=false} authentication happens when a resource needs it, so its
 * failures reach these mappers.
 */
public class AuthenticationProblems {

    /** Who an unauthenticated request is in its audit record. */
    static final String ANONYMOUS = "anonymous";

    private final ObjectMapper json;
    private final AuditLog audit;

    public AuthenticationProblems(ObjectMapper json, AuditLog audit) {
        this.json = json;
        this.audit = audit;
    }

    @ServerExceptionMapper
    public Response unauthenticated(UnauthorizedException e, HttpServerRequest request) {
        return unauthorized(
                request, "a bearer token (Authorization: Bearer …) or an API key is required");
    }

    @ServerExceptionMapper
    public Response failed(AuthenticationFailedException e, HttpServerRequest request) {
        return unauthorized(
                request,
                "the token or API key was not accepted (expired, wrong issuer or audience, bad"
                        + " signature, or unknown key)");
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e) {
        return build(Problem.forbidden("your roles do not allow this", List.of())).build();
    }

    private Response unauthorized(HttpServerRequest request, String detail) {
        Problem problem = Problem.unauthenticated(detail);
        if (request.path().startsWith("/api/purges")
                || request.path().startsWith(ExplainResource.PATH)) {
            audit.write(refused(request, problem));
        }
        return build(problem).header(HttpHeaders.WWW_AUTHENTICATE, "Bearer").build();
    }

    /** The audit record of a request refused before anyone was known: what it tried, not who. */
    private static AuditRecord refused(HttpServerRequest request, Problem problem) {
        String via = null;
        String authorization = request.getHeader("Authorization");
        if (request.getHeader(ApiKeyAuthentication.HEADER) != null
                || (authorization != null
                        && authorization.startsWith(ApiKeyAuthentication.SCHEME))) {
            via = "api-key";
        } else if (authorization != null) {
            via = "oidc";
        }
        return new AuditRecord(
                "req-" + UUID.randomUUID(),
                Instant.now(),
                request.method().name() + " " + request.path(),
                "refused",
                problem.status(),
                ANONYMOUS,
                Set.of(),
                via,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                problem,
                null);
    }

    private Response.ResponseBuilder build(Problem p) {
        try {
            return Response.status(p.status())
                    .type(Problem.MEDIA_TYPE)
                    .entity(json.writeValueAsString(p));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
