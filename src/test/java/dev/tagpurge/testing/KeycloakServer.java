package dev.tagpurge.testing;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.awaitility.core.ConditionTimeoutException;
import org.awaitility.core.TerminalFailureException;

/**
 * A real OIDC issuer for tests: Keycloak's server distribution ({@code bin/kc.sh start-dev}) bound
 * to 127.0.0.1 on a free port, with an in-memory database and the dev realms of {@code
 * deploy/local/keycloak/} imported ({@code tagpurge}, and {@code other} for tokens from a wrong
 * issuer). Maven unpacks the distribution into {@code target/keycloak/} before the tests run and
 * passes its folder as the system property {@value #HOME_PROPERTY}.
 *
 * <p>{@link #start()} shares one server per test JVM (it takes minutes to start on a busy machine);
 * {@link #startDedicated()} starts one that {@link #close()} stops. Set {@value #EXTERNAL_KEYCLOAK}
 * (system property or environment variable) to the base URL of a running Keycloak with those
 * realms, e.g. {@code http://127.0.0.1:8180} from {@code deploy/local/run.sh}, to use it instead.
 *
 * <p>Its log is {@code target/keycloak-<port>.log}; {@code target/keycloak-<port>.pid} holds the
 * server's Java PID while it runs.
 */
public final class KeycloakServer implements AutoCloseable {

    /** System property with the unpacked distribution's folder (set by the Maven build). */
    public static final String HOME_PROPERTY = "test.tagpurge.keycloak.home";

    /** System property or environment variable with the base URL of a Keycloak to use instead. */
    public static final String EXTERNAL_KEYCLOAK = "TAGPURGE_TEST_KEYCLOAK";

    /** The realm the service trusts. */
    public static final String REALM = "tagpurge";

    /** A second realm: a valid token from another issuer. */
    public static final String OTHER_REALM = "other";

    /** The public client with direct access grants, for tests and curl. */
    public static final String CLI_CLIENT = "tagpurge-cli";

    /**
     * The test-only client of realm {@value #REALM} whose access tokens live 5 s ({@code
     * access.token.lifespan}): a real, validly signed token that expires while a test waits.
     */
    public static final String SHORT_LIVED_CLIENT = "tagpurge-short-lived";

    // Started in one class loader, found again from another (Quarkus loads test resources twice).
    private static final String SHARED_URL_PROPERTY = "test.tagpurge.keycloak.started";

    // Minutes on a loaded 2-core machine (schema creation and realm import dominate).
    private static final Duration STARTUP_TIMEOUT = Duration.ofMinutes(10);
    private static final long STOP_GRACE_SECONDS = 20;

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String baseUrl;
    private final Optional<Process> process;
    private final List<ProcessHandle> launched;
    private final Optional<Path> pidFile;
    private final HttpClient http;

    private KeycloakServer(
            String baseUrl,
            Optional<Process> process,
            List<ProcessHandle> launched,
            Optional<Path> pidFile) {
        this.baseUrl = baseUrl;
        this.process = process;
        this.launched = launched;
        this.pidFile = pidFile;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    }

    /**
     * The Keycloak shared by this JVM: {@value #EXTERNAL_KEYCLOAK} if set, else one started on
     * first use and stopped by a shutdown hook. Its {@link #close()} does nothing.
     */
    public static KeycloakServer start() {
        Optional<String> external = ExternalServer.address(EXTERNAL_KEYCLOAK);
        if (external.isPresent()) {
            return unowned(external.get());
        }
        synchronized (KeycloakServer.class) {
            String started = System.getProperty(SHARED_URL_PROPERTY);
            if (started != null) {
                return unowned(started);
            }
            KeycloakServer server = startDedicated();
            Runtime.getRuntime().addShutdownHook(new Thread(server::close, "keycloak-stop"));
            System.setProperty(SHARED_URL_PROPERTY, server.baseUrl());
            return unowned(server.baseUrl());
        }
    }

