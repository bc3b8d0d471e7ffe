package dev.tagpurge.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tagpurge.sandbox.CdnSandbox;
import dev.tagpurge.sandbox.RecordedPurge;
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
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Issue 5's benchmark: Tagpurge (the packaged service as a process) against a real broker, real
 * Redis and the CDN sandbox, side by side with Kafka's own producer/consumer performance tools and
 * a naive one-request-per-event purger, all in the same run on the same broker. Run by {@code
 * ./mvnw -B verify -Pbenchmark -DskipTests}; prints a markdown table of medians and writes it to
 * {@code target/benchmark/results.md}. Not a test: nothing is asserted.
 */
public final class Benchmark {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int FASTLY_ITEMS = 256;
    private static final int CLOUDFLARE_ENTERPRISE_ITEMS = 100;
    private static final int CATEGORIES = 1_000;
    private static final int ENTITIES_PER_LIST_PAGE = 20;

    private final int events = Integer.getInteger("bench.events", 1_000_000);
    private final int partitions = Integer.getInteger("bench.partitions", 6);
    private final int entities = Integer.getInteger("bench.entities", 100_000);
    private final double zipf = Double.parseDouble(System.getProperty("bench.zipf", "1.1"));
    private final int tagsPerEvent = Integer.getInteger("bench.tagsPerEvent", 3);
    private final int runs = Integer.getInteger("bench.runs", 3);
    private final int naiveSeconds = Integer.getInteger("bench.naiveSeconds", 30);
    private final int latencySeconds = Integer.getInteger("bench.latencySeconds", 10);
    private final int latencyRate = Integer.getInteger("bench.latencyRate", 1_000);
    private final double[] zipfCdf;

    private Benchmark() {
        zipfCdf = new double[entities];
        double sum = 0;
        for (int k = 1; k <= entities; k++) {
            sum += 1.0 / Math.pow(k, zipf);
            zipfCdf[k - 1] = sum;
        }
        for (int k = 0; k < entities; k++) {
            zipfCdf[k] /= sum;
        }
    }

    public static void main(String[] args) throws Exception {
        new Benchmark().run();
        System.exit(0);
    }

    private void run() throws Exception {
        List<Map<String, Double>> results = new ArrayList<>();
        for (int r = 1; r <= runs; r++) {
            log("=== run %d of %d ===", r, runs);
            Map<String, Double> one = runOnce(r);
            log("run %d: %s", r, one);
            results.add(one);
        }
        String report = report(results);
        System.out.println(report);
        Path out = Path.of("target", "benchmark", "results.md");
        Files.createDirectories(out.getParent());
        Files.writeString(out, report);
        log("written to %s", out.toAbsolutePath());
    }

    // ---------------------------------------------------------------- one run

    private Map<String, Double> runOnce(int runNo) throws Exception {
        Map<String, Double> m = new LinkedHashMap<>();
        String id = UUID.randomUUID().toString().substring(0, 8);
        String input = "change-events-" + id;
        String completions = "purge-completions-" + id;
        String perfTopic = "perf-" + id;
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
                try (Admin admin =
                        Admin.create(
                                Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
                    admin.createTopics(
                                    List.of(
                                            new NewTopic(input, partitions, (short) 1),
                                            new NewTopic(completions, partitions, (short) 1),
                                            new NewTopic(perfTopic, partitions, (short) 1)))
                            .all()
                            .get(60, TimeUnit.SECONDS);
                }

                // 1. the workload, produced before the service starts
                Random random = new Random(42L + runNo);
                long t0 = System.nanoTime();
                long bytes = produceWorkload(bootstrap, input, random);
                double produceSeconds = (System.nanoTime() - t0) / 1e9;
                int recordSize = (int) Math.round((double) bytes / events);
                m.put("recordSize", (double) recordSize);
                log(
                        "workload: %d events (%d B avg) produced in %.1f s",
                        events, recordSize, produceSeconds);

                // 2. the ceiling: Kafka's own tools at the same record size and partition count
                m.put("producerCeiling", producerPerf(bootstrap, perfTopic, recordSize));
                m.put("consumerCeiling", consumerPerf(bootstrap, perfTopic));

                // 3. Tagpurge
                tagpurge(m, bootstrap, redis, sandbox, input, completions, id);

                // 4. the naive purger, after the service has stopped, on the same events
                sandbox.sandbox().recorder().clear();
                naive(m, bootstrap, input, sandbox, id);
            } finally {
                sandbox.close();
            }
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
        return m;
    }

