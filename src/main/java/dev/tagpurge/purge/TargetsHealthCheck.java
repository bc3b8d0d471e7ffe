package dev.tagpurge.purge;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Readiness: at least one purge target is configured and enabled. Reports each target's pending
 * selectors and in-flight requests, and whether intake is paused by backpressure (which is normal
 * under load and does not make the service unready).
 */
@Readiness
@ApplicationScoped
public class TargetsHealthCheck implements HealthCheck {

    private final PurgeDispatcher dispatcher;

    public TargetsHealthCheck(PurgeDispatcher dispatcher) {
        this.dispatcher = dispatcher;
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response =
                HealthCheckResponse.named("tagpurge-targets")
                        .status(!dispatcher.targetNames().isEmpty())
                        .withData("intake-paused", dispatcher.isPaused());
        for (TargetPipeline p : dispatcher.pipelines().values()) {
            response.withData(
                    p.name(),
                    p.purger().provider()
                            + ", pending "
                            + p.pendingSelectors()
                            + ", in flight "
                            + p.inFlight());
        }
        return response.build();
    }
}
