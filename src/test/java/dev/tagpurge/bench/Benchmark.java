package dev.tagpurge.bench;

import static dev.tagpurge.bench.Stats.ceilDiv;
import static dev.tagpurge.bench.Stats.log;
import static dev.tagpurge.bench.Stats.sum;

import dev.tagpurge.sandbox.CdnSandbox;
import dev.tagpurge.sandbox.RecordedPurge;
import dev.tagpurge.sandbox.SandboxServer;
import dev.tagpurge.sandbox.SandboxSettings;
import dev.tagpurge.testing.LocalKafkaBroker;
import dev.tagpurge.testing.LocalRedisServer;
import dev.tagpurge.testing.ServiceProcess;
import io.vertx.core.Vertx;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * The benchmark: Tagpurge (the packaged service as a process) against a real broker, real Redis and
 * the CDN sandbox, side by side with the broker's own ceilings ({@link KafkaCeilings}) and a {@link
 * NaivePurger}, all in the same run on the same broker; then the cost under a scarce bucket ({@link
 * ScarceBucketRun}). Run by {@code ./mvnw -B verify -Pbenchmark -DskipTests}; prints a markdown
 * table of medians ({@link BenchmarkReport}) and writes it to {@code target/benchmark/results.md}.
 * Not a test: nothing is asserted.
 */
public final class Benchmark {

    /**
     * The service's JVM options unless {@code bench.serviceJvm} says otherwise: what the image runs
     * it with, the heap the Deployment gives it (37.5% of 512 MiB), the collector the image names,
     * the other collector options of the base image's start script (run-java.sh) and the image's
     * native-heap trim, so the figures are those of the shipped service.
     */
    static final String IMAGE_JVM =
            "-Xmx192m -XX:+UseSerialGC -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=20"
                    + " -XX:GCTimeRatio=4 -XX:AdaptiveSizePolicyWeight=90"
                    + " -XX:TrimNativeHeapInterval=1000";

    /** The environment the image gives the service's JVM: two malloc arenas. */
    static final Map<String, String> IMAGE_ENV = Map.of("MALLOC_ARENA_MAX", "2");

    private static final int FASTLY_ITEMS = 256;
    private static final int CLOUDFLARE_ENTERPRISE_ITEMS = 100;

    /** The run's parameters, from system properties ({@code bench.*}). */
    record Parameters(
            int events,
            int partitions,
            int entities,
            double zipf,
            int tagsPerEvent,
            int runs,
            int naiveSeconds,
            int latencySeconds,
            int latencyRate,
            int latencyWarmupSeconds,
            int settleSeconds,
            List<String> targets,
            List<String> serviceJvmOptions,
            ServiceRecording recording,
            List<Double> loadSweep,
            int sweepSeconds,
            List<Integer> partitionSweep,
            int sweepEvents,
            int dataBytes,
            int replicas,
            List<Integer> replicaSweep) {

        static Parameters fromSystemProperties() {
            return new Parameters(
                    Integer.getInteger("bench.events", 1_000_000),
                    Integer.getInteger("bench.partitions", 6),
                    Integer.getInteger("bench.entities", 100_000),
                    Double.parseDouble(System.getProperty("bench.zipf", "1.1")),
                    Integer.getInteger("bench.tagsPerEvent", 3),
                    Integer.getInteger("bench.runs", 3),
                    Integer.getInteger("bench.naiveSeconds", 30),
                    Integer.getInteger("bench.latencySeconds", 10),
                    Integer.getInteger("bench.latencyRate", 1_000),
                    Integer.getInteger("bench.latencyWarmupSeconds", 5),
                    Integer.getInteger("bench.settleSeconds", 10),
                    List.of(System.getProperty("bench.targets", "fastly,cloudflare").split(",")),
                    List.of(serviceJvm().split("\\s+")),
                    ServiceRecording.fromSystemProperties(),
                    numbers(System.getProperty("bench.loadSweep", ""))
                            .map(Double::parseDouble)
                            .toList(),
                    Integer.getInteger("bench.sweepSeconds", 5),
                    numbers(System.getProperty("bench.partitionSweep", ""))
                            .map(Integer::parseInt)
                            .toList(),
                    Integer.getInteger("bench.sweepEvents", 300_000),
                    Integer.getInteger("bench.dataBytes", 0),
                    Integer.getInteger("bench.replicas", 1),
                    numbers(System.getProperty("bench.replicaSweep", ""))
                            .map(Integer::parseInt)
                            .toList());
        }

        private static Stream<String> numbers(String commaSeparated) {
            return Stream.of(commaSeparated.split(",")).map(String::trim).filter(s -> !s.isEmpty());
        }

        /** These parameters with another workload and other JVM options for the service. */
        Parameters withWorkload(
                int otherEvents, int otherEntities, double otherZipf, List<String> jvmOptions) {
            return new Parameters(
                    otherEvents,
                    partitions,
                    otherEntities,
                    otherZipf,
                    tagsPerEvent,
                    runs,
                    naiveSeconds,
                    latencySeconds,
                    latencyRate,
                    latencyWarmupSeconds,
                    settleSeconds,
                    targets,
                    jvmOptions,
                    recording,
                    loadSweep,
                    sweepSeconds,
                    partitionSweep,
                    sweepEvents,
                    dataBytes,
                    replicas,
                    replicaSweep);
        }

        /**
         * One throughput-only run of {@code sweepEvents} at {@code n} partitions and {@code
         * replicaCount} service replicas in one consumer group, for the sweeps.
         */
        Parameters sweepPoint(int n, int replicaCount) {
            return new Parameters(
                    sweepEvents,
                    n,
                    entities,
                    zipf,
                    tagsPerEvent,
                    1,
                    naiveSeconds,
                    latencySeconds,
                    latencyRate,
                    latencyWarmupSeconds,
                    settleSeconds,
                    targets,
                    serviceJvmOptions,
                    ServiceRecording.NONE,
                    List.of(),
                    sweepSeconds,
                    List.of(),
                    sweepEvents,
                    dataBytes,
                    replicaCount,
                    List.of());
        }
    }

    /** The window's default linger, drawn as the latency chart's floor. */
    private static final double DEFAULT_LINGER_MS = 50;

    private static final Path OUT = Path.of("target", "benchmark");