    /**
     * Starts a Keycloak of its own on a free port and waits until the {@value #REALM} realm's
     * discovery document answers; {@link #close()} stops it.
     *
     * @throws IllegalStateException if the distribution is missing or Keycloak does not start
     */
    public static KeycloakServer startDedicated() {
        int port = FreePort.pick();
        Path home = distribution();
        importRealms(home);
        Path build = ChildProcess.buildDirectory();
        Path log = build.resolve("keycloak-" + port + ".log");
        Path pidFile = build.resolve("keycloak-" + port + ".pid");
        String baseUrl = "http://127.0.0.1:" + port;
        List<String> command =
                List.of(
                        home.resolve("bin/kc.sh").toString(),
                        "start-dev",
                        "--http-host=127.0.0.1",
                        "--http-port=" + port,
                        // Pins the issuer: tokens say 127.0.0.1 whatever host name asked for them.
                        "--hostname=" + baseUrl,
                        "--db=dev-mem",
                        "--import-realm");
        long began = System.nanoTime();
        Process process = launch(command, home, log);
        KeycloakServer server =
                new KeycloakServer(
                        baseUrl,
                        Optional.of(process),
                        new ArrayList<>(List.of(process.toHandle())),
                        Optional.of(pidFile));
        server.awaitDiscovery(log);
        server.rememberJavaProcess();
        System.out.printf(
                "Keycloak started on %s in %d s%n",
                baseUrl, Duration.ofNanos(System.nanoTime() - began).toSeconds());
        return server;
    }

    /** {@code http://127.0.0.1:<port>}. */
    public String baseUrl() {
        return baseUrl;
    }

    /** The issuer of the {@value #REALM} realm: {@code http://127.0.0.1:<port>/realms/tagpurge}. */
    public String issuer() {
        return issuer(REALM);
    }

    /** The issuer of the {@value #OTHER_REALM} realm, which the service must not trust. */
    public String otherIssuer() {
        return issuer(OTHER_REALM);
    }

    public String issuer(String realm) {
        return baseUrl + "/realms/" + realm;
    }

    /** The token endpoint of {@code realm}. */
    public String tokenEndpoint(String realm) {
        return issuer(realm) + "/protocol/openid-connect/token";
    }

    /** An access token for {@code user} of the {@value #REALM} realm (password grant). */
    public String passwordToken(String user, String password) {
        return passwordToken(REALM, user, password);
    }

    /**
     * An access token for {@code user} of {@code realm}, from a password grant on the {@value
     * #CLI_CLIENT} client.
     *
     * @throws IllegalStateException if Keycloak refuses (its status and error are in the message)
     */
    public String passwordToken(String realm, String user, String password) {
        return passwordToken(realm, CLI_CLIENT, user, password);
    }

    /**
     * An access token for {@code user} of {@code realm}, from a password grant on {@code client}.
     *
     * @throws IllegalStateException if Keycloak refuses (its status and error are in the message)
     */
    public String passwordToken(String realm, String client, String user, String password) {
        HttpResponse<String> response = passwordGrant(realm, client, user, password);
        if (response.statusCode() != 200) {
            throw new IllegalStateException(
                    "token request for "
                            + user
                            + " in realm "
                            + realm
                            + " failed: "
                            + response.statusCode()
                            + " "
                            + response.body());
        }
        try {
            JsonNode token = JSON.readTree(response.body()).path("access_token");
            if (!token.isTextual()) {
                throw new IllegalStateException("no access_token in " + response.body());
            }
            return token.asText();
        } catch (IOException e) {
            throw new UncheckedIOException("token response is not JSON: " + response.body(), e);
        }
    }

    /** The token endpoint's raw answer to a password grant, for tests of refusals. */
    public HttpResponse<String> passwordGrant(String realm, String user, String password) {
        return passwordGrant(realm, CLI_CLIENT, user, password);
    }

