package dev.tagpurge.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tagpurge.event.ChangeEventParser;
import dev.tagpurge.event.Explanation;
import dev.tagpurge.event.RuleExplainer;
import io.quarkus.security.Authenticated;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;

/**
 * {@code POST /api/explain}: what the pipeline would do with a change event, rule by rule and
 * target by target, without purging or publishing anything. The body is the event as it would be on
 * the input topic (plain or a structured CloudEvent); a binary CloudEvent comes as its data with
 * {@code ce-*} headers (the CloudEvents HTTP binding), which stand for the record's {@code ce_*}
 * headers, and {@code Content-Type} for its {@code content-type} header. An event the consumer
 * would dead-letter is answered 422 with a problem document carrying the same {@code reason}.
 *
 * <p>Operators only (purge-operator or purge-admin). Each request is audited like a preview (action
 * {@code explain}): it shows a caller how the rules and targets are configured and what an event
 * would purge, and the audit topic is where that reading is accounted for.
 */
@Path(ExplainResource.PATH)
@Authenticated
public class ExplainResource {

    /** The endpoint. */
    public static final String PATH = "/api/explain";

    private final RuleExplainer explainer;
    private final OperatorConfig config;
    private final SecurityIdentity identity;
    private final AuditLog audit;
    private final ObjectMapper json;

    public ExplainResource(
            RuleExplainer explainer,
            OperatorConfig config,
            SecurityIdentity identity,
            AuditLog audit,
            ObjectMapper json) {
        this.explainer = explainer;
        this.config = config;
        this.identity = identity;
        this.audit = audit;
        this.json = json;
    }

    @POST
    @Consumes(MediaType.WILDCARD)
    @Produces({MediaType.APPLICATION_JSON, Problem.MEDIA_TYPE})
    public Response explain(byte[] body, @Context HttpHeaders headers) {
        if (!config.enabled()) {
            return problem(Problem.unavailable("tagpurge.operator.enabled is false"));
        }
        Actor actor = Actor.of(identity);
        String id = "req-" + UUID.randomUUID();
        if (!actor.isOperator()) {
            Problem forbidden =
                    Problem.forbidden(
                            "the purge-operator or purge-admin role is required", List.of());
            audit.write(record(id, actor, "refused", null, forbidden));
            return problem(forbidden);
        }
        Explanation explanation = explainer.explain(body, recordHeaders(headers));
        return switch (explanation) {
            case Explanation.Explained e -> {
                audit.write(record(id, actor, "explained", e, null));
                yield Response.ok(write(e)).type(MediaType.APPLICATION_JSON).build();
            }
            case Explanation.Invalid i -> {
                Problem invalid = Problem.invalidEvent(i.reason().label(), i.cause(), i.field());
                audit.write(record(id, actor, "invalid", null, invalid));
                yield problem(invalid);
            }
        };
    }

    /**
     * The Kafka record headers the HTTP request stands for: {@code content-type} is its {@code
     * Content-Type}, {@code ce_<name>} its {@code ce-<name>} header.
     */
    static Function<String, String> recordHeaders(HttpHeaders headers) {
        return name -> {
            if (name.equals(ChangeEventParser.CONTENT_TYPE_HEADER)) {
                return headers.getHeaderString(HttpHeaders.CONTENT_TYPE);
            }
            if (name.startsWith("ce_")) {
                return headers.getHeaderString("ce-" + name.substring(3));
            }
            return null;
        };
    }

    /**
     * An explanation's audit record: who asked, and what the event would purge (its selectors, the
     * targets that would send them, the mode), or why it is invalid. The event itself is not kept.
     */
    private static AuditRecord record(
            String id, Actor actor, String outcome, Explanation.Explained e, Problem refusal) {
        List<String> values = null;
        List<String> targets = null;
        Integer items = null;
        if (e != null) {
            values = new ArrayList<>();
            if (e.selectors().everything()) {
                values.add("everything");
            }
            values.addAll(e.selectors().tags());
            values.addAll(e.selectors().urls());
            values.addAll(e.selectors().prefixes());
            items = values.size();
            values = AuditRecord.firstValues(values);
            targets =
                    e.targets().stream()
                            .filter(t -> t.selectors() != null)
                            .map(Explanation.Target::target)
                            .toList();
        }
        return new AuditRecord(
                id,
                Instant.now(),
                "explain",
                outcome,
                refusal == null ? 200 : refusal.status(),
                actor.name(),
                actor.sortedRoles(),
                actor.via(),
                null,
                null,
                null,
                items,
                values,
                targets,
                null,
                e == null ? null : e.mode(),
                true,
                refusal,
                null);
    }

    private Response problem(Problem p) {
        return Response.status(p.status()).type(Problem.MEDIA_TYPE).entity(write(p)).build();
    }

    private String write(Object entity) {
        try {
            return json.writeValueAsString(entity);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("response not serializable", e);
        }
    }
}
