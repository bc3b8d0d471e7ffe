package dev.tagpurge.testing;

import java.util.Optional;

/** Reads the settings that point tests at an already running server instead of starting one. */
final class ExternalServer {

    private ExternalServer() {}

    /**
     * The system property {@code name}, else the environment variable {@code name}, if not blank.
     */
    static Optional<String> address(String name) {
        String value = System.getProperty(name, System.getenv(name));
        return Optional.ofNullable(value).map(String::strip).filter(v -> !v.isEmpty());
    }
}
