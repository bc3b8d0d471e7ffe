package dev.tagpurge.testing;

import dev.tagpurge.sandbox.CdnSandbox;
import dev.tagpurge.sandbox.CloudflareEmulatorSettings;
import dev.tagpurge.sandbox.SandboxServer;
import dev.tagpurge.sandbox.SandboxSettings;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.Map;

/**
 * A second sandbox whose Cloudflare emulator enforces the Free plan's purge bucket scaled down in
 * time: 25 requests of burst, 5 more a second (the real plan: 25, then 5 a minute). Anything over
 * it is answered 429, so a test can show Tagpurge never trips it.
 */
public class ScaledCloudflareSandboxResource implements QuarkusTestResourceLifecycleManager {

    /** Burst of the scaled bucket. */
    public static final int BUCKET = 25;

    /** Refill of the scaled bucket, per second. */
    public static final int REFILL_PER_SECOND = 5;

    private static SandboxServer server;

    @Override
    public synchronized Map<String, String> start() {
        if (server == null) {
            CloudflareEmulatorSettings free =
                    CloudflareEmulatorSettings.defaults()
                            .withPlan(CloudflareEmulatorSettings.Plan.FREE)
                            .withRequestBucket(BUCKET, REFILL_PER_SECOND, Duration.ofSeconds(1));
            server =
                    SandboxServer.start(
                            Vertx.vertx(),
                            0,
                            new CdnSandbox(SandboxSettings.defaults().withCloudflare(free)));
            Runtime.getRuntime().addShutdownHook(new Thread(server::close));
        }
        return Map.of("test.tagpurge.scaled-sandbox-url", server.baseUrl());
    }

    @Override
    public void stop() {}

    public static CdnSandbox sandbox() {
        return server.sandbox();
    }
}
