package dev.tagpurge.bench;

import static dev.tagpurge.bench.Stats.log;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tagpurge.admin.ApiKeys;
import dev.tagpurge.sandbox.CdnSandbox;
import dev.tagpurge.sandbox.SandboxServer;
import dev.tagpurge.sandbox.SandboxSettings;
import dev.tagpurge.testing.LocalKafkaBroker;
import dev.tagpurge.testing.LocalRedisServer;
import dev.tagpurge.testing.ServiceProcess;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.ToDoubleFunction;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * The operator's priority lane under a backlog: {@code bench.events} change events are produced
 * before the service starts, and while it drains them {@code bench.operatorPurges} operator purges
 * ({@code POST /api/purges}, one unique tag {@code op-probe-<i>} each, every {@code
 * bench.operatorIntervalMs}) and, at the same moments, the same purges as change events ({@code
 * ev-probe-<i>}, produced behind the backlog) are sent. Each is timed from the moment it was sent
 * to the moment the sandbox answered the first successful request naming its tag, per target; it
 * has reached its providers when the last target has it. Run by the {@code benchmark} profile with
 * {@code -Dbench.operator=true}; writes {@code target/benchmark/operator-backlog.md}, a CSV per
 * probe and one of every request the sandbox answered beside it. Not a test: nothing is asserted.
 */
final class OperatorPurgeUnderBacklog {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String OPERATOR_KEY = "bench-operator-" + UUID.randomUUID();
    private static final String OP = "op-probe-";
    private static final String EV = "ev-probe-";

    /** This phase's own parameters, beside the benchmark's ({@code bench.operator*}). */
    record Probing(int purges, int intervalMs, int delayMs) {
        static Probing fromSystemProperties() {
            return new Probing(
                    Integer.getInteger("bench.operatorPurges", 30),
                    Integer.getInteger("bench.operatorIntervalMs", 300),
                    Integer.getInteger("bench.operatorDelayMs", 2_000));
        }
    }

    /** What was sent for probe {@code index}, and when. */
    record Sent(
            int index, Instant posted, Instant produced, CompletableFuture<Accepted> accepted) {}

    /** The operator API's answer: status, how long it took, the purge's id. */
    record Accepted(int status, double millis, String purgeId) {}

    private final Benchmark.Parameters p = Benchmark.Parameters.fromSystemProperties();
    private final Probing probing = Probing.fromSystemProperties();
    private final Workload workload =
            new Workload(p.entities(), p.zipf(), p.tagsPerEvent(), p.dataBytes());

    private OperatorPurgeUnderBacklog() {}

    /** The tag of probe {@code s}'s operator purge. */
    static String opTag(Sent s) {
        return OP + s.index();
    }

    /** The tag of probe {@code s}'s change event. */
    static String evTag(Sent s) {
        return EV + s.index();
    }

    public static void main(String[] args) throws Exception {
        new OperatorPurgeUnderBacklog().run();
        System.exit(0);
    }

