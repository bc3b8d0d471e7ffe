package dev.tagpurge.sandbox;

import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Mounts the {@link CdnSandbox} on Quarkus's HTTP server under {@value #MOUNT_PATH} when {@code
 * tagpurge.sandbox.enabled=true}, so a local run needs no CDN account: a Fastly target then uses
 * {@code base-url=http://localhost:8080/sandbox/fastly}. The sandbox is also a bean, so code and
 * tests can read its records and set faults.
 */
@Singleton
public class SandboxRoutes {

    /** Where the sandbox is mounted on the service's own HTTP server. */
    public static final String MOUNT_PATH = "/sandbox";

    private static final Logger LOG = Logger.getLogger(SandboxRoutes.class);

    @ConfigProperty(name = "tagpurge.sandbox.enabled", defaultValue = "false")
    boolean enabled;

    private final CdnSandbox sandbox = new CdnSandbox();

    void init(@Observes Router router) {
        if (enabled) {
            sandbox.mount(router, MOUNT_PATH);
            LOG.infof(
                    "CDN sandbox mounted at %s (fastly base-url: <this server>%s/%s)",
                    MOUNT_PATH, MOUNT_PATH, FastlyEmulator.PROVIDER);
        }
    }

    /** The sandbox, whether or not it is mounted. */
    @Produces
    @ApplicationScoped
    CdnSandbox sandbox() {
        return sandbox;
    }
}