    private HttpResponse<String> passwordGrant(
            String realm, String client, String user, String password) {
        String form =
                Map.of(
                                "grant_type", "password",
                                "client_id", client,
                                "username", user,
                                "password", password)
                        .entrySet()
                        .stream()
                        .map(e -> e.getKey() + "=" + encode(e.getValue()))
                        .collect(Collectors.joining("&"));
        HttpRequest request =
                HttpRequest.newBuilder(URI.create(tokenEndpoint(realm)))
                        .timeout(Duration.ofSeconds(30))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString(form))
                        .build();
        return send(request);
    }

    /** Whether the Keycloak process this handle started is still running (false if not ours). */
    public boolean isAlive() {
        return process.map(Process::isAlive).orElse(false);
    }

    /**
     * Stops a Keycloak this handle started: SIGTERM to {@code kc.sh} and the Java server it forked,
     * SIGKILL to whichever is still there after 20 s. Does nothing for the shared or an external
     * server. Idempotent.
     */
    @Override
    public void close() {
        if (process.isEmpty()) {
            return;
        }
        // kc.sh forks java (or execs it after a rebuild): collect the tree while kc.sh still
        // lives, since an orphaned java is no longer its descendant.
        List<ProcessHandle> tree = new ArrayList<>(launched);
        process.get().descendants().filter(p -> !tree.contains(p)).forEach(tree::add);
        tree.forEach(ProcessHandle::destroy);
        for (ProcessHandle handle : tree) {
            awaitExit(handle, STOP_GRACE_SECONDS);
        }
        pidFile.ifPresent(ChildProcess::delete);
    }

    private static KeycloakServer unowned(String baseUrl) {
        String trimmed =
                baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        return new KeycloakServer(trimmed, Optional.empty(), List.of(), Optional.empty());
    }

    /** The unpacked distribution, from {@value #HOME_PROPERTY}. */
    static Path distribution() {
        String configured = System.getProperty(HOME_PROPERTY);
        if (configured == null || configured.isBlank()) {
            throw new IllegalStateException(
                    HOME_PROPERTY
                            + " is not set: run the tests through Maven (it unpacks Keycloak into"
                            + " target/keycloak/), or set "
                            + EXTERNAL_KEYCLOAK
                            + " to a running Keycloak");
        }
        Path home = Path.of(configured).toAbsolutePath();
        if (!Files.isExecutable(home.resolve("bin/kc.sh"))) {
            throw new IllegalStateException(
                    "no Keycloak distribution in "
                            + home
                            + ": `./mvnw -B process-test-classes` unpacks it");
        }
        return home;
    }

    /** The realm files of {@code deploy/local/keycloak/}, beside {@code target/}. */
    static Path realmDirectory() {
        return ChildProcess.buildDirectory().getParent().resolve("deploy/local/keycloak");
    }

    /** Replaces the realm files in {@code data/import/} with the project's. */
    private static void importRealms(Path home) {
        Path imports = home.resolve("data/import");
        try {
            Files.createDirectories(imports);
            try (DirectoryStream<Path> old = Files.newDirectoryStream(imports, "*.json")) {
                for (Path file : old) {
                    Files.delete(file);
                }
            }
            int copied = 0;
            try (DirectoryStream<Path> realms =
                    Files.newDirectoryStream(realmDirectory(), "*-realm.json")) {
                for (Path realm : realms) {
                    Files.copy(
                            realm,
                            imports.resolve(realm.getFileName()),
                            StandardCopyOption.REPLACE_EXISTING);
                    copied++;
                }
            }
            if (copied == 0) {
                throw new IllegalStateException("no *-realm.json in " + realmDirectory());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy the realm files into " + imports, e);
        }
    }

    private static Process launch(List<String> command, Path home, Path log) {
        ProcessBuilder builder =
                new ProcessBuilder(command)
                        .directory(home.toFile())
                        .redirectErrorStream(true)
                        .redirectOutput(log.toFile());
        // JAVA_HOME's java, else the JDK running the tests.
        String javaHome =
                Optional.ofNullable(System.getenv("JAVA_HOME"))
                        .filter(v -> !v.isBlank())
                        .orElse(System.getProperty("java.home"));
        builder.environment().put("JAVA_HOME", javaHome);
        builder.environment().remove("JAVA_OPTS");
        try {
            return builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + command.getFirst(), e);
        }
    }

    private void awaitDiscovery(Path log) {
        String discovery = issuer() + "/.well-known/openid-configuration";
        Process started = process.orElseThrow();
        try {
            await("Keycloak answers " + discovery)
                    .atMost(STARTUP_TIMEOUT)
                    .pollInterval(Duration.ofMillis(500))
                    .failFast("Keycloak exited", () -> !started.isAlive())
                    .until(() -> answers(discovery));
        } catch (ConditionTimeoutException | TerminalFailureException e) {
            close();
            throw new IllegalStateException(
                    "Keycloak did not start on " + baseUrl + "\n" + LogTail.of(log, 40), e);
        }
    }

    private boolean answers(String url) {
        try {
            HttpRequest request =
                    HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build();
            return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Records the server's Java process (kc.sh's child, or kc.sh itself after an exec). */
    private void rememberJavaProcess() {
        Process started = process.orElseThrow();
        ProcessHandle java =
                started.descendants()
                        .filter(KeycloakServer::isJava)
                        .findFirst()
                        .orElse(started.toHandle());
        if (!launched.contains(java)) {
            launched.add(java);
        }
        pidFile.ifPresent(file -> ChildProcess.writePidFile(file, java.pid()));
    }

    private static boolean isJava(ProcessHandle handle) {
        return handle.info().command().map(c -> c.endsWith("/java")).orElse(false);
    }

    private static void awaitExit(ProcessHandle handle, long graceSeconds) {
        try {
            handle.onExit().get(graceSeconds, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            handle.destroyForcibly();
            handle.onExit().completeOnTimeout(handle, 10, TimeUnit.SECONDS).join();
        } catch (ExecutionException e) {
            throw new IllegalStateException("waiting for process " + handle.pid(), e);
        } catch (InterruptedException e) {
            handle.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException("request to " + request.uri() + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted: " + request.uri(), e);
        }
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
