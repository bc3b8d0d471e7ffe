package dev.tagpurge.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tagpurge.domain.SelectorKind;
import dev.tagpurge.ratelimit.BucketRule;
import dev.tagpurge.ratelimit.SharedRateLimiter;
import dev.tagpurge.testing.KafkaTestClient;
import dev.tagpurge.testing.LocalRedisCluster;
import dev.tagpurge.testing.ServiceProcess;
import io.smallrye.mutiny.Multi;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.RedisConnection;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import io.vertx.redis.client.RedisClientType;
import io.vertx.redis.client.RedisOptions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.jboss.logging.Logger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The service against a real Redis Cluster ({@link LocalRedisCluster}: three masters, one replica
 * each), through the default Quarkus Redis client with {@code client-type=cluster}: a Redis target
 * purges tags whose members live on every master, the shared rate-limit buckets live in the
 * cluster, prefix and everything purges are refused for the target with a clear reason, and a
 * master frozen in the middle of a stream of purges is replaced by its replica without losing an
 * event.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RedisClusterIT extends ProcessTestSupport {

    private static final Logger LOG = Logger.getLogger(RedisClusterIT.class);
    private static final Duration NODE_TIMEOUT = Duration.ofMillis(2000);
    private static final Duration WAIT = Duration.ofSeconds(30);

    private static LocalRedisCluster cluster;
    private static Vertx vertx;
    private static Redis redis;
    private static ServiceProcess service;
    private static Run run;
    private static String ns;

    @BeforeAll
    static void startClusterAndService() {
        cluster = LocalRedisCluster.start(NODE_TIMEOUT);
        vertx = Vertx.vertx();
        RedisOptions options = new RedisOptions().setType(RedisClientType.CLUSTER);
        cluster.nodes().forEach(n -> options.addConnectionString("redis://" + n.address()));
        redis = Redis.createClient(vertx, options.setMaxPoolWaiting(4096));
        run = Run.fresh();
        ns = "c-" + run.id() + ":";
        service = ServiceProcess.start("redis-cluster", config());
    }

    @AfterAll
    static void stopClusterAndService() {
        if (service != null) {
            service.close();
        }
        if (redis != null) {
            redis.close();
            vertx.closeAndAwait();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    private static Map<String, String> config() {
        Map<String, String> c = serviceConfig(run);
        c.keySet().removeIf(k -> k.startsWith("tagpurge.targets.cdn."));
        c.put("quarkus.redis.hosts", cluster.hosts());
        c.put("quarkus.redis.client-type", "cluster");
        c.put("tagpurge.targets.cache.provider", "redis");
        c.put("tagpurge.targets.cache.namespace", ns);
        c.put("tagpurge.targets.zone.provider", "cloudflare");
        c.put("tagpurge.targets.zone.zone-id", "023e105f4ecef8ad9ca31a8372d0c353");
        c.put("tagpurge.targets.zone.api-token", "process-test-token");
        c.put("tagpurge.targets.zone.plan", "enterprise");
        c.put("tagpurge.targets.zone.base-url", sandbox.cloudflareUrl());
        c.put("tagpurge.targets.zone.sandbox", "true");
        c.put("tagpurge.ratelimit.shared", "true");
        c.put("tagpurge.ratelimit.fallback-share", "0.5");
        c.put("tagpurge.purge.everything-from-events", "true");
        // a request stuck on a frozen master is given up soon and retried
        c.put("tagpurge.purge.request-timeout", "2s");
        c.put("tagpurge.purge.retry-max-backoff", "1s");
        // a connection to a frozen node gets no byte back: closed after this, so the client's
        // slot-map refresh and pooled connections do not wait on it forever
        c.put("quarkus.redis.tcp.read-idle-timeout", "3s");
        // the first script call (connections to three masters, a cold JVM) on a loaded machine
        // may take over the default 1s; the fallback is not what this test is about
        c.put("tagpurge.ratelimit.redis-timeout", "5s");
        return c;
    }

    @Test
    @Order(1)
    void tagPurgesDeleteMembersOnEveryMaster() {
        List<String> tags = List.of("cross-a", "cross-b", "cross-c", "cross-d");
        Map<String, List<String>> members = new HashMap<>();
        for (String tag : tags) {
            List<String> keys =
                    IntStream.range(0, 60).mapToObj(i -> "page:" + tag + ":" + i).toList();
            members.put(tag, keys);
            set(keys);
            register(tag, keys);
        }
        List<String> all = members.values().stream().flatMap(List::stream).toList();
        assertThat(Set.copyOf(cluster.masterPorts(all).values()))
                .as("masters holding the members")
                .hasSize(LocalRedisCluster.MASTERS);
        assertThat(
                        Set.copyOf(
                                cluster.masterPorts(tags.stream().map(this::tagKey).toList())
                                        .values()))
                .as("masters holding the tag sets")
                .hasSizeGreaterThan(1);
        set(List.of("page:kept"));

        kafka.send(run.input(), "cross", eventTo("cache", "cross", tags));

        JsonNode completion = awaitCompletion("cross");
        assertThat(completion.at("/status").asText()).isEqualTo("succeeded");
        assertThat(target(completion, "cache").at("/status").asText()).isEqualTo("succeeded");
        assertThat(existing(all)).as("members left").isEmpty();
        assertThat(existing(tags.stream().map(this::tagKey).toList()))
                .as("tag sets left")
                .isEmpty();
        assertThat(existing(List.of("page:kept"))).as("an untagged key").hasSize(1);
    }

    @Test
    @Order(2)
    void prefixAndEverythingAreRefusedForTheClusterTargetAndDeleteNothing() {
        List<String> keys = IntStream.range(0, 30).mapToObj(i -> ns + "product:" + i).toList();
        set(keys);
        register("kept", List.of(keys.getFirst()));

        kafka.send(
                run.input(),
                "prefix",
                "{\"id\":\"prefix\",\"type\":\"product.updated\",\"prefixes\":[\"product:\"],"
                        + "\"targets\":[\"cache\"]}");
        kafka.send(
                run.input(),
                "everything",
                "{\"id\":\"everything\",\"type\":\"product.updated\",\"everything\":true,"
                        + "\"targets\":[\"cache\"]}");

        Map<String, JsonNode> completions = awaitCompletions(List.of("prefix", "everything"), WAIT);
        for (String id : List.of("prefix", "everything")) {
            JsonNode completion = completions.get(id);
            JsonNode cache = target(completion, "cache");
            assertThat(completion.at("/status").asText()).as(id).isEqualTo("failed");
            assertThat(cache.at("/status").asText()).as(id).isEqualTo("rejected");
            assertThat(cache.at("/error").asText())
                    .as(id)
                    .contains("redis cluster")
                    .contains("standalone or sentinel");
            assertThat(cache.at("/requests").asInt()).as(id + ": requests sent").isZero();
        }
        assertThat(existing(keys)).as("keys under the prefix").hasSize(keys.size());
        assertThat(existing(List.of(tagKey("kept")))).as("tag set").hasSize(1);
    }

    @Test
    @Order(3)
    void sharedRateLimitBucketsLiveInTheCluster() {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            String id = "zone-" + i;
            ids.add(id);
            kafka.send(run.input(), id, eventTo("zone", id, List.of("shared-" + i)));
        }
        awaitCompletions(ids, WAIT)
                .forEach(
                        (id, completion) ->
                                assertThat(completion.at("/status").asText())
                                        .as(id)
                                        .isEqualTo("succeeded"));

        String bucket = "tagpurge:ratelimit:{zone}:purge-requests";
        assertThat(
                        redis.send(Request.cmd(Command.HGET).arg(bucket).arg("tokens"))
                                .await()
                                .atMost(WAIT))
                .as("the shared bucket in the cluster")
                .isNotNull();
        assertThat(service.metric("tagpurge_ratelimit_fallback{")).isZero();
        assertThat(service.logText()).doesNotContain("shared rate limits in Redis unreachable");
    }

    @Test
    @Order(4)
    void aTargetsBucketsAreTakenTogetherInOneSlot() {
        // two buckets counting the same requests: one script over both keys, which Redis Cluster
        // allows only because the target's hash tag puts them in one slot
        List<BucketRule> rules =
                List.of(
                        new BucketRule(
                                "burst",
                                3,
                                1,
                                Duration.ofMinutes(1),
                                Set.of(SelectorKind.TAG),
                                false,
                                1),
                        new BucketRule(
                                "sustained",
                                5,
                                1,
                                Duration.ofMinutes(1),
                                Set.of(SelectorKind.TAG),
                                false,
                                1));
        SharedRateLimiter limiter = new SharedRateLimiter(redis, "direct-" + run.id(), rules, 1.0);

        List<Long> waits = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            waits.add(limiter.tryAcquire(SelectorKind.TAG, 1).await().atMost(WAIT));
        }

        assertThat(limiter.isFallingBack()).as("fell back to local buckets").isFalse();
        assertThat(waits.subList(0, 3)).containsOnly(0L);
        assertThat(waits.get(3)).as("wait once the burst bucket is empty").isPositive();
        String burst = "tagpurge:ratelimit:{direct-" + run.id() + "}:burst";
        String sustained = "tagpurge:ratelimit:{direct-" + run.id() + "}:sustained";
        assertThat(LocalRedisCluster.slot(burst)).isEqualTo(LocalRedisCluster.slot(sustained));
        assertThat(hget(sustained, "tokens")).startsWith("2");
    }

    @Test
    @Order(5)
    void purgesRecoverWhenAMasterFailsOverInTheMiddle() throws Exception {
        int events = 40;
        List<String> tags = IntStream.range(0, events).mapToObj(i -> "fo-" + i).toList();
        List<String> all = new ArrayList<>();
        for (String tag : tags) {
            List<String> keys =
                    IntStream.range(0, 30).mapToObj(i -> "item:" + tag + ":" + i).toList();
            all.addAll(keys);
            set(keys);
            register(tag, keys);
        }
        LocalRedisCluster.Node victim = cluster.masterOf(tagKey(tags.get(events / 2)));

        List<String> ids = IntStream.range(0, events).mapToObj(i -> "fo-" + i).toList();
        // one event every 100 ms on a thread of its own, the master frozen after the sixth
        CountDownLatch sixSent = new CountDownLatch(6);
        CompletableFuture<Void> sending =
                CompletableFuture.runAsync(
                        () -> {
                            for (int i = 0; i < events; i++) {
                                kafka.send(
                                        run.input(),
                                        ids.get(i),
                                        eventTo("cache", ids.get(i), List.of(tags.get(i))));
                                sixSent.countDown();
                                LockSupport.parkNanos(Duration.ofMillis(100).toNanos());
                            }
                        });
        assertThat(sixSent.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        Instant frozenAt = Instant.now();
        cluster.freeze(victim);
        Instant promotedAt;
        Map<String, JsonNode> outcomes;
        try {
            cluster.awaitFailover(victim, WAIT);
            promotedAt = Instant.now();
            sending.get(WAIT.toSeconds(), TimeUnit.SECONDS);
            outcomes = awaitCompletions(ids, Duration.ofSeconds(45));
        } finally {
            // Only now: a master thawed while clients still route to it takes writes for a moment
            // before it learns it was demoted, and drops them when it resyncs from its replica.
            cluster.resume(victim);
        }
        cluster.awaitHealthy(WAIT);

        int retried = 0;
        int maxAttempts = 0;
        Instant lastCompleted = frozenAt;
        for (String id : ids) {
            JsonNode completion = outcomes.get(id);
            assertThat(completion.at("/status").asText()).as(id).isEqualTo("succeeded");
            int attempts = target(completion, "cache").at("/attempts").asInt();
            retried += attempts > 1 ? 1 : 0;
            maxAttempts = Math.max(maxAttempts, attempts);
            Instant completed = Instant.parse(completion.at("/completedAt").asText());
            if (completed.isAfter(lastCompleted)) {
                lastCompleted = completed;
            }
        }
        LOG.infof(
                "failover of master 127.0.0.1:%d: every live node saw the promotion by %d ms after"
                        + " the freeze (polled with redis-cli; the node logs have the exact time);"
                        + " %d events all succeeded, %d of them retried (at most %d attempts);"
                        + " last completion %d ms after the freeze, %d ms after the promotion was seen",
                victim.port(),
                Duration.between(frozenAt, promotedAt).toMillis(),
                events,
                retried,
                maxAttempts,
                Duration.between(frozenAt, lastCompleted).toMillis(),
                Duration.between(promotedAt, lastCompleted).toMillis());
        assertThat(existing(all)).as("failover members left").isEmpty();
        assertThat(existing(tags.stream().map(this::tagKey).toList())).isEmpty();
    }

    private String tagKey(String tag) {
        return ns + "tag:" + tag;
    }

    private static String eventTo(String target, String id, List<String> tags) {
        return "{\"id\":\""
                + id
                + "\",\"type\":\"product.updated\",\"targets\":[\""
                + target
                + "\"],\"tags\":["
                + String.join(",", tags.stream().map(t -> "\"" + t + "\"").toList())
                + "]}";
    }

    private static JsonNode target(JsonNode completion, String name) {
        for (JsonNode t : completion.at("/targets")) {
            if (t.at("/target").asText().equals(name)) {
                return t;
            }
        }
        throw new AssertionError("no outcome for target " + name + " in " + completion);
    }

    private static JsonNode awaitCompletion(String id) {
        return awaitCompletions(List.of(id), WAIT).get(id);
    }

    /** Waits until every event of {@code ids} has its completion event, and returns them. */
    private static Map<String, JsonNode> awaitCompletions(List<String> ids, Duration timeout) {
        Map<String, JsonNode> found = new HashMap<>();
        await("completions of " + ids.size() + " events")
                .atMost(timeout)
                .pollInterval(Duration.ofMillis(300))
                .until(
                        () -> {
                            found.putAll(completions(Set.copyOf(ids)));
                            return found.keySet().containsAll(ids);
                        });
        return found;
    }

    /** The {@code data} of the completion events of {@code ids} written so far. */
    private static Map<String, JsonNode> completions(Set<String> ids) {
        Map<String, JsonNode> out = new HashMap<>();
        for (ConsumerRecord<String, byte[]> r : kafka.readAll(run.completions(), r -> true)) {
            JsonNode data = json(KafkaTestClient.value(r)).at("/data");
            if (ids.contains(data.at("/eventId").asText())) {
                out.put(data.at("/eventId").asText(), data);
            }
        }
        return out;
    }

    private void set(List<String> keys) {
        each(keys, k -> Request.cmd(Command.SET).arg(k).arg("cached"));
    }

    private void register(String tag, List<String> members) {
        Request sadd = Request.cmd(Command.SADD).arg(tagKey(tag));
        members.forEach(sadd::arg);
        redis.send(sadd).await().atMost(WAIT);
    }

    /** The keys of {@code keys} that exist, asked one by one (they span slots). */
    private List<String> existing(List<String> keys) {
        List<String> found = new ArrayList<>();
        Map<String, Response> replies = each(keys, k -> Request.cmd(Command.EXISTS).arg(k));
        for (String key : keys) {
            if (replies.get(key).toLong() > 0) {
                found.add(key);
            }
        }
        return found;
    }

    private String hget(String key, String field) {
        Response reply =
                redis.send(Request.cmd(Command.HGET).arg(key).arg(field)).await().atMost(WAIT);
        return reply == null ? null : reply.toString();
    }

    /**
     * One single-key command per key, 16 in flight on one cluster connection (which routes each to
     * its slot's master); the replies by key.
     */
    private static Map<String, Response> each(
            List<String> keys, Function<String, Request> request) {
        RedisConnection connection = redis.connect().await().atMost(WAIT);
        try {
            return Multi.createFrom()
                    .iterable(keys)
                    .onItem()
                    .transformToUni(
                            k ->
                                    connection
                                            .send(request.apply(k))
                                            .map(reply -> Map.entry(k, reply)))
                    .merge(16)
                    .collect()
                    .asMap(Map.Entry::getKey, Map.Entry::getValue)
                    .await()
                    .atMost(WAIT);
        } finally {
            connection.closeAndAwait();
        }
    }
}
