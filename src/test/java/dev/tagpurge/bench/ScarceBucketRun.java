package dev.tagpurge.bench;

import static dev.tagpurge.bench.Stats.log;
import static dev.tagpurge.bench.Stats.sum;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tagpurge.domain.EventStatus;
import dev.tagpurge.sandbox.CdnSandbox;
import dev.tagpurge.sandbox.CloudflareEmulatorSettings;
import dev.tagpurge.sandbox.SandboxServer;
import dev.tagpurge.sandbox.SandboxSettings;
import dev.tagpurge.testing.LocalKafkaBroker;
import dev.tagpurge.testing.LocalRedisServer;
import dev.tagpurge.testing.ServiceProcess;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * Cost under a scarce bucket: how many purge requests the service sends for a burst of change
 * events when its Cloudflare zone is on the Pro plan (25 requests of burst, 5 more a second, 100
 * tags a request), against the fewest that could carry the burst's tags, and what latency the
 * events pay. Two arms, interleaved run by run on the same events: "linger only" ({@code
 * tagpurge.coalesce.max-linger} = the linger, 50 ms: a partly full request leaves once its oldest
 * tag has waited the linger) and "stretching linger" (the service's default max-linger: while the
 * bucket is scarce, it may wait longer for more tags). Each arm's run has its own sandbox, which
 * answers 429 over the plan's bucket, and its own service; the broker and Redis are the phase's.
 */
final class ScarceBucketRun {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Events before the burst: their completions show that the service consumes. */
    private static final int WARM_UP_EVENTS = 5;

    /** The Pro plan's bucket refills its 25 tokens in 5 s; a second more to spare. */
    private static final Duration BUCKET_REFILL = Duration.ofSeconds(6);

    /**
     * The service's default {@code tagpurge.coalesce.linger}: a max-linger equal to it stretches
     * nothing.
     */
    private static final String DEFAULT_LINGER = "50ms";

    /** For the service to join its group and complete the warm-up events. */
    private static final Duration START_LIMIT = Duration.ofSeconds(120);

    /**
     * Far above the drain of the default burst: at 5 requests a second, even one request per 100
     * events (no coalescing across events at all) carries 20,000 in under a minute.
     */
    private static final Duration DRAIN_LIMIT = Duration.ofMinutes(5);

    /** Both arms of run {@code i} draw their events from {@code new Random(SEED + i)}. */
    private static final long SEED = 4_242L;

    /**
     * This phase's own parameters ({@code bench.scarce*}).
     *
     * @param runs runs of each arm
     * @param events events in each burst
     * @param tags distinct tags the events draw theirs from, Zipf({@code bench.zipf})
     * @param setMaxLinger whether the "linger only" arm sets {@code tagpurge.coalesce.max-linger};
     *     false for a service that does not know the key yet (it refuses unknown {@code tagpurge.*}
     *     keys at start-up), where both arms run alike
     */
    record Settings(int runs, int events, int tags, boolean setMaxLinger) {
        static Settings fromSystemProperties() {
            return new Settings(
                    Integer.getInteger("bench.scarceRuns", 3),
                    Integer.getInteger("bench.scarceEvents", 20_000),
                    Integer.getInteger("bench.scarceTags", 3_000),
                    Boolean.parseBoolean(System.getProperty("bench.scarceMaxLinger", "true")));
        }
    }

    /** An arm: its name in the report and the service configuration it adds. */
    record Arm(String name, Map<String, String> config) {}

    private final Benchmark.Parameters p;
    private final Settings settings;
    private final Workload workload;
    private final List<Arm> arms;

    ScarceBucketRun(Benchmark.Parameters parameters, Settings settings) {
        this.p = parameters;
        this.settings = settings;
        this.workload = new Workload(settings.tags(), parameters.zipf(), 1, 0);
        this.arms = arms(settings);
    }

    private static List<Arm> arms(Settings settings) {
        return List.of(
                new Arm(
                        "linger only",
                        settings.setMaxLinger()
                                ? Map.of("tagpurge.coalesce.max-linger", DEFAULT_LINGER)
                                : Map.of()),
                new Arm("stretching linger", Map.of()));
    }

