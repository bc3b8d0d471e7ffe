package dev.tagpurge.admin;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tagpurge.completion.CompletionPublisher;
import dev.tagpurge.purge.PurgeDispatcher;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.LaunchMode;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Wires the operator API: builds {@link OperatorPurges}, refuses to start a production service
 * whose API is enabled without an OIDC issuer, and reads the recent purges back from the audit
 * topic at start-up (in the background: a slow broker does not hold the start).
 */
@ApplicationScoped
public class OperatorApi {

    private static final Logger LOG = Logger.getLogger(OperatorApi.class);

    /** Longest the read-back of the audit topic may take. */
    static final Duration REPLAY_TIMEOUT = Duration.ofSeconds(15);

    @Produces
    @ApplicationScoped
    OperatorPurges operatorPurges(
            PurgeDispatcher dispatcher,
            CompletionPublisher completions,
            AuditLog audit,
            MeterRegistry registry,
            OperatorConfig config) {
        return new OperatorPurges(
                dispatcher, completions, audit, registry, config, Clock.systemUTC());
    }

    void onStart(
            @Observes StartupEvent start,
            OperatorConfig config,
            AuditConfig auditConfig,
            OperatorPurges purges,
            ObjectMapper json,
            @ConfigProperty(name = "quarkus.oidc.auth-server-url") Optional<String> issuer,
            @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrap) {
        requireIssuer(LaunchMode.current(), config.enabled(), issuer, !config.apiKeys().isEmpty());
        if (!config.enabled()) {
            LOG.info("operator purge API disabled (tagpurge.operator.enabled=false)");
            return;
        }
        ApiKeys.of(config); // a malformed hash fails the start, not the first request
        Thread.ofVirtual()
                .name("tagpurge-audit-replay")
                .start(
                        () -> {
                            var records =
                                    new AuditReplay(bootstrap, auditConfig.topic(), json)
                                            .read(config.recent() * 4, REPLAY_TIMEOUT);
                            purges.restore(records);
                            LOG.infof(
                                    "operator purge API: %d audit records read back from %s",
                                    records.size(), auditConfig.topic());
                        });
    }

    /**
     * In production an enabled API needs a way to authenticate anyone: an issuer, or API keys (then
     * with {@code quarkus.oidc.tenant-enabled=false}, for automation without an identity provider).
     */
    static void requireIssuer(
            LaunchMode mode, boolean enabled, Optional<String> issuer, boolean hasApiKeys) {
        if (mode == LaunchMode.NORMAL
                && enabled
                && !hasApiKeys
                && issuer.filter(s -> !s.isBlank()).isEmpty()) {
            throw new IllegalStateException(
                    "tagpurge.operator.enabled=true needs an OIDC issuer: set"
                            + " quarkus.oidc.auth-server-url (and quarkus.oidc.client-id,"
                            + " quarkus.oidc.token.audience), or API keys"
                            + " (tagpurge.operator.api-keys.*), or disable the operator API");
        }
    }
}
