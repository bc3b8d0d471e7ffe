package dev.tagpurge.bench;

import static dev.tagpurge.bench.Stats.log;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiFunction;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * What the broker itself allows on this machine, measured in the same run as Tagpurge: Kafka's own
 * ProducerPerformance and ConsumerPerformance tools (as child JVMs), and a pass-through (a plain
 * consumer writing one record per record consumed, as Tagpurge writes one completion per event).
 */
final class KafkaCeilings {

    private final String bootstrap;
    private final int records;

    KafkaCeilings(String bootstrap, int records) {
        this.bootstrap = bootstrap;
        this.records = records;
    }

    /** ProducerPerformance, acks=all, at the given record size: records/s. */
    double producer(String topic, int recordSize) throws Exception {
        String out =
                childJvm(
                        "org.apache.kafka.tools.ProducerPerformance",
                        "--topic",
                        topic,
                        "--num-records",
                        Integer.toString(records),
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

    /** ConsumerPerformance on the topic {@link #producer} filled: fetch records/s. */
    double consumer(String topic) throws Exception {
        String out =
                childJvm(
                        "org.apache.kafka.tools.ConsumerPerformance",
                        "--bootstrap-server",
                        bootstrap,
                        "--topic",
                        topic,
                        "--messages",
                        Integer.toString(records),
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

    /**
     * A plain consumer reading {@code input} from the start and writing, per record, one record to
     * {@code output} (acks=all, linger 5 ms, 64 KiB Snappy-compressed batches, as Tagpurge's
     * completion producer): records/s from the first record polled to the last write acknowledged.
     * The values written are {@code values} in turn, the service's own completions, so that the
     * records are as large and compress as well as the service's. The most a service writing one
     * record per event can do on this broker, before doing any work.
     *
     * <p>Over the same span (from the first record polled to the last write flushed) it counts the
     * CPU of its client (this JVM) and of the broker ({@code brokerPid}), and the broker's by
     * thread, so that what the broker's JIT compiler took is known apart.
     */
    PassThrough passThrough(
            String input, String output, String group, List<byte[]> values, long brokerPid)
            throws Exception {
        if (values.isEmpty()) {
            throw new IllegalArgumentException("no completion to write: the service wrote none");
        }
        return copy(
                input,
                output,
                group,
                (polled, r) -> values.get((int) (polled % values.size())),
                brokerPid);
    }

    /**
     * The broker's warm-up: copy {@code input} into {@code output} as the pass-through does, each
     * record's own value, pass after pass (consumer groups {@code group-1}, {@code group-2}, …),
     * until the broker ({@code brokerPid})'s JIT compiler took less than {@code settledShare} of
     * its CPU in a pass, or for {@code maxPasses}: a broker started for the run then has compiled
     * its produce and fetch paths (Snappy-compressed batches included) before anything is measured
     * on it. As program arguments, in this order, for the child JVM that runs it.
     */
    record WarmUp(
            String input,
            String output,
            String group,
            long brokerPid,
            double settledShare,
            int maxPasses) {

        List<String> args() {
            return List.of(
                    input,
                    output,
                    group,
                    Long.toString(brokerPid),
                    Double.toString(settledShare),
                    Integer.toString(maxPasses));
        }

        static WarmUp of(List<String> args) {
            return new WarmUp(
                    args.get(0),
                    args.get(1),
                    args.get(2),
                    Long.parseLong(args.get(3)),
                    Double.parseDouble(args.get(4)),
                    Integer.parseInt(args.get(5)));
        }
    }

    /** Runs {@code w} in this JVM; returns how many passes it took. */
    private int warmBroker(WarmUp w) throws Exception {
        for (int pass = 1; ; pass++) {
            PassThrough one =
                    copy(
                            w.input(),
                            w.output(),
                            w.group() + "-" + pass,
                            (polled, r) -> r.value(),
                            w.brokerPid());
            double share = one.brokerJitSeconds() / one.cpuUsed().get("broker");
            log(
                    "broker warm-up, pass %d: %,.0f records/s; its JIT compiler %.0f%% of its CPU",
                    pass, one.rate(), 100 * share);
            if (share < w.settledShare() || pass >= w.maxPasses()) {
                return pass;
            }
        }
    }

    private PassThrough copy(
            String input,
            String output,
            String group,
            BiFunction<Long, ConsumerRecord<byte[], byte[]>, byte[]> value,
            long brokerPid)
            throws Exception {
        CpuAccounting cpu =
                new CpuAccounting(
                        Map.of("client", ProcessHandle.current().pid(), "broker", brokerPid));
        ServiceThreads brokerThreads = null;
        AtomicLong acked = new AtomicLong();
        AtomicLong lastAck = new AtomicLong();
        AtomicReference<Exception> failure = new AtomicReference<>();
        long first = 0;
        long polled = 0;
        Map<String, Double> cpuUsed;
        double brokerJit;
        BrokerRequests requests;
        try (KafkaConsumer<byte[], byte[]> consumer =
                        new KafkaConsumer<>(
                                Map.of(
                                        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                                        bootstrap,
                                        ConsumerConfig.GROUP_ID_CONFIG,
                                        group,
                                        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                                        "earliest",
                                        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                                        false,
                                        ConsumerConfig.MAX_POLL_RECORDS_CONFIG,
                                        1000,
                                        ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
                                        ByteArrayDeserializer.class,
                                        ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
                                        ByteArrayDeserializer.class));
                KafkaProducer<byte[], byte[]> producer =
                        new KafkaProducer<>(
                                Map.of(
                                        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                                        bootstrap,
                                        ProducerConfig.ACKS_CONFIG,
                                        "all",
                                        ProducerConfig.LINGER_MS_CONFIG,
                                        5,
                                        ProducerConfig.BATCH_SIZE_CONFIG,
                                        65536,
                                        ProducerConfig.COMPRESSION_TYPE_CONFIG,
                                        "snappy",
                                        ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG,
                                        ByteArraySerializer.class,
                                        ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG,
                                        ByteArraySerializer.class))) {
            consumer.subscribe(List.of(input));
            long deadline = System.nanoTime() + Duration.ofSeconds(300).toNanos();
            while (polled < records && System.nanoTime() < deadline) {
                ConsumerRecords<byte[], byte[]> batch = consumer.poll(Duration.ofMillis(200));
                if (batch.isEmpty()) {
                    continue;
                }
                if (first == 0) {
                    first = System.nanoTime();
                    cpu.start();
                    brokerThreads = ServiceThreads.start(brokerPid);
                }
                for (ConsumerRecord<byte[], byte[]> r : batch) {
                    polled++;
                    producer.send(
                            new ProducerRecord<>(output, r.key(), value.apply(polled, r)),
                            (meta, e) -> {
                                if (e != null) {
                                    failure.set(e);
                                }
                                acked.incrementAndGet();
                                lastAck.set(System.nanoTime());
                            });
                }
                consumer.commitAsync();
            }
            producer.flush();
            if (first == 0) {
                throw new IllegalStateException("no record of " + input + " within 300 s");
            }
            cpuUsed = cpu.stop();
            brokerJit = brokerThreads.stop().get(ServiceThreads.Role.JIT).cpuSeconds();
            requests = BrokerRequests.of(consumer.metrics(), producer.metrics());
        }
        if (failure.get() != null) {
            throw failure.get();
        }
        double seconds = (lastAck.get() - first) / 1e9;
        double rate = acked.get() / seconds;
        log(
                "pass-through: %d records consumed and %d written in %.2f s = %.0f records/s",
                polled, acked.get(), seconds, rate);
        return new PassThrough(rate, cpuUsed, brokerJit, requests, acked.get());
    }

    /**
     * A pass-through's rate, records/s, what {@link CpuAccounting#stop} said of its span ({@code
     * client}, {@code broker}), the broker's JIT compiler's CPU seconds in it and the requests its
     * clients sent, over {@code records} records written.
     */
    record PassThrough(
            double rate,
            Map<String, Double> cpuUsed,
            double brokerJitSeconds,
            BrokerRequests requests,
            long records) {

        /** Process {@code name}'s CPU per record written, µs. */
        double cpuUsPerRecord(String name) {
            return cpuUsed.get(name) * 1e6 / Math.max(1, records);
        }

        /** The broker's JIT compiler's CPU per record written, µs. */
        double brokerJitUsPerRecord() {
            return brokerJitSeconds * 1e6 / Math.max(1, records);
        }
    }

    /**
     * Warms the broker ({@link WarmUp}) in a JVM of its own, so that only the broker is warmed:
     * this JVM, whose client the pass-through ceiling is measured with, stays as warm as it was.
     * Returns the passes it took.
     */
    int warmBrokerInChildJvm(WarmUp warmUp) throws Exception {
        List<String> args = new ArrayList<>(List.of(bootstrap, Integer.toString(records)));
        args.addAll(warmUp.args());
        String out = childJvm(KafkaCeilings.class.getName(), args.toArray(String[]::new));
        out.lines().filter(l -> l.startsWith("[bench")).forEach(System.out::println);
        return out.lines()
                .filter(l -> l.startsWith(PASSES))
                .map(l -> Integer.parseInt(l.substring(PASSES.length()).trim()))
                .reduce((a, b) -> b)
                .orElseThrow(
                        () -> new IllegalStateException("the broker's warm-up failed:\n" + out));
    }

    private static final String PASSES = "broker warm-up passes:";

    /** The broker's warm-up in a child JVM: {@code bootstrap records} and {@link WarmUp#args}. */
    public static void main(String[] args) throws Exception {
        int passes =
                new KafkaCeilings(args[0], Integer.parseInt(args[1]))
                        .warmBroker(WarmUp.of(List.of(args).subList(2, args.length)));
        System.out.println(PASSES + " " + passes);
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
}