    /**
     * {@code bench.liveHeap} (default true): measure the live heap three times mid-run and once
     * idle (a full collection each in the service, a pause of a few hundred ms during the run);
     * false for A/B runs compared on throughput.
     */
    private static final boolean MEASURE_LIVE_HEAP =
            Boolean.parseBoolean(System.getProperty("bench.liveHeap", "true"));

    /**
     * {@code bench.warmBroker} (default true): before the service starts, copy the events through a
     * plain consumer and producer in a JVM of their own, until the broker's JIT compiler settles or
     * for {@link #BROKER_WARM_UP_PASSES} copies, so that the broker started for the run is about as
     * warm for the service as it is for the pass-through measured after it; false measures as
     * rounds before the eighteenth did, the broker's compiling charged to the service's run alone.
     */
    private static final boolean WARM_BROKER =
            Boolean.parseBoolean(System.getProperty("bench.warmBroker", "true"));

    /**
     * {@code bench.serviceCpus} (empty by default): the CPUs every service replica runs on, as
     * {@code taskset -c} takes them (e.g. {@code 0}), from its start; run the benchmark itself
     * under {@code taskset -c} with the other CPUs, so that the broker, the sandbox and the load do
     * not share the service's. Empty: the kernel schedules everything on every CPU.
     */
    static final String SERVICE_CPUS = System.getProperty("bench.serviceCpus", "").trim();

    /** The broker is warm when its JIT compiler takes less than this share of its CPU in a pass. */
    private static final double BROKER_SETTLED_JIT_SHARE = 0.15;

    /** At most this many warm-up passes over the events. */
    private static final int BROKER_WARM_UP_PASSES = 5;

    /**
     * {@code bench.mainRuns} (default true): the runs above; false runs only the phases after them
     * (the scarce bucket), which take minutes instead of tens.
     */
    private static final boolean MAIN_RUNS =
            Boolean.parseBoolean(System.getProperty("bench.mainRuns", "true"));

    /** {@code bench.scarceBucket} (default true): the cost under a scarce bucket, after them. */
    private static final boolean SCARCE_BUCKET =
            Boolean.parseBoolean(System.getProperty("bench.scarceBucket", "true"));

    private final Parameters p;

    /**
     * With {@code bench.aotCache}, the parameters of the same runs without the cache, each run
     * beside its measured run on the same events; otherwise null.
     */
    private final Parameters withoutAotCache;

    private final Workload workload;
    private final List<Charts.LoadPoint> loadPoints = new ArrayList<>();

    private Benchmark(Parameters parameters) {
        this(parameters, null);
    }

    private Benchmark(Parameters parameters, Parameters withoutAotCache) {
        this.p = parameters;
        this.withoutAotCache = withoutAotCache;
        this.workload = new Workload(p.entities(), p.zipf(), p.tagsPerEvent(), p.dataBytes());
    }

    public static void main(String[] args) throws Exception {
        if (Boolean.getBoolean("bench.operator")) {
            OperatorPurgeUnderBacklog.main(args); // the operator-under-backlog phase instead
        }
        Parameters parameters = Parameters.fromSystemProperties();
        if (AotCache.requested()) {
            new Benchmark(trainAotCache(parameters), parameters).run();
        } else {
            new Benchmark(parameters).run();
        }
        System.exit(0);
    }

    /**
     * One throughput-only run of the AOT cache's training workload, whose service writes the cache
     * as it stops; returns the parameters of the measured runs, whose service starts from it.
     */
    private static Parameters trainAotCache(Parameters p) throws Exception {
        AotCache.checkUsable(Runtime.version().feature(), ServiceProcess.JAR);
        Files.createDirectories(OUT);
        Files.deleteIfExists(AotCache.FILE);
        Parameters training = AotCache.training(p);
        log(
                "=== AOT cache: training run, %,d events over %,d entities ===",
                training.events(), training.entities());
        long t0 = System.nanoTime();
        new Benchmark(training).runOnce(0, false);
        if (!Files.isRegularFile(AotCache.FILE)) {
            throw new IllegalStateException(
                    "the training run's service wrote no AOT cache at "
                            + AotCache.FILE.toAbsolutePath()
                            + "; its log is in target/");
        }
        log(
                "AOT cache: %s, %.0f MB, trained in %.0f s",
                AotCache.FILE.toAbsolutePath(),
                Files.size(AotCache.FILE) / 1e6,
                (System.nanoTime() - t0) / 1e9);
        return AotCache.measured(p);
    }

    private void run() throws Exception {
        Files.createDirectories(OUT);
        StringBuilder report = new StringBuilder();
        if (MAIN_RUNS) {
            mainRuns(report);
        } else {
            report.append(BenchmarkReport.title());
        }
        if (!p.partitionSweep().isEmpty()) {
            List<Charts.PartitionPoint> points = new ArrayList<>();
            for (int n : p.partitionSweep()) {
                log("=== partition sweep: %d partition(s), %,d events ===", n, p.sweepEvents());
                Map<String, Double> one =
                        new Benchmark(p.sweepPoint(n, p.replicas())).runOnce(1, false);
                points.add(
                        new Charts.PartitionPoint(
                                n, one.get("throughput"), one.get("passThrough")));
            }
            Path png = OUT.resolve("throughput-vs-partitions.png");
            Charts.throughputAgainstPartitions(
                    points,
                    String.format(
                            Locale.ROOT,
                            "targets: %s; %,d events per point; replicas: %d",
                            String.join(", ", p.targets()),
                            p.sweepEvents(),
                            p.replicas()),
                    png);
            report.append(BenchmarkReport.partitionSweep(points, p.sweepEvents()));
            log("chart: %s", png.toAbsolutePath());
        }
        if (!p.replicaSweep().isEmpty()) {
            List<Map<String, Double>> points = new ArrayList<>();
            for (int n : p.replicaSweep()) {
                log("=== replica sweep: %d replica(s), %,d events ===", n, p.sweepEvents());
                Map<String, Double> one =
                        new Benchmark(p.sweepPoint(p.partitions(), n)).runOnce(1, false);
                one.put("replicas", (double) n);
                points.add(one);
            }
            report.append(BenchmarkReport.replicaSweep(points, p.sweepEvents(), p.partitions()));
        }
        if (SCARCE_BUCKET) {
            // written first too: a phase that fails does not take the runs before it along
            write(report);
            ScarceBucketRun.Settings scarce = ScarceBucketRun.Settings.fromSystemProperties();
            List<ScarceBucketResult> results = new ScarceBucketRun(p, scarce).run();
            report.append(BenchmarkReport.scarceBucket(p, scarce, results));
        }
        System.out.println(report);
        write(report);
    }

