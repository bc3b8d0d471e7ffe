package dev.tagpurge.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.security.Authenticated;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.List;
import java.util.Map;

/**
 * {@code /api/purges}: operators purge by hand. {@code POST} previews ({@code dryRun}) or executes
 * one purge (202 with {@code Location}); {@code GET /{id}} shows one; {@code GET ?limit=} lists the
 * recent ones, newest first. Every error is a problem document ({@code application/problem+json}).
 * Any authenticated caller reaches these methods; the roles are checked (and every refusal audited)
 * in {@link OperatorPurges}.
 */
@Path("/api/purges")
@Authenticated
public class PurgeResource {

    /** Purges listed when {@code limit} is not given. */
    static final int DEFAULT_LIMIT = 20;

    private final OperatorPurges purges;
    private final OperatorConfig config;
    private final SecurityIdentity identity;
    private final ObjectMapper json;

    public PurgeResource(
            OperatorPurges purges,
            OperatorConfig config,
            SecurityIdentity identity,
            ObjectMapper json) {
        this.purges = purges;
        this.config = config;
        this.identity = identity;
        this.json = json;
    }

    @POST
    @Consumes(MediaType.WILDCARD)
    @Produces({MediaType.APPLICATION_JSON, Problem.MEDIA_TYPE})
    public Response create(String body, @jakarta.ws.rs.core.Context UriInfo uri) {
        if (!config.enabled()) {
            return problem(Problem.unavailable("tagpurge.operator.enabled is false"));
        }
        return switch (purges.submit(body, actor())) {
            case OperatorPurges.Previewed p -> ok(p.preview(), 200);
            case OperatorPurges.Accepted a ->
                    Response.accepted(write(a.purge()))
                            .type(MediaType.APPLICATION_JSON)
                            .location(
                                    uri.getBaseUriBuilder()
                                            .path("api/purges")
                                            .path(a.purge().id())
                                            .build())
                            .build();
            case OperatorPurges.Refused r -> problem(r.problem());
        };
    }

    @GET
    @Path("{id}")
    @Produces({MediaType.APPLICATION_JSON, Problem.MEDIA_TYPE})
    public Response get(@PathParam("id") String id) {
        Response refused = refuseReading();
        if (refused != null) {
            return refused;
        }
        return purges.get(id)
                .map(p -> ok(p, 200))
                .orElseGet(
                        () ->
                                problem(
                                        Problem.notFound(
                                                "no recent purge has this id (the service keeps the"
                                                        + " last "
                                                        + config.recent()
                                                        + ")")));
    }

    @GET
    @Produces({MediaType.APPLICATION_JSON, Problem.MEDIA_TYPE})
    public Response list(@QueryParam("limit") String limit) {
        Response refused = refuseReading();
        if (refused != null) {
            return refused;
        }
        int n = DEFAULT_LIMIT;
        if (limit != null) {
            try {
                n = Integer.parseInt(limit.strip());
            } catch (NumberFormatException e) {
                n = -1;
            }
            if (n < 1 || n > config.recent()) {
                return problem(
                        Problem.invalid(
                                List.of(
                                        new FieldError(
                                                "limit",
                                                "must be a whole number from 1 to "
                                                        + config.recent()))));
            }
        }
        return ok(Map.of("purges", purges.recent(n)), 200);
    }

    private Response refuseReading() {
        if (!config.enabled()) {
            return problem(Problem.unavailable("tagpurge.operator.enabled is false"));
        }
        if (!actor().isOperator()) {
            return problem(
                    Problem.forbidden(
                            "the purge-operator or purge-admin role is required", List.of()));
        }
        return null;
    }

    private Actor actor() {
        return Actor.of(identity);
    }

    private Response ok(Object entity, int status) {
        return Response.status(status)
                .type(MediaType.APPLICATION_JSON)
                .entity(write(entity))
                .build();
    }

    private Response problem(Problem p) {
        Response.ResponseBuilder r =
                Response.status(p.status()).type(Problem.MEDIA_TYPE).entity(write(p));
        if (p.retryAfterSeconds() != null) {
            r.header("Retry-After", p.retryAfterSeconds());
        }
        return r.build();
    }

    private String write(Object entity) {
        try {
            return json.writeValueAsString(entity);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("response not serializable", e);
        }
    }
}