    private void run() throws Exception {
        String id = UUID.randomUUID().toString().substring(0, 8);
        String input = "change-events-" + id;
        String loadBefore = Files.readString(Path.of("/proc/loadavg")).trim();
        Vertx vertx = Vertx.vertx();
        try (LocalKafkaBroker broker = LocalKafkaBroker.start();
                LocalRedisServer redis = LocalRedisServer.start();
                SandboxServer sandbox =
                        SandboxServer.start(vertx, 0, new CdnSandbox(SandboxSettings.defaults()))) {
            String bootstrap = broker.bootstrapServers();
            Benchmark.createTopics(
                    bootstrap,
                    List.of(input, "purge-completions-" + id, "audit-" + id),
                    p.partitions());
            long t0 = System.nanoTime();
            workload.produce(bootstrap, input, p.events(), new Random(42L));
            log(
                    "backlog: %d events produced in %.1f s",
                    p.events(), (System.nanoTime() - t0) / 1e9);
            OperatorBacklogReport report;
            try (ServiceProcess service =
                            ServiceProcess.start(
                                    "opbench-" + id,
                                    serviceConfig(bootstrap, redis, sandbox, id),
                                    p.serviceJvmOptions(),
                                    Benchmark.IMAGE_ENV);
                    Admin admin = Benchmark.admin(bootstrap)) {
                report = probe(service, admin, sandbox, bootstrap, input, "tagpurge-" + id);
                service.terminate(Duration.ofSeconds(60));
            }
            report.loadAverage(loadBefore, Files.readString(Path.of("/proc/loadavg")).trim());
            String text = report.render();
            System.out.println(text);
            Path out = Path.of("target", "benchmark", "operator-backlog.md");
            Files.createDirectories(out.getParent());
            Files.writeString(out, text);
            Files.writeString(out.resolveSibling("operator-backlog.csv"), report.csv());
            Files.writeString(
                    out.resolveSibling("operator-backlog-requests.csv"), report.requestsCsv());
            log("written to %s", out.toAbsolutePath());
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
    }

    private OperatorBacklogReport probe(
            ServiceProcess service,
            Admin admin,
            SandboxServer sandbox,
            String bootstrap,
            String input,
            String group)
            throws Exception {
        URI api = URI.create("http://127.0.0.1:" + service.port() + "/api/purges");
        try (HttpClient http =
                        HttpClient.newBuilder()
                                .version(HttpClient.Version.HTTP_1_1)
                                .connectTimeout(Duration.ofSeconds(5))
                                .build();
                KafkaProducer<String, String> producer = Workload.producer(bootstrap, 0)) {
            ToDoubleFunction<String> metric = prefix -> metric(http, service.port(), prefix);
            long waitDeadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
            while (metric.applyAsDouble("tagpurge_events_received_total") == 0
                    && System.nanoTime() < waitDeadline) {
                LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
            }
            long firstReceived = System.currentTimeMillis();
            long firstReceivedNanos = System.nanoTime();
            LagSampler lag = new LagSampler(admin, group, input, p.partitions(), metric);
            Thread lagThread = Thread.ofPlatform().daemon().name("lag-sampler").start(lag);
            // a preview first: opens the connection, and the producer's metadata, before the clock
            HttpResponse<String> preview =
                    http.send(post(api, "warm-up", true), HttpResponse.BodyHandlers.ofString());
            log("preview before the probes: %d", preview.statusCode());
            producer.partitionsFor(input);
            long start =
                    Math.max(
                            System.nanoTime(), firstReceivedNanos + probing.delayMs() * 1_000_000L);
            List<Sent> sent = new ArrayList<>();
            for (int i = 0; i < probing.purges(); i++) {
                long wait = start + i * probing.intervalMs() * 1_000_000L - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                }
                Instant posted = Instant.now();
                long postedNanos = System.nanoTime();
                CompletableFuture<Accepted> accepted =
                        http.sendAsync(
                                        post(api, OP + i, false),
                                        HttpResponse.BodyHandlers.ofString())
                                .thenApply(r -> accepted(r, postedNanos));
                Instant produced = Instant.now();
                producer.send(new ProducerRecord<>(input, EV + i, probeEvent(i, produced)));
                sent.add(new Sent(i, posted, produced, accepted));
            }
            producer.flush();
            log(
                    "%d operator purges and %d probe events sent in %.1f s",
                    sent.size(), sent.size(), (System.nanoTime() - start) / 1e9);

            // until every probe reached every target and the backlog is drained
            List<String> providers = p.targets();
            long deadline =
                    System.nanoTime()
                            + Duration.ofSeconds(Math.max(180, p.events() / 500)).toNanos();
            long drainedAt = 0;
            long total = p.events() + probing.purges();
            ProbeArrivals arrivals = null;
            while (System.nanoTime() < deadline) {
                if (drainedAt == 0
                        && metric.applyAsDouble("tagpurge_events_received_total") >= total) {
                    drainedAt = System.currentTimeMillis();
                }
                arrivals =
                        new ProbeArrivals(sandbox.sandbox().recorder().purges(), List.of(OP, EV));
                if (arrivals.allReached(sent, providers) && drainedAt != 0) {
                    break;
                }
                LockSupport.parkNanos(Duration.ofMillis(250).toNanos());
            }
            lag.stop();
            lagThread.join(15_000);
            log("probes reached their targets%s", drainedAt == 0 ? " (not all: time limit)" : "");
            return new OperatorBacklogReport(
                    p,
                    probing,
                    providers,
                    sent,
                    arrivals,
                    lag,
                    outcomes(http, api, sent),
                    sandbox.sandbox().recorder().purges(),
                    firstReceived,
                    drainedAt);
        }
    }

