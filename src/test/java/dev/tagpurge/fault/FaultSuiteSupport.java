package dev.tagpurge.fault;

import static org.awaitility.Awaitility.await;

import dev.tagpurge.sandbox.SandboxServer;
import dev.tagpurge.testing.LocalKafkaBroker;
import dev.tagpurge.testing.LocalRedisServer;
import dev.tagpurge.testing.ServiceProcess;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;

/**
 * Shared set-up of the fault suite: each class starts its own Kafka broker, redis-server and CDN
 * sandbox, runs the packaged service as separate JVMs against them, and stops everything it
 * started, by PID, in {@code @AfterAll} whatever the outcome. Run alone with {@code ./mvnw -B
 * verify -Dit.test='Fault*IT' -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false}.
 */
@Tag("fault")
abstract class FaultSuiteSupport {

    static LocalKafkaBroker broker;
    static LocalRedisServer redis;
    static SandboxServer sandbox;
    private static final List<AutoCloseable> STARTED = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void startServers() {
        broker = LocalKafkaBroker.start();
        redis = LocalRedisServer.start();
        sandbox = SandboxServer.start(0);
    }

    @AfterEach
    void stopServices() {
        for (AutoCloseable c : List.copyOf(STARTED)) {
            closeQuietly(c);
        }
        STARTED.clear();
        sandbox.sandbox().faults().clear();
    }

    @AfterAll
    static void stopServers() {
        closeQuietly(sandbox);
        closeQuietly(redis);
        closeQuietly(broker);
    }

    /** Closes {@code c} after the test (services, clients), even when the test fails. */
    static <T extends AutoCloseable> T closeAfterTest(T c) {
        STARTED.add(c);
        return c;
    }

    /** Starts one service replica, killed (SIGKILL, by PID) after the test if still running. */
    /** Follows the run's completion and dead-letter topics until the test ends. */
    static Outcomes followOutcomes(Run run) {
        return closeAfterTest(
                Outcomes.follow(broker.bootstrapServers(), run.completions(), run.deadLetters()));
    }

    /**
     * Produces change events at a steady rate to the run's input until stopped or the test ends.
     */
    static EventLoad steadyLoad(Run run, int perSecond) {
        EventLoad load =
                closeAfterTest(new EventLoad(broker.bootstrapServers(), run.input(), run.id()));
        load.startSteady(perSecond);
        return load;
    }

    /** Waits (at most a minute) until {@code count} events have completed: the service is warm. */
    static void awaitCompleted(Outcomes outcomes, int count) {
        await().pollInterval(Duration.ofMillis(200))
                .atMost(Duration.ofSeconds(60))
                .until(() -> outcomes.completedCount() >= count);
    }

    static ServiceProcess startService(String name, Map<String, String> config) {
        return closeAfterTest(ServiceProcess.start(name, config));
    }

    private static void closeQuietly(AutoCloseable c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (Exception e) {
            System.err.println("fault suite clean-up: " + e);
        }
    }

    /** One scenario's topics and consumer group, fresh names each time. */
    record Run(String id) {
        static Run fresh() {
            return new Run(UUID.randomUUID().toString().substring(0, 8));
        }

        String input() {
            return "fault-in-" + id;
        }

        String completions() {
            return "fault-done-" + id;
        }

        String deadLetters() {
            return "fault-dlq-" + id;
        }

        String group() {
            return "tagpurge-fault-" + id;
        }
    }

    /** Creates the run's topics: {@code partitions} for the input, one each for the outputs. */
    static void createTopics(Run run, int partitions) {
        try (Admin admin = admin()) {
            admin.createTopics(
                            List.of(
                                    new NewTopic(run.input(), partitions, (short) 1),
                                    new NewTopic(run.completions(), 1, (short) 1),
                                    new NewTopic(run.deadLetters(), 1, (short) 1)))
                    .all()
                    .get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("cannot create the topics of run " + run.id(), e);
        }
    }

    /** The consumer group's committed offsets on the input, summed over its partitions. */
    static long committedTotal(Run run) {
        return committed(run).values().stream().mapToLong(Long::longValue).sum();
    }

    /** The consumer group's committed offset on each input partition that has one. */
    static Map<Integer, Long> committed(Run run) {
        try (Admin admin = admin()) {
            Map<TopicPartition, OffsetAndMetadata> offsets =
                    admin.listConsumerGroupOffsets(run.group())
                            .partitionsToOffsetAndMetadata()
                            .get(10, TimeUnit.SECONDS);
            Map<Integer, Long> committed = new HashMap<>();
            offsets.forEach(
                    (tp, o) -> {
                        if (tp.topic().equals(run.input()) && o != null) {
                            committed.put(tp.partition(), o.offset());
                        }
                    });
            return committed;
        } catch (Exception e) {
            throw new IllegalStateException("cannot read the offsets of " + run.group(), e);
        }
    }

    /** The end offsets of {@code topic}'s partitions. */
    static Map<TopicPartition, Long> endOffsets(String topic, int partitions) {
        Map<TopicPartition, OffsetSpec> request = new HashMap<>();
        for (int p = 0; p < partitions; p++) {
            request.put(new TopicPartition(topic, p), OffsetSpec.latest());
        }
        try (Admin admin = admin()) {
            Map<TopicPartition, ListOffsetsResultInfo> info =
                    admin.listOffsets(request).all().get(10, TimeUnit.SECONDS);
            Map<TopicPartition, Long> ends = new HashMap<>();
            info.forEach((tp, i) -> ends.put(tp, i.offset()));
            return ends;
        } catch (Exception e) {
            throw new IllegalStateException("cannot read the end offsets of " + topic, e);
        }
    }

