package dev.tagpurge.sandbox;

import io.vertx.ext.web.Router;

/**
 * One provider's emulated purge API inside the {@link CdnSandbox}. Each emulator serves the
 * provider's own paths, headers and bodies below its root ({@code <sandbox>/<provider>}), records
 * every purge request in the sandbox's {@link PurgeRecorder} and applies the sandbox's {@link
 * FaultInjector} faults before validating.
 */
public interface ProviderEmulator {

    /** The provider name, which is also the path segment of its root: {@code fastly}, … */
    String provider();

    /** Installs the API routes below {@code root}, e.g. {@code /sandbox/fastly}. */
    void mount(Router router, String root);

    /** Forgets emulated provider state such as rate-limit windows. */
    void reset();
}