    // ---------------------------------------------------------------- workload

    private int entity(Random random) {
        int i = Arrays.binarySearch(zipfCdf, random.nextDouble());
        return Math.min(i < 0 ? -i - 1 : i, entities - 1);
    }

    /** The event's tags: entity, category, list page (and further ones if asked for more). */
    private List<String> tags(int entity) {
        int category = entity % CATEGORIES;
        List<String> tags = new ArrayList<>(tagsPerEvent);
        tags.add("product-" + entity);
        tags.add("category-" + category);
        tags.add("list-" + category + "-p" + (entity / ENTITIES_PER_LIST_PAGE / CATEGORIES));
        for (int i = 3; i < tagsPerEvent; i++) {
            tags.add("extra" + i + "-" + entity);
        }
        return tags.subList(0, tagsPerEvent);
    }

    private String event(String eventId, int entity, Instant time) {
        StringBuilder b = new StringBuilder(200);
        b.append("{\"id\":\"").append(eventId).append("\",\"type\":\"product.updated\"");
        b.append(",\"source\":\"catalog\"");
        if (time != null) {
            b.append(",\"time\":\"").append(time).append('"');
        }
        b.append(",\"tags\":[");
        List<String> tags = tags(entity);
        for (int i = 0; i < tags.size(); i++) {
            b.append(i == 0 ? "\"" : ",\"").append(tags.get(i)).append('"');
        }
        b.append("],\"data\":{\"id\":").append(entity).append("}}");
        return b.toString();
    }

    private static KafkaProducer<String, String> producer(String bootstrap, int lingerMs) {
        return new KafkaProducer<>(
                Map.of(
                        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        bootstrap,
                        ProducerConfig.ACKS_CONFIG,
                        "all",
                        ProducerConfig.LINGER_MS_CONFIG,
                        lingerMs,
                        ProducerConfig.BATCH_SIZE_CONFIG,
                        65_536,
                        ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG,
                        StringSerializer.class,
                        ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG,
                        StringSerializer.class));
    }

    private long produceWorkload(String bootstrap, String topic, Random random) {
        long bytes = 0;
        try (KafkaProducer<String, String> p = producer(bootstrap, 5)) {
            for (int i = 0; i < events; i++) {
                int e = entity(random);
                String value = event("b-" + i, e, null);
                bytes += value.length();
                p.send(new ProducerRecord<>(topic, "product-" + e, value));
            }
            p.flush();
        }
        return bytes;
    }

    // ---------------------------------------------------------------- ceilings

    private double producerPerf(String bootstrap, String topic, int recordSize) throws Exception {
        String out =
                childJvm(
                        "org.apache.kafka.tools.ProducerPerformance",
                        "--topic",
                        topic,
                        "--num-records",
                        Integer.toString(events),
                        "--record-size",
                        Integer.toString(recordSize),
                        "--throughput",
                        "-1",
                        "--producer-props",
                        "bootstrap.servers=" + bootstrap,
                        "acks=all");
        // "N records sent, X records/sec (Y MB/sec), ..." — the last such line is the summary
        String summary =
                out.lines()
                        .filter(l -> l.contains("records sent") && l.contains("records/sec"))
                        .reduce((a, b) -> b)
                        .orElseThrow(
                                () -> new IllegalStateException("ProducerPerformance: " + out));
        log("ProducerPerformance: %s", summary);
        String s = summary.substring(summary.indexOf("records sent,") + 13).trim();
        return Double.parseDouble(s.substring(0, s.indexOf(' ')));
    }

    private double consumerPerf(String bootstrap, String topic) throws Exception {
        String out =
                childJvm(
                        "org.apache.kafka.tools.ConsumerPerformance",
                        "--bootstrap-server",
                        bootstrap,
                        "--topic",
                        topic,
                        "--messages",
                        Integer.toString(events),
                        "--timeout",
                        "60000");
        // header: start.time, end.time, data.consumed.in.MB, MB.sec, data.consumed.in.nMsg,
        // nMsg.sec, rebalance.time.ms, fetch.time.ms, fetch.MB.sec, fetch.nMsg.sec
        List<String> lines = out.lines().filter(l -> l.split(",").length >= 10).toList();
        String data = lines.get(lines.size() - 1);
        log("ConsumerPerformance: %s", data);
        String[] f = data.split(",");
        return Double.parseDouble(f[9].trim()); // fetch.nMsg.sec: excludes the group join
    }