    static Admin admin() {
        return Admin.create(
                Map.of(
                        AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                        broker.bootstrapServers(),
                        AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG,
                        30_000));
    }

    /**
     * A service configuration reading the run's topics, with Kafka, Redis and a short session
     * timeout (a killed replica leaves its group after 6 s); targets are added by the scenario.
     */
    static Map<String, String> serviceConfig(Run run) {
        Map<String, String> c = new HashMap<>();
        c.put("kafka.bootstrap.servers", broker.bootstrapServers());
        c.put("quarkus.redis.hosts", redis.uri());
        c.put("tagpurge.input.topics", run.input());
        c.put("tagpurge.completion.topic", run.completions());
        c.put("tagpurge.dlq.topic", run.deadLetters());
        c.put("mp.messaging.incoming.change-events.group.id", run.group());
        c.put("mp.messaging.incoming.change-events.session.timeout.ms", "6000");
        c.put("mp.messaging.incoming.change-events.heartbeat.interval.ms", "1000");
        return c;
    }

    /** Adds a Fastly target named {@code name} on the sandbox. */
    static void fastlyTarget(Map<String, String> c, String name, Run run) {
        c.put("tagpurge.targets." + name + ".provider", "fastly");
        c.put("tagpurge.targets." + name + ".service-id", "SVC-" + run.id());
        c.put("tagpurge.targets." + name + ".api-token", "fault-test-token");
        c.put("tagpurge.targets." + name + ".base-url", sandbox.fastlyUrl());
        c.put("tagpurge.targets." + name + ".sandbox", "true");
    }

    /** Keeps a fault in place for {@code d}: its duration, not a synchronisation. */
    /**
     * A Cloudflare target {@code zone} on the sandbox whose purge requests share one bucket in
     * Redis ({@code tagpurge.ratelimit.shared}) of {@code capacity} tokens refilled {@code
     * perSecond}.
     */
    static void sharedCloudflareTarget(Map<String, String> c, int capacity, int perSecond) {
        c.put("tagpurge.targets.zone.provider", "cloudflare");
        c.put("tagpurge.targets.zone.zone-id", "023e105f4ecef8ad9ca31a8372d0c353");
        c.put("tagpurge.targets.zone.api-token", "fault-test-token");
        c.put("tagpurge.targets.zone.plan", "enterprise");
        c.put("tagpurge.targets.zone.base-url", sandbox.cloudflareUrl());
        c.put("tagpurge.targets.zone.sandbox", "true");
        c.put("tagpurge.targets.zone.rate-limits.purge-requests.capacity", "" + capacity);
        c.put("tagpurge.targets.zone.rate-limits.purge-requests.refill-tokens", "" + perSecond);
        c.put("tagpurge.targets.zone.rate-limits.purge-requests.refill-period", "1s");
        c.put("tagpurge.ratelimit.shared", "true");
    }

    static void hold(Duration d) {
        await().pollDelay(d).atMost(d.plusSeconds(2)).until(() -> true);
    }

    /**
     * Milliseconds from {@code since} until every one of {@code ids} has an outcome, or -1 if some
     * have none after {@code atMost}.
     */
    static long recoveryMs(Outcomes outcomes, List<String> ids, Instant since, Duration atMost) {
        if (!awaitOutcomes(outcomes, ids, atMost)) {
            return -1;
        }
        return Duration.between(since, Instant.now()).toMillis();
    }

    /**
     * Events that have a completion but whose offset is not committed: all a redelivery can
     * complete twice. Reads the commits first, then the completions up to the topic's end, so every
     * committed event is counted as completed and the difference never undercounts.
     */
    static long completedButUncommitted(Run run, Outcomes outcomes) {
        long committed = committedTotal(run);
        Map<TopicPartition, Long> ends = endOffsets(run.completions(), 1);
        await().pollInterval(Duration.ofMillis(100))
                .atMost(Duration.ofSeconds(30))
                .until(() -> outcomes.caughtUpWith(ends));
        return outcomes.completedCount() - committed;
    }

    /** Waits until {@code service} has {@code partitions} input partitions assigned. */
    static void awaitAssigned(List<ServiceProcess> services, int partitions) {
        await().pollInterval(Duration.ofMillis(500))
                .atMost(Duration.ofSeconds(90))
                .until(
                        () ->
                                services.stream()
                                                .mapToDouble(
                                                        s ->
                                                                s.metric(
                                                                        "kafka_consumer_coordinator_assigned_partitions"))
                                                .sum()
                                        == partitions);
    }

    /**
     * Waits until {@code outcomes} has an outcome for every one of {@code ids}; false if some are
     * still missing after {@code atMost} (the caller reports, then asserts).
     */
    static boolean awaitOutcomes(Outcomes outcomes, List<String> ids, Duration atMost) {
        List<String> expected = new ArrayList<>(ids);
        try {
            await().pollInterval(Duration.ofMillis(200))
                    .atMost(atMost)
                    .until(() -> outcomes.missing(expected).isEmpty());
            return true;
        } catch (ConditionTimeoutException e) {
            return false;
        }
    }
}