    /** The main runs, their table and the load sweep's, into {@code report}. */
    private void mainRuns(StringBuilder report) throws Exception {
        List<Map<String, Double>> results = new ArrayList<>();
        List<Map<String, Double>> withoutCache = new ArrayList<>();
        // beside an AOT cache's run, the same events without it: before it in odd runs, after it
        // in even ones, so neither side always runs second
        boolean compare = withoutAotCache != null;
        for (int r = 1; r <= p.runs(); r++) {
            if (compare && r % 2 == 1) {
                withoutCache.add(runWithoutAotCache(r));
            }
            log("=== run %d of %d ===", r, p.runs());
            Map<String, Double> one = runOnce(r, true);
            log("run %d: %s", r, one);
            results.add(one);
            if (compare && r % 2 == 0) {
                withoutCache.add(runWithoutAotCache(r));
            }
        }
        report.append(new BenchmarkReport(p, results).render());
        if (!withoutCache.isEmpty()) {
            report.append(BenchmarkReport.aotCacheComparison(results, withoutCache));
        }
        if (!loadPoints.isEmpty()) {
            Path png = OUT.resolve("latency-vs-load.png");
            Charts.latencyAgainstLoad(loadPoints, DEFAULT_LINGER_MS, png);
            report.append(BenchmarkReport.loadSweep(loadPoints));
            log("chart: %s", png.toAbsolutePath());
        }
    }

    /** A throughput-only run of run {@code r}'s events, its service starting without the cache. */
    private Map<String, Double> runWithoutAotCache(int r) throws Exception {
        log("=== run %d of %d without the AOT cache ===", r, p.runs());
        Map<String, Double> one = new Benchmark(withoutAotCache).runOnce(r, false);
        log("run %d without the AOT cache: %s", r, one);
        return one;
    }

    private static void write(CharSequence report) throws Exception {
        Path out = OUT.resolve("results.md");
        Files.createDirectories(out.getParent());
        Files.writeString(out, report);
        log("written to %s", out.toAbsolutePath());
    }