    private static Accepted accepted(HttpResponse<String> r, long postedNanos) {
        String location = r.headers().firstValue("Location").orElse("");
        return new Accepted(
                r.statusCode(),
                (System.nanoTime() - postedNanos) / 1e6,
                location.substring(location.lastIndexOf('/') + 1));
    }

    /** One Prometheus sample of the service, summed over its lines; 0 if unreadable. */
    private static double metric(HttpClient http, int port, String prefix) {
        try {
            return http.send(
                            HttpRequest.newBuilder(
                                            URI.create("http://127.0.0.1:" + port + "/q/metrics"))
                                    .timeout(Duration.ofSeconds(10))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString())
                    .body()
                    .lines()
                    .filter(l -> l.startsWith(prefix))
                    .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
                    .sum();
        } catch (IOException e) {
            return 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        }
    }

    private static HttpRequest post(URI api, String tag, boolean dryRun) {
        String body =
                "{\"tags\":[\""
                        + tag
                        + "\"],\"scope\":\"cdn\",\"ticket\":\"BENCH-1\","
                        + "\"reason\":\"operator purge during a backlog (benchmark)\""
                        + (dryRun ? ",\"dryRun\":true" : "")
                        + "}";
        return HttpRequest.newBuilder(api)
                .timeout(Duration.ofSeconds(30))
                .header("X-Api-Key", OPERATOR_KEY)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
    }

    /** The same purge as a change event: one tag, {@code time} = when it was produced. */
    private static String probeEvent(int i, Instant time) {
        return "{\"id\":\""
                + EV
                + i
                + "\",\"type\":\"product.updated\",\"source\":\"catalog\",\"time\":\""
                + time
                + "\",\"tags\":[\""
                + EV
                + i
                + "\"],\"data\":{\"id\":"
                + i
                + "}}";
    }

    /** An operator purge as the service reports it afterwards: its status and when it began. */
    record Outcome(String status, Instant createdAt) {}

    /**
     * Each operator purge as the service reports it ({@code GET /api/purges/{id}}), by probe index:
     * whether it succeeded, and when the service accepted it (its {@code createdAt}, taken when the
     * request reached the handler), which splits the delay before the handler from the rest.
     */
    private static Map<Integer, Outcome> outcomes(HttpClient http, URI api, List<Sent> sent)
            throws Exception {
        Map<Integer, Outcome> outcomes = new HashMap<>();
        for (Sent s : sent) {
            String purgeId = s.accepted().join().purgeId();
            if (purgeId.isEmpty()) {
                continue;
            }
            HttpResponse<String> r =
                    http.send(
                            HttpRequest.newBuilder(URI.create(api + "/" + purgeId))
                                    .header("X-Api-Key", OPERATOR_KEY)
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() == 200) {
                JsonNode purge = JSON.readTree(r.body());
                outcomes.put(
                        s.index(),
                        new Outcome(
                                purge.path("status").asText(),
                                Instant.parse(purge.path("createdAt").asText())));
            }
        }
        return outcomes;
    }

    private Map<String, String> serviceConfig(
            String bootstrap, LocalRedisServer redis, SandboxServer sandbox, String id) {
        Map<String, String> c =
                Benchmark.serviceBase(
                        bootstrap,
                        redis,
                        "change-events-" + id,
                        "purge-completions-" + id,
                        "dlq-" + id,
                        "tagpurge-" + id);
        c.put("tagpurge.audit.topic", "audit-" + id);
        // the operator API with an API key alone, no issuer
        c.put("tagpurge.operator.enabled", "true");
        c.put("quarkus.oidc.tenant-enabled", "false");
        c.put("tagpurge.operator.api-keys.bench.hash", ApiKeys.sha256Hex(OPERATOR_KEY));
        c.put("tagpurge.operator.api-keys.bench.roles", "purge-operator");
        Benchmark.sandboxTargets(c, p.targets(), sandbox, id);
        return c;
    }
}