    /**
     * Every arm {@code runs} times, run by run; the arms' order alternates from one run to the next
     * so that neither always goes first on a machine that warms up.
     */
    List<ScarceBucketResult> run() throws Exception {
        List<ScarceBucketResult> results = new ArrayList<>();
        Vertx vertx = Vertx.vertx();
        try (LocalKafkaBroker broker = LocalKafkaBroker.start();
                LocalRedisServer redis = LocalRedisServer.start()) {
            for (int r = 1; r <= settings.runs(); r++) {
                List<Arm> order = r % 2 == 1 ? arms : arms.reversed();
                for (Arm arm : order) {
                    log("=== scarce bucket: run %d of %d, %s ===", r, settings.runs(), arm.name());
                    results.add(armRun(vertx, broker, redis, arm, r));
                }
            }
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
        return results;
    }

    private ScarceBucketResult armRun(
            Vertx vertx, LocalKafkaBroker broker, LocalRedisServer redis, Arm arm, int runNo)
            throws Exception {
        String id = UUID.randomUUID().toString().substring(0, 8);
        String input = "scarce-events-" + id;
        String completions = "scarce-completions-" + id;
        String bootstrap = broker.bootstrapServers();
        Benchmark.createTopics(bootstrap, List.of(input, completions), p.partitions());
        CloudflareEmulatorSettings pro =
                CloudflareEmulatorSettings.defaults().withPlan(CloudflareEmulatorSettings.Plan.PRO);
        try (SandboxServer sandbox =
                        SandboxServer.start(
                                vertx,
                                0,
                                new CdnSandbox(SandboxSettings.defaults().withCloudflare(pro)));
                ServiceProcess service =
                        ServiceProcess.start(
                                "scarce-" + id,
                                serviceConfig(
                                        bootstrap, redis, sandbox, input, completions, id, arm),
                                p.serviceJvmOptions(),
                                Benchmark.IMAGE_ENV);
                KafkaConsumer<String, byte[]> reader = Benchmark.reader(bootstrap);
                KafkaProducer<String, String> producer = Workload.producer(bootstrap, 5)) {
            List<TopicPartition> tps = new ArrayList<>();
            for (int i = 0; i < p.partitions(); i++) {
                tps.add(new TopicPartition(completions, i));
            }
            warmUp(producer, reader, input, tps, "warmup-" + id + "-");
            Map<TopicPartition, Long> before = reader.endOffsets(tps);
            LockSupport.parkNanos(BUCKET_REFILL.toNanos());
            sandbox.sandbox().recorder().clear();

            String eventPrefix = "scarce-" + id + "-";
            String tagPrefix = "tag-" + id + "-";
            int[] entityOf = new int[settings.events()];
            Random random = new Random(SEED + runNo);
            Set<String> sentTags = new HashSet<>();
            for (int i = 0; i < entityOf.length; i++) {
                entityOf[i] = workload.entity(random);
                sentTags.add(tagPrefix + entityOf[i]);
            }
            long[] producedMillis = burst(producer, input, eventPrefix, tagPrefix, entityOf);
            awaitCompletions(reader, tps, sum(before.values()) + entityOf.length);
            long[] completedMillis = new long[entityOf.length];
            int notSucceeded = readCompletions(reader, before, eventPrefix, completedMillis);
            ScarceBucketResult result =
                    ScarceBucketResult.of(
                            arm.name(),
                            runNo,
                            sandbox.sandbox().recorder().purges("cloudflare"),
                            sentTags,
                            producedMillis,
                            completedMillis,
                            notSucceeded);
            service.terminate(Duration.ofSeconds(60));
            logResult(result);
            return result;
        }
    }

    private static void logResult(ScarceBucketResult r) {
        log(
                "scarce bucket, run %d, %s: %,d requests (%,d answered 429) carrying %,d tags;"
                        + " %,d distinct tags sent, %,d purged; minimum %,d: %.2f × minimum,"
                        + " %.2f × ceil(items ÷ 100); latency p50 %,.0f ms, p99 %,.0f ms, max"
                        + " %,.0f ms; %,d of %,d completions, the last %.1f s after the first"
                        + " event",
                r.run(),
                r.arm(),
                r.requests(),
                r.tooMany(),
                r.items(),
                r.distinctSent(),
                r.distinctPurged(),
                r.minimum(),
                r.perMinimum(),
                r.perItemsMinimum(),
                r.p50Ms(),
                r.p99Ms(),
                r.maxMs(),
                r.completed(),
                r.events(),
                r.drainSeconds());
        r.errors().forEach(e -> log("ERROR: scarce bucket, run %d, %s: %s", r.run(), r.arm(), e));
    }

    private static Map<String, String> serviceConfig(
            String bootstrap,
            LocalRedisServer redis,
            SandboxServer sandbox,
            String input,
            String completions,
            String id,
            Arm arm) {
        Map<String, String> c =
                Benchmark.serviceBase(
                        bootstrap,
                        redis,
                        input,
                        completions,
                        "scarce-dlq-" + id,
                        "tagpurge-scarce-" + id);
        Benchmark.cloudflareTarget(c, sandbox, "pro");
        c.putAll(arm.config());
        return c;
    }

    /**
     * A few events with tags of their own, and their completions: the service has joined its group
     * and consumes, so the burst's clock does not include its start.
     */
    private void warmUp(
            KafkaProducer<String, String> producer,
            KafkaConsumer<String, byte[]> reader,
            String input,
            List<TopicPartition> tps,
            String prefix)
            throws Exception {
        for (int i = 0; i < WARM_UP_EVENTS; i++) {
            String tag = prefix + i;
            producer.send(
                            new ProducerRecord<>(
                                    input, tag, workload.event(tag, i, List.of(tag), null)))
                    .get(30, TimeUnit.SECONDS);
        }
        long deadline = System.nanoTime() + START_LIMIT.toNanos();
        while (sum(reader.endOffsets(tps).values()) < WARM_UP_EVENTS) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(
                        "no completions of the warm-up events within " + START_LIMIT);
            }
            LockSupport.parkNanos(Duration.ofMillis(100).toNanos());
        }
    }

    /**
     * Produces the burst as fast as the producer goes, event {@code eventPrefix + i} naming the tag
     * {@code tagPrefix + entityOf[i]}; returns each event's production time (its record's
     * timestamp). Fails if the broker did not take every event: the burst would be neither whole
     * nor one.
     */
    private long[] burst(
            KafkaProducer<String, String> producer,
            String input,
            String eventPrefix,
            String tagPrefix,
            int[] entityOf) {
        long[] producedMillis = new long[entityOf.length];
        AtomicInteger failed = new AtomicInteger();
        AtomicReference<Exception> firstError = new AtomicReference<>();
        long t0 = System.nanoTime();
        for (int i = 0; i < entityOf.length; i++) {
            String tag = tagPrefix + entityOf[i];
            producedMillis[i] = System.currentTimeMillis();
            producer.send(
                    new ProducerRecord<>(
                            input,
                            null,
                            producedMillis[i],
                            tag,
                            workload.event(eventPrefix + i, entityOf[i], List.of(tag), null)),
                    (metadata, error) -> {
                        if (error != null) {
                            failed.incrementAndGet();
                            firstError.compareAndSet(null, error);
                        }
                    });
        }
        producer.flush();
        if (failed.get() > 0) {
            throw new IllegalStateException(
                    failed.get() + " of " + entityOf.length + " burst events were not written",
                    firstError.get());
        }
        log(
                "scarce bucket: %,d events produced in %.2f s",
                entityOf.length, (System.nanoTime() - t0) / 1e9);
        return producedMillis;
    }

    /** Waits until {@code total} completions are written, or the time limit. */
    private static void awaitCompletions(
            KafkaConsumer<String, byte[]> reader, List<TopicPartition> tps, long total) {
        long deadline = System.nanoTime() + DRAIN_LIMIT.toNanos();
        while (sum(reader.endOffsets(tps).values()) < total && System.nanoTime() < deadline) {
            LockSupport.parkNanos(Duration.ofMillis(200).toNanos());
        }
    }

    /**
     * Reads the burst's completions from {@code from}: each one's record timestamp into {@code
     * completedMillis} by event index; returns how many are not {@code succeeded}.
     */
    private static int readCompletions(
            KafkaConsumer<String, byte[]> reader,
            Map<TopicPartition, Long> from,
            String prefix,
            long[] completedMillis)
            throws Exception {
        reader.assign(from.keySet());
        from.forEach(reader::seek);
        Map<TopicPartition, Long> end = reader.endOffsets(from.keySet());
        String succeeded = EventStatus.SUCCEEDED.label();
        int notSucceeded = 0;
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (end.entrySet().stream().anyMatch(e -> reader.position(e.getKey()) < e.getValue())
                && System.nanoTime() < deadline) {
            for (ConsumerRecord<String, byte[]> r : reader.poll(Duration.ofMillis(500))) {
                JsonNode data = JSON.readTree(r.value()).path("data");
                String eventId = data.path("eventId").asText();
                if (eventId.startsWith(prefix)) {
                    completedMillis[Integer.parseInt(eventId.substring(prefix.length()))] =
                            r.timestamp();
                    if (!data.path("status").asText().equals(succeeded)) {
                        notSucceeded++;
                    }
                }
            }
        }
        return notSucceeded;
    }
}
