package dev.tagpurge.testing;

import dev.tagpurge.sandbox.CdnSandbox;
import dev.tagpurge.sandbox.SandboxServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * Starts the CDN sandbox once per JVM on a random 127.0.0.1 port and reuses it across test classes.
 * It provides {@code test.tagpurge.sandbox-url} (the sandbox root, e.g. {@code
 * http://127.0.0.1:41234}); a Fastly target then sets {@code
 * base-url=${test.tagpurge.sandbox-url}/fastly}.
 *
 * <p>Each {@link #start()} resets the sandbox (records, faults, rate limits), so a Quarkus test
 * application starts against a clean provider.
 */
public class SandboxResource implements QuarkusTestResourceLifecycleManager {

    /** The config key holding the sandbox root URL. */
    public static final String SANDBOX_URL = "test.tagpurge.sandbox-url";

    private static SandboxServer server;

    @Override
    public Map<String, String> start() {
        SandboxServer running = server();
        running.sandbox().reset();
        return Map.of(SANDBOX_URL, running.baseUrl());
    }

    @Override
    public void stop() {
        // Kept running for the next test class; the shutdown hook closes it with the JVM.
    }

    /** The shared sandbox, started if needed. */
    public static CdnSandbox sandbox() {
        return server().sandbox();
    }

    /** The shared sandbox's root URL, started if needed. */
    public static String baseUrl() {
        return server().baseUrl();
    }

    private static synchronized SandboxServer server() {
        if (server == null) {
            SandboxServer started = SandboxServer.start(0);
            Runtime.getRuntime().addShutdownHook(new Thread(started::close, "sandbox-shutdown"));
            server = started;
        }
        return server;
    }
}
