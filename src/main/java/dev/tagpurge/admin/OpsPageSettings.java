package dev.tagpurge.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * {@code GET /api/ops/settings}: what the ops page ({@code /ops/}) needs to sign in, read from the
 * issuer's discovery document: its authorization, token and end-session endpoints and the public
 * client the page signs in with. Public: it holds no secret. The page then gets its own access
 * token and calls {@code /api/purges} with it like any client.
 */
@Path("/api/ops/settings")
public class OpsPageSettings {

    private static final Logger LOG = Logger.getLogger(OpsPageSettings.class);
    private static final Duration DISCOVERY_TIMEOUT = Duration.ofSeconds(5);

    /** What the page is told; {@code endSessionEndpoint} is absent when the issuer has none. */
    public record Settings(
            String clientId,
            String authorizationEndpoint,
            String tokenEndpoint,
            String endSessionEndpoint) {}

    private final OperatorConfig config;
    private final Optional<String> issuer;
    private final String clientId;
    private final ObjectMapper json;
    private final AtomicReference<Settings> discovered = new AtomicReference<>();

    public OpsPageSettings(
            OperatorConfig config,
            @ConfigProperty(name = "tagpurge.operator.page.issuer") Optional<String> pageIssuer,
            @ConfigProperty(name = "quarkus.oidc.auth-server-url") Optional<String> serverIssuer,
            @ConfigProperty(
                            name = "tagpurge.operator.page.client-id",
                            defaultValue = "tagpurge-ops")
                    String clientId,
            ObjectMapper json) {
        this.config = config;
        this.issuer = pageIssuer.or(() -> serverIssuer);
        this.clientId = clientId;
        this.json = json;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Response settings() {
        if (!config.enabled() || issuer.isEmpty()) {
            Problem off =
                    Problem.unavailable(
                            "the operator API is off or has no issuer (tagpurge.operator.enabled,"
                                    + " quarkus.oidc.auth-server-url)");
            return Response.status(off.status()).type(Problem.MEDIA_TYPE).entity(off).build();
        }
        Settings settings = discovered.get();
        if (settings == null) {
            try {
                settings = discover(issuer.get());
                discovered.set(settings);
            } catch (IOException e) {
                LOG.warnf("Cannot read the issuer's discovery document: %s", e.getMessage());
                Problem unreadable =
                        new Problem(
                                "urn:tagpurge:problem:issuer-unreachable",
                                "The identity provider cannot be reached",
                                502,
                                "its discovery document is unreadable; the page cannot sign in",
                                null,
                                null);
                return Response.status(unreadable.status())
                        .type(Problem.MEDIA_TYPE)
                        .entity(unreadable)
                        .build();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Response.status(Response.Status.SERVICE_UNAVAILABLE).build();
            }
        }
        return Response.ok(settings).header("Cache-Control", "no-store").build();
    }

    private Settings discover(String issuerUrl) throws IOException, InterruptedException {
        String base = issuerUrl.endsWith("/") ? issuerUrl : issuerUrl + "/";
        try (HttpClient http = HttpClient.newBuilder().connectTimeout(DISCOVERY_TIMEOUT).build()) {
            HttpResponse<String> answer =
                    http.send(
                            HttpRequest.newBuilder(
                                            URI.create(base + ".well-known/openid-configuration"))
                                    .timeout(DISCOVERY_TIMEOUT)
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            if (answer.statusCode() != 200) {
                throw new IOException("status " + answer.statusCode());
            }
            JsonNode document = json.readTree(answer.body());
            return new Settings(
                    clientId,
                    required(document, "authorization_endpoint"),
                    required(document, "token_endpoint"),
                    document.path("end_session_endpoint").asText(null));
        }
    }

    private static String required(JsonNode document, String field) throws IOException {
        String value = document.path(field).asText(null);
        if (value == null || value.isBlank()) {
            throw new IOException("no " + field);
        }
        return value;
    }
}
