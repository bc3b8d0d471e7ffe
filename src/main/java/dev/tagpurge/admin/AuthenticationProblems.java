package dev.tagpurge.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.util.List;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Answers 401 and 403 with problem documents. The detail never repeats the token, key or the
 * validation error of a token (which could): only that authentication failed and how to retry. With
 * {@code quarkus.http.auth.proactive=false} authentication happens when a resource needs it, so its
 * failures reach these mappers.
 */
public class AuthenticationProblems {

    private final ObjectMapper json;

    public AuthenticationProblems(ObjectMapper json) {
        this.json = json;
    }

    @ServerExceptionMapper
    public Response unauthenticated(UnauthorizedException e) {
        return unauthorized("a bearer token (Authorization: Bearer …) or an API key is required");
    }

    @ServerExceptionMapper
    public Response failed(AuthenticationFailedException e) {
        return unauthorized(
                "the token or API key was not accepted (expired, wrong issuer or audience, bad"
                        + " signature, or unknown key)");
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e) {
        return build(Problem.forbidden("your roles do not allow this", List.of())).build();
    }

    private Response unauthorized(String detail) {
        return build(Problem.unauthenticated(detail))
                .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer")
                .build();
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