    private static String childJvm(String mainClass, String... args) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse("java"));
        cmd.add("-Xmx512m");
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(mainClass);
        cmd.addAll(List.of(args));
        Path log = Files.createTempFile("bench-tool", ".log");
        Process p =
                new ProcessBuilder(cmd)
                        .redirectErrorStream(true)
                        .redirectOutput(log.toFile())
                        .start();
        try {
            if (!p.waitFor(300, TimeUnit.SECONDS)) {
                throw new IllegalStateException(mainClass + " did not finish in 300 s");
            }
            return Files.readString(log);
        } finally {
            if (p.isAlive()) {
                p.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            }
            Files.deleteIfExists(log);
        }
    }

    // ---------------------------------------------------------------- Tagpurge

    private void tagpurge(
            Map<String, Double> m,
            String bootstrap,
            LocalRedisServer redis,
            SandboxServer sandbox,
            String input,
            String completions,
            String id)
            throws Exception {
        Map<String, String> c = new HashMap<>();
        c.put("kafka.bootstrap.servers", bootstrap);
        c.put("quarkus.redis.hosts", redis.uri());
        c.put("tagpurge.input.topics", input);
        c.put("tagpurge.completion.topic", completions);
        c.put("tagpurge.completion.mode", "per-event");
        c.put("tagpurge.dlq.topic", "dlq-" + id);
        c.put("mp.messaging.incoming.change-events.group.id", "tagpurge-" + id);
        c.put("mp.messaging.incoming.change-events.auto.offset.reset", "earliest");
        c.put("tagpurge.targets.fastly.provider", "fastly");
        c.put("tagpurge.targets.fastly.service-id", "SVC-" + id);
        c.put("tagpurge.targets.fastly.api-token", "bench-token");
        c.put("tagpurge.targets.fastly.base-url", sandbox.fastlyUrl());
        c.put("tagpurge.targets.cloudflare.provider", "cloudflare");
        c.put("tagpurge.targets.cloudflare.zone-id", "023e105f4ecef8ad9ca31a8372d0c353");
        c.put("tagpurge.targets.cloudflare.api-token", "bench-token");
        c.put("tagpurge.targets.cloudflare.plan", "enterprise");
        c.put("tagpurge.targets.cloudflare.base-url", sandbox.cloudflareUrl());

        try (ServiceProcess service = ServiceProcess.start("bench-" + id, c);
                KafkaConsumer<String, byte[]> reader = reader(bootstrap)) {
            Sampler sampler = new Sampler(service);
            Thread samplerThread = Thread.ofPlatform().daemon().start(sampler);
            List<TopicPartition> tps = new ArrayList<>();
            for (int p = 0; p < partitions; p++) {
                tps.add(new TopicPartition(completions, p));
            }
            long deadline =
                    System.nanoTime() + Duration.ofSeconds(Math.max(300, events / 500)).toNanos();
            long written = 0;
            while (System.nanoTime() < deadline) {
                written = sum(reader.endOffsets(tps).values());
                if (written >= events) {
                    break;
                }
                LockSupport.parkNanos(Duration.ofMillis(200).toNanos());
            }
            sampler.stop();
            samplerThread.join(5_000);
            if (written < events) {
                log("WARNING: only %d of %d completions within the time limit", written, events);
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
            long firstConsumed = sampler.firstReceivedMillis.get();
            long start = Math.min(firstConsumed, firstCompletion);
            double seconds = (lastCompletion - start) / 1000.0;
            m.put("completions", (double) written);
            m.put("throughput", written / seconds);
            m.put("throughputSeconds", seconds);
            m.put("throughputRatio", m.get("throughput") / m.get("producerCeiling"));
            log(
                    "tagpurge: %d completions in %.2f s (first consumed %s, first completion %s,"
                            + " last completion %s) = %.0f events/s",
                    written,
                    seconds,
                    Instant.ofEpochMilli(firstConsumed),
                    Instant.ofEpochMilli(firstCompletion),
                    Instant.ofEpochMilli(lastCompletion),
                    m.get("throughput"));

            // coalescing, per target, from the sandbox
            List<RecordedPurge> purges = sandbox.sandbox().recorder().purges();
            coalescing(m, "fastly", purges, FASTLY_ITEMS);
            coalescing(m, "cloudflare", purges, CLOUDFLARE_ENTERPRISE_ITEMS);

            // memory during the saturated run
            m.put("peakRssMb", sampler.peakHwmKb / 1024.0);
            m.put("steadyRssMb", median(sampler.secondHalf(sampler.rssKb)) / 1024.0);
            m.put("peakHeapMb", sampler.heap.stream().mapToDouble(d -> d).max().orElse(0) / 1e6);
            m.put("samples", (double) sampler.rssKb.size());

            // latency at a light load, on the running, now idle service
            latency(m, bootstrap, input, completions, reader, tps, written);
            m.put("peakRssMbEnd", readStatusKb(service.pid(), "VmHWM:") / 1024.0);
            service.terminate(Duration.ofSeconds(60));
        }
    }

    private void coalescing(
            Map<String, Double> m, String provider, List<RecordedPurge> all, int perRequest) {
        List<RecordedPurge> purges =
                all.stream()
                        .filter(r -> r.provider().equals(provider))
                        .filter(r -> r.items().stream().anyMatch(i -> !i.startsWith("lat-")))
                        .toList();
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
        m.put(provider + "Per1000", purges.size() * 1000.0 / events);
        m.put(provider + "Items", (double) items);
        m.put(provider + "Failed", (double) failed);
        log(
                "%s: %d requests (%d not 2xx) carrying %d items; minimum for the same flushes %d",
                provider, purges.size(), failed, items, minimum);
    }

    private void latency(
            Map<String, Double> m,
            String bootstrap,
            String input,
            String completions,
            KafkaConsumer<String, byte[]> reader,
            List<TopicPartition> tps,
            long before)
            throws Exception {
        Map<TopicPartition, Long> from = reader.endOffsets(tps);
        int n = latencyRate * latencySeconds;
        Random random = new Random(7);
        long startNanos = System.nanoTime();
        try (KafkaProducer<String, String> p = producer(bootstrap, 0)) {
            for (int i = 0; i < n; i++) {
                long due = startNanos + (long) (i * 1e9 / latencyRate);
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                }
                int e = entity(random);
                p.send(
                        new ProducerRecord<>(
                                input, "product-" + e, event("lat-" + i, e, Instant.now())));
            }
            p.flush();
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (System.nanoTime() < deadline && sum(reader.endOffsets(tps).values()) < before + n) {
            LockSupport.parkNanos(Duration.ofMillis(200).toNanos());
        }
        reader.assign(tps);
        from.forEach(reader::seek);
        List<Double> latencies = new ArrayList<>();
        long readDeadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (latencies.size() < n && System.nanoTime() < readDeadline) {
            for (ConsumerRecord<String, byte[]> r : reader.poll(Duration.ofMillis(500))) {
                JsonNode data = JSON.readTree(r.value()).path("data");
                if (data.path("eventId").asText().startsWith("lat-")) {
                    latencies.add(data.path("latencyMs").asDouble());
                }
            }
        }
        latencies.sort(Double::compare);
        m.put("latencyEvents", (double) latencies.size());
        m.put("latencyP50", percentile(latencies, 50));
        m.put("latencyP99", percentile(latencies, 99));
        m.put("latencyP999", percentile(latencies, 99.9));
        log(
                "latency at %d/s: %d events, p50 %.0f ms, p99 %.0f ms, p99.9 %.0f ms",
                latencyRate,
                latencies.size(),
                m.get("latencyP50"),
                m.get("latencyP99"),
                m.get("latencyP999"));
    }

    // ---------------------------------------------------------------- naive purger

    /**
     * What teams write by hand: a plain consumer, one Fastly bulk purge per event with that event's
     * keys, waiting for each answer before the next. Bounded by {@code bench.naiveSeconds}.
     */
    private void naive(
            Map<String, Double> m, String bootstrap, String input, SandboxServer sandbox, String id)
            throws Exception {
        URI purge = URI.create(sandbox.fastlyUrl() + "/service/NAIVE-" + id + "/purge");
        long processed = 0;
        long requests = 0;
        long first = 0;
        long last = 0;
        try (HttpClient http = HttpClient.newHttpClient();
                KafkaConsumer<String, byte[]> consumer =
                        new KafkaConsumer<>(
                                Map.of(
                                        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                                        bootstrap,
                                        ConsumerConfig.GROUP_ID_CONFIG,
                                        "naive-" + id,
                                        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                                        "earliest",
                                        ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
                                        StringDeserializer.class,
                                        ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
                                        ByteArrayDeserializer.class))) {
            consumer.subscribe(List.of(input));
            long deadline = System.nanoTime() + Duration.ofSeconds(naiveSeconds + 30L).toNanos();
            long stopAfter = Long.MAX_VALUE;
            while (processed < events && System.nanoTime() < Math.min(deadline, stopAfter)) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    if (first == 0) {
                        first = System.nanoTime();
                        stopAfter = first + Duration.ofSeconds(naiveSeconds).toNanos();
                    }
                    JsonNode tags = JSON.readTree(r.value()).path("tags");
                    String body = JSON.writeValueAsString(Map.of("surrogate_keys", tags));
                    HttpResponse<Void> answer =
                            http.send(
                                    HttpRequest.newBuilder(purge)
                                            .header("Fastly-Key", "naive-token")
                                            .header("Content-Type", "application/json")
                                            .POST(HttpRequest.BodyPublishers.ofString(body))
                                            .build(),
                                    HttpResponse.BodyHandlers.discarding());
                    requests++;
                    if (answer.statusCode() / 100 == 2) {
                        processed++;
                    }
                    last = System.nanoTime();
                    if (last >= stopAfter) {
                        break;
                    }
                }
                consumer.commitSync();
            }
        }
        double seconds = (last - first) / 1e9;
        m.put("naiveEvents", (double) processed);
        m.put("naiveThroughput", processed / seconds);
        m.put("naivePer1000", requests * 1000.0 / Math.max(1, processed));
        long recorded =
                sandbox.sandbox().recorder().purges().stream()
                        .filter(r -> r.path().contains("NAIVE-" + id))
                        .count();
        log(
                "naive: %d events, %d requests (sandbox recorded %d) in %.1f s = %.0f events/s",
                processed, requests, recorded, seconds, m.get("naiveThroughput"));
    }

    // ---------------------------------------------------------------- sampling

    /** Samples the service's RSS (/proc), heap and events received (/q/metrics). */
    private static final class Sampler implements Runnable {
        final ServiceProcess service;
        final AtomicLong firstReceivedMillis = new AtomicLong(Long.MAX_VALUE);
        final List<Double> rssKb = new CopyOnWriteArrayList<>();
        final List<Double> heap = new CopyOnWriteArrayList<>();
        volatile long peakHwmKb;
        volatile boolean stopped;
        long lastMetrics;

        Sampler(ServiceProcess service) {
            this.service = service;
        }

        void stop() {
            stopped = true;
        }

        @Override
        public void run() {
            for (int i = 0; i < 1_000_000 && !stopped; i++) {
                long now = System.currentTimeMillis();
                try {
                    if (firstReceivedMillis.get() == Long.MAX_VALUE) {
                        if (service.metric("tagpurge_events_received_total") > 0) {
                            firstReceivedMillis.set(now);
                        }
                    } else if (now - lastMetrics >= 500) {
                        lastMetrics = now;
                        rssKb.add((double) readStatusKb(service.pid(), "VmRSS:"));
                        peakHwmKb = Math.max(peakHwmKb, readStatusKb(service.pid(), "VmHWM:"));
                        heap.add(service.metric("jvm_memory_used_bytes{area=\"heap\""));
                    }
                } catch (RuntimeException e) {
                    // a sample lost under load; the next one counts
                }
                LockSupport.parkNanos(Duration.ofMillis(50).toNanos());
            }
        }

        List<Double> secondHalf(List<Double> values) {
            return values.subList(values.size() / 2, values.size());
        }
    }

    private static long readStatusKb(long pid, String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith(field)) {
                    return Long.parseLong(line.substring(field.length()).trim().split("\\s+")[0]);
                }
            }
        } catch (IOException | RuntimeException e) {
            return 0;
        }
        return 0;
    }

    // ---------------------------------------------------------------- helpers

    private static KafkaConsumer<String, byte[]> reader(String bootstrap) {
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

    private static long sum(Collection<Long> values) {
        return values.stream().mapToLong(Long::longValue).sum();
    }

    private static long ceilDiv(long a, long b) {
        return (a + b - 1) / b;
    }

    private static double percentile(List<Double> sorted, double p) {
        if (sorted.isEmpty()) {
            return Double.NaN;
        }
        int i = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, i)));
    }

    private static double median(List<Double> values) {
        if (values.isEmpty()) {
            return Double.NaN;
        }
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(Double::compare);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    private static double med(List<Map<String, Double>> results, String key) {
        return median(results.stream().map(r -> r.getOrDefault(key, Double.NaN)).toList());
    }

    private static void log(String format, Object... args) {
        System.out.printf("[bench %s] %s%n", Instant.now(), String.format(format, args));
    }

    // ---------------------------------------------------------------- report

    private String report(List<Map<String, Double>> r) throws IOException {
        String mem =
                Files.readAllLines(Path.of("/proc/meminfo")).stream()
                        .filter(l -> l.startsWith("MemTotal:"))
                        .findFirst()
                        .orElse("MemTotal: ?");
        double memGb = Double.parseDouble(mem.replaceAll("[^0-9]", "")) / 1024 / 1024;
        StringBuilder b = new StringBuilder();
        b.append("# Tagpurge benchmark\n\n");
        b.append(
                String.format(
                        "Date %s; machine: %d cores (nproc), %.1f GB memory (MemTotal); Java %s.%n%n",
                        Instant.now().toString().substring(0, 19) + "Z",
                        Runtime.getRuntime().availableProcessors(),
                        memGb,
                        System.getProperty("java.version")));
        b.append(
                String.format(
                        "Workload: %,d events, %d partitions, entities Zipf(s=%.2f) over %,d, %d tags"
                                + " per event (entity, category, list page), %.0f B per record;"
                                + " targets Fastly + Cloudflare (Enterprise plan) on the sandbox;"
                                + " per-event completions; %d run(s), medians shown.%n%n",
                        events,
                        partitions,
                        zipf,
                        entities,
                        tagsPerEvent,
                        med(r, "recordSize"),
                        runs));
        b.append("| measure | value | goal |\n|---|---|---|\n");
        row(b, "Tagpurge end-to-end throughput", "%,.0f events/s", med(r, "throughput"), "");
        row(
                b,
                "Kafka producer ceiling (ProducerPerformance, acks=all)",
                "%,.0f records/s",
                med(r, "producerCeiling"),
                "");
        row(
                b,
                "Kafka consumer ceiling (ConsumerPerformance, fetch rate)",
                "%,.0f records/s",
                med(r, "consumerCeiling"),
                "");
        row(b, "throughput ÷ producer ceiling", "%.2f", med(r, "throughputRatio"), "≥ 0.5");
        for (String t : List.of("fastly", "cloudflare")) {
            row(b, t + ": purge requests", "%,.0f", med(r, t + "Requests"), "");
            row(b, t + ": minimum for the same flushes", "%,.0f", med(r, t + "Minimum"), "");
            row(b, t + ": requests ÷ minimum", "%.3f", med(r, t + "Ratio"), "≤ 1.05");
            row(b, t + ": requests per 1,000 events", "%.2f", med(r, t + "Per1000"), "");
            row(b, t + ": tags sent (after coalescing)", "%,.0f", med(r, t + "Items"), "");
            row(b, t + ": requests answered non-2xx", "%,.0f", med(r, t + "Failed"), "");
        }
        row(
                b,
                "naive purger throughput (1 Fastly request per event, sequential)",
                "%,.0f events/s",
                med(r, "naiveThroughput"),
                "");
        row(b, "naive purger requests per 1,000 events", "%,.0f", med(r, "naivePer1000"), "");
        row(
                b,
                "Tagpurge ÷ naive throughput",
                "%.1f×",
                med(r, "throughput") / med(r, "naiveThroughput"),
                "");
        row(
                b,
                "naive ÷ Tagpurge requests (Fastly)",
                "%.0f×",
                med(r, "naivePer1000") / med(r, "fastlyPer1000"),
                "");
        row(
                b,
                String.format("latency p50 at %,d events/s, linger 50 ms", latencyRate),
                "%.0f ms",
                med(r, "latencyP50"),
                "");
        row(b, "latency p99", "%.0f ms", med(r, "latencyP99"), "≤ 75 ms");
        row(b, "latency p99.9", "%.0f ms", med(r, "latencyP999"), "");
        row(
                b,
                "peak RSS during the saturated run (VmHWM)",
                "%.0f MB",
                med(r, "peakRssMb"),
                "≤ 512 MB");
        row(
                b,
                "steady RSS (median VmRSS, second half of the run)",
                "%.0f MB",
                med(r, "steadyRssMb"),
                "");
        row(
                b,
                "peak heap used (jvm_memory_used_bytes{area=heap}, sampled)",
                "%.0f MB",
                med(r, "peakHeapMb"),
                "");
        b.append("\nPer run:\n\n");
        for (int i = 0; i < r.size(); i++) {
            b.append("- run ").append(i + 1).append(": ").append(r.get(i)).append('\n');
        }
        return b.toString();
    }

    private static void row(
            StringBuilder b, String name, String format, double value, String goal) {
        b.append("| ")
                .append(name)
                .append(" | ")
                .append(String.format(format, value))
                .append(" | ")
                .append(goal)
                .append(" |\n");
    }

    static String utf8(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