    /**
     * One run on its own broker, Redis and sandbox. {@code full}: the Kafka tools' ceilings, the
     * latency windows (and in the first run, the load sweep) and the naive purger too; otherwise
     * only the saturated throughput and the pass-through ceiling beside it.
     */
    private Map<String, Double> runOnce(int runNo, boolean full) throws Exception {
        Map<String, Double> m = new LinkedHashMap<>();
        String id = UUID.randomUUID().toString().substring(0, 8);
        Topics topics = new Topics(id);
        Vertx vertx = Vertx.vertx();
        try (LocalKafkaBroker broker = LocalKafkaBroker.start();
                LocalRedisServer redis = LocalRedisServer.start()) {
            SandboxServer sandbox =
                    SandboxServer.start(
                            vertx,
                            0,
                            new CdnSandbox(
                                    SandboxSettings.defaults().withRecorderCapacity(5_000_000)));
            try {
                String bootstrap = broker.bootstrapServers();
                createTopics(bootstrap, topics);

                // 1. the workload, produced before the service starts
                long t0 = System.nanoTime();
                long bytes =
                        workload.produce(
                                bootstrap, topics.input, p.events(), new Random(42L + runNo));
                int recordSize = (int) Math.round((double) bytes / p.events());
                m.put("recordSize", (double) recordSize);
                log(
                        "workload: %d events (%d B avg) produced in %.1f s",
                        p.events(), recordSize, (System.nanoTime() - t0) / 1e9);

                // 2. the ceilings: Kafka's own tools at the same record size and partition count
                KafkaCeilings ceilings = new KafkaCeilings(bootstrap, p.events());
                if (full) {
                    m.put("producerCeiling", ceilings.producer(topics.perf, recordSize));
                    m.put("consumerCeiling", ceilings.consumer(topics.perf));
                }

                // the broker warmed on the same events, as the service's run warms it for the
                // pass-through in step 4
                if (WARM_BROKER) {
                    m.put(
                            "brokerWarmUpPasses",
                            (double)
                                    ceilings.warmBrokerInChildJvm(
                                            new KafkaCeilings.WarmUp(
                                                    topics.input,
                                                    topics.warmUp,
                                                    "warm-" + id,
                                                    broker.pid(),
                                                    BROKER_SETTLED_JIT_SHARE,
                                                    BROKER_WARM_UP_PASSES)));
                }

                // 3. Tagpurge, saturated then at a light load and at saturation
                List<byte[]> completions =
                        tagpurge(m, broker, redis, sandbox, topics, full, full && runNo == 1);

                // 4. the pass-through ceiling, on the same events, writing the service's own
                // completions again (their size and how they compress)
                KafkaCeilings.PassThrough pass =
                        ceilings.passThrough(
                                topics.input,
                                topics.passThrough,
                                "pass-" + id,
                                completions,
                                broker.pid());
                double passThrough = pass.rate();
                m.put("passThrough", passThrough);
                m.put("passThroughClientCpuUsPerRecord", pass.cpuUsPerRecord("client"));
                m.put("passThroughBrokerCpuUsPerRecord", pass.cpuUsPerRecord("broker"));
                m.put("passThroughBrokerJitUsPerRecord", pass.brokerJitUsPerRecord());
                pass.requests().putPerThousand(m, "passThrough", pass.records());
                log(
                        "CPU during the pass-through: its client (this JVM) %.1f µs and the broker"
                                + " %.1f µs per record (its JIT compiler %.1f)",
                        pass.cpuUsPerRecord("client"),
                        pass.cpuUsPerRecord("broker"),
                        pass.brokerJitUsPerRecord());
                m.put("passThroughRatio", m.get("throughput") / passThrough);
                if (m.containsKey("warmThroughput")) {
                    m.put("warmPassThroughRatio", m.get("warmThroughput") / passThrough);
                }
                if (!full) {
                    return m;
                }

                // 5. the naive purger, after the service has stopped, on the same events
                sandbox.sandbox().recorder().clear();
                NaivePurger.Result naive =
                        NaivePurger.run(
                                bootstrap,
                                topics.input,
                                "naive-" + id,
                                URI.create(sandbox.fastlyUrl() + "/service/NAIVE-" + id + "/purge"),
                                p.events(),
                                p.naiveSeconds());
                m.put("naiveEvents", (double) naive.events());
                m.put("naiveThroughput", naive.throughput());
                m.put("naivePer1000", naive.requests() * 1000.0 / Math.max(1, naive.events()));
            } finally {
                sandbox.close();
            }
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
        return m;
    }

    /** The run's topics, named after its id so that runs never share records. */
    private record Topics(
            String input,
            String completions,
            String dlq,
            String perf,
            String passThrough,
            String warmUp) {
        Topics(String id) {
            this(
                    "change-events-" + id,
                    "purge-completions-" + id,
                    "dlq-" + id,
                    "perf-" + id,
                    "pass-through-" + id,
                    "warm-up-" + id);
        }
    }

    /** Creates the run's topics and waits until every partition has a leader. */
    private void createTopics(String bootstrap, Topics topics) throws Exception {
        createTopics(
                bootstrap,
                List.of(
                        topics.input,
                        topics.completions,
                        topics.perf,
                        topics.passThrough,
                        topics.warmUp),
                p.partitions());
    }

    /** An admin client of the benchmark's broker; the caller closes it. */
    static Admin admin(String bootstrap) {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap));
    }

    /**
     * Creates {@code names} with {@code partitions} each and waits for every partition's leader.
     */
    static void createTopics(String bootstrap, List<String> names, int partitions)
            throws Exception {
        try (Admin admin = admin(bootstrap)) {
            List<NewTopic> all = new ArrayList<>();
            for (String name : names) {
                all.add(new NewTopic(name, partitions, (short) 1));
            }
            admin.createTopics(all).all().get(60, TimeUnit.SECONDS);
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (true) {
                boolean led =
                        admin
                                .describeTopics(names)
                                .allTopicNames()
                                .get(30, TimeUnit.SECONDS)
                                .values()
                                .stream()
                                .flatMap(d -> d.partitions().stream())
                                .allMatch(partition -> partition.leader() != null);
                if (led) {
                    return;
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("partitions without a leader after 60 s");
                }
                LockSupport.parkNanos(Duration.ofMillis(100).toNanos());
            }
        }
    }

    // ---------------------------------------------------------------- Tagpurge

    /** Runs the service over the workload; returns the first 1,000 completions it wrote. */
    private List<byte[]> tagpurge(
            Map<String, Double> m,
            LocalKafkaBroker broker,
            LocalRedisServer redis,
            SandboxServer sandbox,
            Topics topics,
            boolean latencyWindows,
            boolean loadSweep)
            throws Exception {
        String id = topics.input.substring(topics.input.lastIndexOf('-') + 1);
        String bootstrap = broker.bootstrapServers();
        List<CompletableFuture<ServiceProcess>> starting =
                startOtherReplicas(bootstrap, redis, sandbox, topics, id);
        List<ServiceProcess> others = new ArrayList<>();
        try (ServiceProcess service =
                        ServiceProcess.start(
                                "bench-" + id,
                                serviceConfig(bootstrap, redis, sandbox, topics, id),
                                jvmOptions(id),
                                IMAGE_ENV,
                                serviceLauncher());
                KafkaConsumer<String, byte[]> reader = reader(bootstrap)) {
            List<ServiceProcess> replicas = new ArrayList<>(List.of(service));
            for (CompletableFuture<ServiceProcess> replica : starting) {
                others.add(replica.get(120, TimeUnit.SECONDS));
            }
            replicas.addAll(others);
            List<ServiceSampler> samplers = new ArrayList<>();
            List<Thread> samplerThreads = new ArrayList<>();
            for (ServiceProcess replica : replicas) {
                // the live heap only of the first replica: the figure is per process
                ServiceSampler one =
                        new ServiceSampler(
                                replica,
                                MEASURE_LIVE_HEAP && samplers.isEmpty()
                                        ? OUT.resolve("live-heap-" + id).toString()
                                        : null);
                samplers.add(one);
                samplerThreads.add(Thread.ofPlatform().daemon().start(one));
            }
            ServiceSampler sampler = samplers.get(0);
            Map<String, Long> pids = new LinkedHashMap<>();
            for (int i = 0; i < replicas.size(); i++) {
                pids.put(i == 0 ? "service" : "service-" + (i + 1), replicas.get(i).pid());
            }
            pids.put("broker", broker.pid());
            pids.put("bench", ProcessHandle.current().pid());
            CpuAccounting cpu = new CpuAccounting(pids);
            long cpuDeadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
            while (firstReceived(samplers) == Long.MAX_VALUE && System.nanoTime() < cpuDeadline) {
                LockSupport.parkNanos(Duration.ofMillis(10).toNanos());
            }
            cpu.start();
            // by thread role, when one replica carries every event
            long threadsOf = replicas.size() == 1 ? replicas.get(0).pid() : -1;
            ServiceThreads threads = threadsOf > 0 ? ServiceThreads.start(threadsOf) : null;
            ServiceThreads brokerThreads = ServiceThreads.start(broker.pid());
            double allocatedBefore = allocatedBytes(replicas);
            BrokerRequests requestsBefore = BrokerRequests.of(replicas);
            List<TopicPartition> tps = new ArrayList<>();
            for (int i = 0; i < p.partitions(); i++) {
                tps.add(new TopicPartition(topics.completions, i));
            }
            long deadline =
                    System.nanoTime()
                            + Duration.ofSeconds(Math.max(300, p.events() / 500)).toNanos();
            long written = 0;
            // the second half of the run again on its own: the service's JIT has compiled the hot
            // path by then, so it says what a warm process costs (a replica that has run for a
            // while catching up a backlog), beside the whole run from a cold start
            SecondHalf warm = null;
            while (System.nanoTime() < deadline) {
                written = sum(reader.endOffsets(tps).values());
                if (written >= p.events()) {
                    break;
                }
                if (warm == null && written >= p.events() / 2) {
                    warm =
                            new SecondHalf(
                                    new CpuAccounting(pids),
                                    threadsOf > 0 ? ServiceThreads.start(threadsOf) : null,
                                    written);
                    warm.cpu().start();
                }
                LockSupport.parkNanos(Duration.ofMillis(200).toNanos());
            }
            Map<String, Double> cpuUsed = cpu.stop();
            double brokerJit = brokerThreads.stop().get(ServiceThreads.Role.JIT).cpuSeconds();
            m.put("brokerJitUsPerEvent", brokerJit * 1e6 / Math.max(1, written));
            if (threads != null) {
                reportThreads(false, threads.stop(), written, m);
            }
            if (warm != null) {
                warm.report(warm.cpu().stop(), written, m);
            }
            m.put(
                    "allocatedBytesPerEvent",
                    (allocatedBytes(replicas) - allocatedBefore) / Math.max(1, written));
            BrokerRequests requests = BrokerRequests.of(replicas).since(requestsBefore);
            requests.putPerThousand(m, "service", written);
            log(
                    "requests to the broker during the saturated run: %.0f fetches, %.0f produce"
                            + " requests, %.0f offset commits",
                    requests.fetches(), requests.produces(), requests.commits());
            samplers.forEach(ServiceSampler::stop);
            for (Thread t : samplerThreads) {
                t.join(5_000);
            }
            cpuUsed.put("service", serviceSeconds(cpuUsed));
            for (String who : List.of("service", "broker", "bench")) {
                m.put(who + "CpuUsPerEvent", cpuUsed.get(who) * 1e6 / Math.max(1, written));
            }
            m.put("machineBusy", cpuUsed.get("machineBusy"));
            log(
                    "CPU during the saturated run (%.1f s): service %.1f s, broker %.1f s, benchmark"
                            + " JVM (sandbox, load) %.1f s; machine busy %.0f%% of %d cores; the"
                            + " broker's JIT compiler %.1f s",
                    cpuUsed.get("wallSeconds"),
                    cpuUsed.get("service"),
                    cpuUsed.get("broker"),
                    cpuUsed.get("bench"),
                    100 * cpuUsed.get("machineBusy"),
                    Runtime.getRuntime().availableProcessors(),
                    brokerJit);
            if (written < p.events()) {
                log(
                        "WARNING: only %d of %d completions within the time limit",
                        written, p.events());
            }
            long lastCompletion = 0;
            long firstCompletion = Long.MAX_VALUE;
            for (TopicPartition tp : tps) {
                firstCompletion = Math.min(firstCompletion, timestampAt(reader, tp, 0));
                long end = reader.endOffsets(List.of(tp)).get(tp);
                if (end > 0) {
                    lastCompletion = Math.max(lastCompletion, timestampAt(reader, tp, end - 1));
                }
            }
            long firstConsumed = firstReceived(samplers);
            long start = Math.min(firstConsumed, firstCompletion);
            double seconds = (lastCompletion - start) / 1000.0;
            m.put("completions", (double) written);
            m.put("throughput", written / seconds);
            m.put("throughputSeconds", seconds);
            if (m.containsKey("producerCeiling")) {
                m.put("throughputRatio", m.get("throughput") / m.get("producerCeiling"));
            }
            log(
                    "tagpurge: %d completions in %.2f s (first consumed %s, first completion %s,"
                            + " last completion %s) = %.0f events/s",
                    written,
                    seconds,
                    Instant.ofEpochMilli(firstConsumed),
                    Instant.ofEpochMilli(firstCompletion),
                    Instant.ofEpochMilli(lastCompletion),
                    m.get("throughput"));
            List<byte[]> completions = firstValues(reader, tps.get(0), 1_000);
            m.put(
                    "completionBytes",
                    completions.stream().mapToInt(v -> v.length).average().orElse(0));
            m.put(
                    "completionStoredBytes",
                    storedBytesPerRecord(bootstrap, topics.completions, written));

            // coalescing, per target, from the sandbox
            List<RecordedPurge> purges = sandbox.sandbox().recorder().purges();
            if (p.targets().contains("fastly")) {
                coalescing(m, "fastly", purges, FASTLY_ITEMS);
            }
            if (p.targets().contains("cloudflare")) {
                coalescing(m, "cloudflare", purges, CLOUDFLARE_ENTERPRISE_ITEMS);
            }

            // memory during the saturated run
            m.put("peakRssMb", sampler.peakHwmKb() / 1024.0);
            m.put("steadyRssMb", sampler.steadyRssKb() / 1024.0);
            m.put("peakHeapMb", sampler.peakHeapBytes() / 1e6);
            if (MEASURE_LIVE_HEAP) {
                List<LiveHeap> measured = sampler.busyLiveHeaps();
                LiveHeap idle =
                        LiveHeap.measure(service, OUT.resolve("live-heap-idle-" + id + ".txt"));
                LiveHeap busy = LiveHeap.median(measured, idle);
                liveHeap(m, measured, busy, idle);
                String byClass = LiveHeap.perEventByClass(busy, idle, 40);
                if (!byClass.isEmpty()) {
                    Files.writeString(OUT.resolve("live-heap-per-event-" + id + ".md"), byClass);
                }
            }

            for (ServiceProcess other : others) {
                other.terminate(Duration.ofSeconds(60));
            }
            if (!latencyWindows) {
                service.terminate(Duration.ofSeconds(60));
                flameGraphs(id, start, lastCompletion);
                return completions;
            }

            // latency, on the running service once its buckets have refilled
            LatencyProbe probe = new LatencyProbe(bootstrap, topics.input, reader, tps, workload);
            settle();
            CpuAccounting lightCpu = new CpuAccounting(pids);
            lightCpu.start();
            latency(
                    m,
                    "light",
                    probe.measure(
                            "lat-", p.latencyRate(), p.latencySeconds(), p.latencyWarmupSeconds()));
            lightLoadCpu(
                    m,
                    lightCpu.stop(),
                    (long) p.latencyRate() * (p.latencySeconds() + p.latencyWarmupSeconds()));
            settle();
            int saturation = (int) Math.round(m.get("throughput"));
            latency(
                    m,
                    "saturation",
                    probe.measure(
                            "sat-", saturation, p.latencySeconds(), p.latencyWarmupSeconds()));
            if (loadSweep) {
                sweepLoad(probe, m.get("throughput"));
            }
            m.put("peakRssMbEnd", ServiceSampler.statusKb(service.pid(), "VmHWM:") / 1024.0);
            service.terminate(Duration.ofSeconds(60));
            flameGraphs(id, start, lastCompletion);
            return completions;
        } finally {
            // replicas that started after the first failed, or outlived an error, stop too
            for (CompletableFuture<ServiceProcess> replica : starting) {
                replica.thenAccept(ServiceProcess::close);
            }
        }
    }

    /**
     * The service's CPU per event by thread role and without the JIT compiler's threads, and its
     * threads' switches per 1,000 events, for the whole saturated run or ({@code warm}) its second
     * half, into {@code m} under {@link ServiceThreads}'s keys, and logged as two lines.
     */
    private static void reportThreads(
            boolean warm,
            Map<ServiceThreads.Role, ServiceThreads.Usage> used,
            long events,
            Map<String, Double> m) {
        double total = 0;
        long blocked = 0;
        long preempted = 0;
        StringBuilder line = new StringBuilder();
        StringBuilder switches = new StringBuilder();
        double perThousand = 1000.0 / Math.max(1, events);
        for (Map.Entry<ServiceThreads.Role, ServiceThreads.Usage> e : used.entrySet()) {
            ServiceThreads.Usage u = e.getValue();
            double us = u.cpuSeconds() * 1e6 / Math.max(1, events);
            total += us;
            blocked += u.blocked();
            preempted += u.preempted();
            m.put(ServiceThreads.perEventKey(e.getKey(), warm), us);
            m.put(ServiceThreads.blockedKey(e.getKey(), warm), u.blocked() * perThousand);
            line.append(String.format(", %s %.1f", e.getKey().label, us));
            switches.append(
                    String.format(
                            ", %s %.1f / %.1f",
                            e.getKey().label,
                            u.blocked() * perThousand,
                            u.preempted() * perThousand));
        }
        double noJit = total - m.get(ServiceThreads.perEventKey(ServiceThreads.Role.JIT, warm));
        m.put(ServiceThreads.withoutJitKey(warm), noJit);
        m.put(ServiceThreads.blockedKey(warm), blocked * perThousand);
        m.put(ServiceThreads.preemptedKey(warm), preempted * perThousand);
        log(
                "service CPU by thread, %s, µs per event: %.1f in all%s; without the JIT"
                        + " compiler's threads %.1f",
                warm ? "second half" : "saturated run", total, line, noJit);
        log(
                "service threads switched out, %s, per 1,000 events, blocked (woken for work) /"
                        + " preempted: %.1f / %.1f in all%s",
                warm ? "second half" : "saturated run",
                blocked * perThousand,
                preempted * perThousand,
                switches);
    }

    /** The second half of the saturated run: its CPU from where it began, and the count then. */
    private record SecondHalf(CpuAccounting cpu, ServiceThreads threads, long writtenBefore) {

        void report(Map<String, Double> used, long written, Map<String, Double> m) {
            long events = Math.max(1, written - writtenBefore);
            if (threads != null) {
                reportThreads(true, threads.stop(), events, m);
            }
            double service = serviceSeconds(used);
            m.put("warmThroughput", events / used.get("wallSeconds"));
            m.put("warmServiceCpuUsPerEvent", service * 1e6 / events);
            log(
                    "second half of the saturated run: %d completions in %.1f s = %.0f events/s,"
                            + " service CPU %.1f s (%.0f µs per event), machine busy %.0f%%",
                    events,
                    used.get("wallSeconds"),
                    m.get("warmThroughput"),
                    service,
                    m.get("warmServiceCpuUsPerEvent"),
                    100 * used.get("machineBusy"));
        }
    }

    /** CPU seconds of every replica together ("service", "service-2", …) in {@code used}. */
    private static double serviceSeconds(Map<String, Double> used) {
        return used.entrySet().stream()
                .filter(e -> e.getKey().startsWith("service"))
                .mapToDouble(Map.Entry::getValue)
                .sum();
    }

    /**
     * The bytes the replicas' JVMs have allocated, as Micrometer counts them at each collection
     * ({@code jvm_gc_memory_allocated_bytes_total}): a window's difference is exact but for the
     * young generation allocated since the last collection at either end (tens of MB against the GB
     * a saturated run allocates).
     */
    private static double allocatedBytes(List<ServiceProcess> replicas) {
        double bytes = 0;
        for (ServiceProcess r : replicas) {
            bytes += r.metric("jvm_gc_memory_allocated_bytes_total");
        }
        return bytes;
    }

    /** When the first replica received its first event. */
    private static long firstReceived(List<ServiceSampler> samplers) {
        return samplers.stream()
                .mapToLong(one -> one.firstReceivedMillis.get())
                .min()
                .orElse(Long.MAX_VALUE);
    }

    /**
     * Starts replicas 2 to {@code bench.replicas} in the first one's consumer group, alongside it,
     * so that they join the group at about the same time.
     */
    private List<CompletableFuture<ServiceProcess>> startOtherReplicas(
            String bootstrap,
            LocalRedisServer redis,
            SandboxServer sandbox,
            Topics topics,
            String id) {
        List<CompletableFuture<ServiceProcess>> others = new ArrayList<>();
        for (int i = 2; i <= p.replicas(); i++) {
            String name = "bench-" + id + "-r" + i;
            Map<String, String> config = serviceConfig(bootstrap, redis, sandbox, topics, id);
            List<String> jvm = p.serviceJvmOptions();
            others.add(
                    CompletableFuture.supplyAsync(
                            () ->
                                    ServiceProcess.start(
                                            name, config, jvm, IMAGE_ENV, serviceLauncher())));
        }
        return others;
    }

    private static void liveHeap(
            Map<String, Double> m, List<LiveHeap> measured, LiveHeap busy, LiveHeap idle) {
        if (busy == null || idle == null) {
            log(
                    "live heap: no usable measurement (a run shorter than %d ms, or fewer than %d"
                            + " events in flight)",
                    ServiceSampler.LIVE_HEAP_AT_MS.get(0), LiveHeap.MIN_UNSETTLED);
            return;
        }
        List<Double> each =
                measured.stream()
                        .filter(b -> LiveHeap.usable(b, idle))
                        .map(b -> LiveHeap.perUnsettledRecord(b, idle))
                        .toList();
        log(
                "live heap: %d measurements during the run, per event in flight by the histograms'"
                        + " own count: %s B; the median's figures follow",
                each.size(),
                each.stream().map(v -> String.format(Locale.ROOT, "%.0f", v)).toList());
        m.put("liveHeapMeasurements", (double) each.size());
        m.put("liveHeapPerUnsettledLow", Collections.min(each));
        m.put("liveHeapPerUnsettledHigh", Collections.max(each));
        m.put("liveHeapBusyMb", busy.usedBytes() / 1e6);
        m.put("liveHeapIdleMb", idle.usedBytes() / 1e6);
        m.put("liveHeapInFlight", busy.inFlightEvents());
        m.put("liveHeapEstimateMb", busy.inFlightEstimateBytes() / 1e6);
        double perEvent = LiveHeap.perEvent(busy, idle);
        if (!Double.isNaN(perEvent)) {
            m.put("liveHeapPerEvent", perEvent);
        }
        double perRecord = LiveHeap.perUnsettledRecord(busy, idle);
        if (!Double.isNaN(perRecord)) {
            m.put("liveHeapUnsettled", (double) busy.unsettledRecords());
            m.put("liveHeapPerUnsettled", perRecord);
        }
        log(
                "live heap: %.0f MB with %.0f events in flight (estimated %.0f MB), %.0f MB idle:"
                        + " %.0f B per event in flight",
                busy.usedBytes() / 1e6,
                busy.inFlightEvents(),
                busy.inFlightEstimateBytes() / 1e6,
                idle.usedBytes() / 1e6,
                perEvent);
    }

    private Map<String, String> serviceConfig(
            String bootstrap,
            LocalRedisServer redis,
            SandboxServer sandbox,
            Topics topics,
            String id) {
        Map<String, String> c =
                serviceBase(
                        bootstrap,
                        redis,
                        topics.input,
                        topics.completions,
                        topics.dlq,
                        "tagpurge-" + id);
        sandboxTargets(c, p.targets(), sandbox, id);
        return c;
    }

    /**
     * What every benchmark phase's service is given: the broker, Redis, its own topics and consumer
     * group (reading from the earliest record), per-event completions; no target yet.
     */
    static Map<String, String> serviceBase(
            String bootstrap,
            LocalRedisServer redis,
            String input,
            String completions,
            String dlq,
            String groupId) {
        Map<String, String> c = new HashMap<>();
        c.put("kafka.bootstrap.servers", bootstrap);
        c.put("quarkus.redis.hosts", redis.uri());
        c.put("tagpurge.input.topics", input);
        c.put("tagpurge.completion.topic", completions);
        c.put("tagpurge.completion.mode", "per-event");
        c.put("tagpurge.dlq.topic", dlq);
        c.put("mp.messaging.incoming.change-events.group.id", groupId);
        c.put("mp.messaging.incoming.change-events.auto.offset.reset", "earliest");
        return c;
    }

    /**
     * The benchmark's targets ({@code bench.targets}) on the sandbox, into a service configuration.
     */
    static void sandboxTargets(
            Map<String, String> c, List<String> targets, SandboxServer sandbox, String id) {
        if (targets.contains("fastly")) {
            c.put("tagpurge.targets.fastly.provider", "fastly");
            c.put("tagpurge.targets.fastly.service-id", "SVC-" + id);
            c.put("tagpurge.targets.fastly.api-token", "bench-token");
            c.put("tagpurge.targets.fastly.base-url", sandbox.fastlyUrl());
            c.put("tagpurge.targets.fastly.sandbox", "true");
        }
        if (targets.contains("cloudflare")) {
            cloudflareTarget(c, sandbox, "enterprise");
        }
    }

    /** A Cloudflare target named {@code cloudflare} on {@code plan}, on the sandbox. */
    static void cloudflareTarget(Map<String, String> c, SandboxServer sandbox, String plan) {
        c.put("tagpurge.targets.cloudflare.provider", "cloudflare");
        c.put("tagpurge.targets.cloudflare.zone-id", "023e105f4ecef8ad9ca31a8372d0c353");
        c.put("tagpurge.targets.cloudflare.api-token", "bench-token");
        c.put("tagpurge.targets.cloudflare.plan", plan);
        c.put("tagpurge.targets.cloudflare.base-url", sandbox.cloudflareUrl());
        c.put("tagpurge.targets.cloudflare.sandbox", "true");
    }

    /** {@code bench.serviceJvm}; when unset or blank, {@link #IMAGE_JVM}. */
    private static String serviceJvm() {
        String given = System.getProperty("bench.serviceJvm", "").trim();
        return given.isEmpty() ? IMAGE_JVM : given;
    }

    /** {@code taskset -c <bench.serviceCpus>}, or nothing when that is empty. */
    static List<String> serviceLauncher() {
        return SERVICE_CPUS.isEmpty() ? List.of() : List.of("taskset", "-c", SERVICE_CPUS);
    }

    /** The service's environment and JVM options as a report names them. */
    static String serviceCommandLine(Parameters p) {
        List<String> words = new ArrayList<>();
        IMAGE_ENV.forEach((k, v) -> words.add(k + "=" + v));
        words.addAll(serviceLauncher());
        words.addAll(p.serviceJvmOptions());
        return String.join(" ", words);
    }

    private List<String> jvmOptions(String id) throws Exception {
        List<String> jvm = new ArrayList<>(p.serviceJvmOptions());
        if (p.recording() != ServiceRecording.NONE) {
            Path jfr = recordingFile(id);
            Files.createDirectories(jfr.getParent());
            jvm.addAll(p.recording().jvmOptions(jfr, OUT));
            log("recording of the service (%s): %s", p.recording(), jfr);
        }
        return jvm;
    }

    /**
     * Latency at each offered load of {@code bench.loadSweep} (fractions of the saturated
     * throughput), each after the buckets have refilled: the points of the latency chart.
     */
    private void sweepLoad(LatencyProbe probe, double throughput) throws Exception {
        for (double fraction : p.loadSweep()) {
            int rate = Math.max(1, (int) Math.round(fraction * throughput));
            settle();
            LatencyProbe.Result r =
                    probe.measure("sweep-" + rate + "-", rate, p.sweepSeconds(), p.sweepSeconds());
            double achieved = (double) r.events() / p.sweepSeconds();
            loadPoints.add(new Charts.LoadPoint(rate, achieved, r.p50(), r.p99()));
            log(
                    "load sweep: %,d events/s offered (%.2f of saturation): p50 %.0f ms, p99 %.0f ms",
                    rate, fraction, r.p50(), r.p99());
        }
    }

    /** The service's recording ({@code bench.jfr} or {@code bench.profiler}) in run {@code id}. */
    private static Path recordingFile(String id) {
        return OUT.resolve("service-" + id + ".jfr").toAbsolutePath();
    }

    /**
     * CPU and allocation flame graphs (HTML, async-profiler's converter) of the service's
     * recording, cut to the saturated window so that start-up and the latency phases do not blur
     * the hot path; the CPU graph is split by thread (the JIT compiler, the collector, the
     * service's own).
     */
    private void flameGraphs(String id, long fromMillis, long toMillis) throws Exception {
        if (p.recording() == ServiceRecording.NONE) {
            return;
        }
        Path jfr = recordingFile(id);
        for (String kind : List.of("cpu", "alloc")) {
            Path html = OUT.resolve("flame-" + kind + "-" + id + ".html").toAbsolutePath();
            List<String> command =
                    new ArrayList<>(
                            List.of(
                                    Path.of(System.getProperty("java.home"), "bin", "java")
                                            .toString(),
                                    "-cp",
                                    System.getProperty("java.class.path"),
                                    "one.convert.Main",
                                    "--" + kind,
                                    "--from",
                                    Long.toString(fromMillis),
                                    "--to",
                                    Long.toString(toMillis),
                                    "--title",
                                    "Tagpurge service, saturated run (" + kind + ")"));
            if (kind.equals("cpu")) {
                command.add("--threads");
            }
            command.add(jfr.toString());
            command.add(html.toString());
            Process converter = new ProcessBuilder(command).inheritIO().start();
            if (!converter.waitFor(5, TimeUnit.MINUTES) || converter.exitValue() != 0) {
                converter.destroyForcibly();
                log("WARNING: the %s flame graph could not be written from %s", kind, jfr);
            } else {
                log("flame graph (%s): %s", kind, html);
            }
        }
    }

    /** Lets the rate-limit buckets refill between phases, so one phase does not pace the next. */
    private void settle() {
        LockSupport.parkNanos(Duration.ofSeconds(p.settleSeconds()).toNanos());
    }

    /**
     * What the light-load window cost, warm-up included: each process's share of a core, and the
     * service's CPU per event produced. At a light load the consumer fetches about once per event,
     * so this is far above the saturated run's figure.
     */
    private static void lightLoadCpu(Map<String, Double> m, Map<String, Double> used, long events) {
        m.put("lightServiceCores", CpuAccounting.coreShare(used, "service"));
        m.put("lightBrokerCores", CpuAccounting.coreShare(used, "broker"));
        m.put("lightBenchCores", CpuAccounting.coreShare(used, "bench"));
        m.put("lightServiceUsPerEvent", used.get("service") * 1e6 / Math.max(1, events));
        log(
                "CPU during the light-load window (%,d events): service %.0f%% of a core (%.0f µs"
                        + " per event), broker %.0f%%, benchmark JVM %.0f%%",
                events,
                100 * m.get("lightServiceCores"),
                m.get("lightServiceUsPerEvent"),
                100 * m.get("lightBrokerCores"),
                100 * m.get("lightBenchCores"));
    }

    private static void latency(Map<String, Double> m, String key, LatencyProbe.Result r) {
        m.put(key + "Events", (double) r.events());
        m.put(key + "P50", r.p50());
        m.put(key + "P99", r.p99());
        m.put(key + "P999", r.p999());
        m.put(key + "DeliveryP50", r.deliveryP50());
        m.put(key + "DeliveryP99", r.deliveryP99());
        m.put(key + "ServiceP50", r.serviceP50());
        m.put(key + "ServiceP99", r.serviceP99());
        m.put(key + "WarmupP99", r.warmupP99());
    }

    /**
     * Requests sent against the minimum for the same flushes: a flush is the run of requests up to
     * a non-full one; its minimum is ceil(items ÷ the provider's per-request limit).
     */
    private void coalescing(
            Map<String, Double> m, String provider, List<RecordedPurge> all, int perRequest) {
        List<RecordedPurge> purges =
                all.stream().filter(r -> r.provider().equals(provider)).toList();
        long items = 0;
        long minimum = 0;
        long flush = 0;
        long failed = 0;
        for (RecordedPurge r : purges) {
            items += r.items().size();
            flush += r.items().size();
            if (!r.succeeded()) {
                failed++;
            }
            if (r.items().size() < perRequest) {
                minimum += ceilDiv(flush, perRequest);
                flush = 0;
            }
        }
        minimum += ceilDiv(flush, perRequest);
        m.put(provider + "Requests", (double) purges.size());
        m.put(provider + "Minimum", (double) minimum);
        m.put(provider + "Ratio", minimum == 0 ? 0 : (double) purges.size() / minimum);
        m.put(provider + "Per1000", purges.size() * 1000.0 / p.events());
        m.put(provider + "Items", (double) items);
        m.put(provider + "Failed", (double) failed);
        log(
                "%s: %d requests (%d not 2xx) carrying %d items; minimum for the same flushes %d",
                provider, purges.size(), failed, items, minimum);
    }

    // ---------------------------------------------------------------- helpers

    static KafkaConsumer<String, byte[]> reader(String bootstrap) {
        return new KafkaConsumer<>(
                Map.of(
                        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        bootstrap,
                        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                        false,
                        ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
                        StringDeserializer.class,
                        ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
                        ByteArrayDeserializer.class));
    }

    private static long timestampAt(KafkaConsumer<String, byte[]> c, TopicPartition tp, long off) {
        c.assign(List.of(tp));
        c.seek(tp, off);
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(200))) {
                return r.timestamp();
            }
        }
        return off == 0 ? Long.MAX_VALUE : 0;
    }

    /**
     * The size of {@code topic} in the broker's log divided by {@code records}: what the broker
     * stores, and serves to each reader, per record written (batch headers and compression
     * included).
     */
    private static double storedBytesPerRecord(String bootstrap, String topic, long records)
            throws Exception {
        try (Admin admin = admin(bootstrap)) {
            List<Integer> brokers =
                    admin.describeCluster().nodes().get(60, TimeUnit.SECONDS).stream()
                            .map(Node::id)
                            .toList();
            long bytes =
                    admin
                            .describeLogDirs(brokers)
                            .allDescriptions()
                            .get(60, TimeUnit.SECONDS)
                            .values()
                            .stream()
                            .flatMap(dirs -> dirs.values().stream())
                            .flatMap(dir -> dir.replicaInfos().entrySet().stream())
                            .filter(replica -> replica.getKey().topic().equals(topic))
                            .mapToLong(replica -> replica.getValue().size())
                            .sum();
            return records == 0 ? 0 : (double) bytes / records;
        }
    }

    /** The values of the first {@code n} records of a partition (fewer if it has fewer). */
    private static List<byte[]> firstValues(
            KafkaConsumer<String, byte[]> c, TopicPartition tp, int n) {
        c.assign(List.of(tp));
        c.seek(tp, 0);
        List<byte[]> values = new ArrayList<>(n);
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (values.size() < n && System.nanoTime() < deadline) {
            for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(200))) {
                if (values.size() < n) {
                    values.add(r.value());
                }
            }
        }
        return values;
    }
}
