package dev.tagpurge.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tagpurge.sandbox.RecordedPurge;
import dev.tagpurge.testing.ServiceProcess;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.jboss.logging.Logger;
import org.junit.jupiter.api.Test;

/**
 * Two replicas in one consumer group share one Cloudflare bucket in Redis: together they stay
 * within the one configured limit, as one account's limit requires.
 */
class SharedRateLimitIT extends ProcessTestSupport {

    private static final Logger LOG = Logger.getLogger(SharedRateLimitIT.class);
    private static final int CAPACITY = 10;
    private static final int REFILL_PER_SECOND = 5;

    private static Map<String, String> replicaConfig(Run run) {
        Map<String, String> c = serviceConfig(run);
        c.keySet().removeIf(k -> k.startsWith("tagpurge.targets.cdn."));
        c.put("tagpurge.targets.zone.provider", "cloudflare");
        c.put("tagpurge.targets.zone.zone-id", "023e105f4ecef8ad9ca31a8372d0c353");
        c.put("tagpurge.targets.zone.api-token", "process-test-token");
        c.put("tagpurge.targets.zone.plan", "free");
        c.put("tagpurge.targets.zone.base-url", sandbox.cloudflareUrl());
        c.put("tagpurge.targets.zone.sandbox", "true");
        c.put(
                "tagpurge.targets.zone.rate-limits.purge-requests.capacity",
                Integer.toString(CAPACITY));
        c.put(
                "tagpurge.targets.zone.rate-limits.purge-requests.refill-tokens",
                Integer.toString(REFILL_PER_SECOND));
        c.put("tagpurge.targets.zone.rate-limits.purge-requests.refill-period", "1s");
        c.put("tagpurge.ratelimit.shared", "true");
        c.put("tagpurge.ratelimit.fallback-share", "0.5");
        // this test is about the shared bucket, not the fallback: a loaded CI machine can keep an
        // answer from Redis past the default 1 s, which would switch a replica to its own share
        c.put("tagpurge.ratelimit.redis-timeout", "5s");
        return c;
    }

    @Test
    void twoReplicasTogetherStayWithinOneSharedLimit() throws Exception {
        Run run = Run.fresh();
        try (Admin admin =
                Admin.create(
                        Map.of(
                                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                                broker.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(run.input(), 2, (short) 1)))
                    .all()
                    .get(30, TimeUnit.SECONDS);
        }
        Map<String, String> config = replicaConfig(run);
        try (ServiceProcess a = ServiceProcess.start("replica-a", config);
                ServiceProcess b = ServiceProcess.start("replica-b", config)) {
            await().pollInterval(Duration.ofMillis(500))
                    .atMost(Duration.ofSeconds(60))
                    .until(
                            () ->
                                    a.metric("kafka_consumer_coordinator_assigned_partitions") == 1
                                            && b.metric(
                                                            "kafka_consumer_coordinator_assigned_partitions")
                                                    == 1);

            // warm both replicas (first connection, JIT) so the measured stream starts warm
            List<String> warmUp = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                warmUp.add(event("warm-" + run.id() + "-" + i, "warm-" + run.id() + "-" + i));
            }
            kafka.sendAll(run.input(), warmUp);
            await().pollInterval(Duration.ofMillis(500))
                    .atMost(Duration.ofSeconds(60))
                    .until(() -> completionCounts(run).size() == 20);
            await().pollDelay(Duration.ofSeconds(3))
                    .atMost(Duration.ofSeconds(4))
                    .until(() -> true); // refill

            List<String> values = new ArrayList<>();
            for (int i = 0; i < 6_000; i++) {
                values.add(event(run.id() + "-" + i, "shared-" + run.id() + "-" + i));
            }
            kafka.sendAll(run.input(), values);
            await().pollInterval(Duration.ofSeconds(1))
                    .atMost(Duration.ofSeconds(120))
                    .until(() -> completionCounts(run).size() == 6_020);

            assertThat(a.metric("tagpurge_purge_requests_total{"))
                    .as("replica a purged")
                    .isPositive();
            assertThat(b.metric("tagpurge_purge_requests_total{"))
                    .as("replica b purged")
                    .isPositive();
            assertThat(a.logText() + b.logText()).doesNotContain("using this replica's share");
        }

        List<Instant> sent =
                sandbox.sandbox().recorder().purges().stream()
                        .filter(r -> r.provider().equals("cloudflare"))
                        .filter(
                                r ->
                                        r.items().stream()
                                                .anyMatch(i -> i.startsWith("shared-" + run.id())))
                        .map(RecordedPurge::at)
                        .sorted(Comparator.naturalOrder())
                        .toList();
        Instant first = sent.get(0);
        double seconds = Duration.between(first, sent.get(sent.size() - 1)).toMillis() / 1000.0;
        LOG.infof(
                "two replicas: %d requests in %.1f s; one limit allows %d + %d/s = %.0f",
                sent.size(),
                seconds,
                CAPACITY,
                REFILL_PER_SECOND,
                CAPACITY + REFILL_PER_SECOND * seconds);
        // tokens are taken (on Redis' clock) a little before the sandbox sees the request: allow
        // 200 ms of that latency, i.e. one request at this rate
        double latency = 0.2;
        for (int k = 0; k < sent.size(); k++) {
            double elapsed = Duration.between(first, sent.get(k)).toMillis() / 1000.0;
            assertThat(k + 1)
                    .as("requests by %.2f s", elapsed)
                    .isLessThanOrEqualTo(
                            (int) Math.floor(CAPACITY + REFILL_PER_SECOND * (elapsed + latency)));
        }
        assertThat(sent.size()).as("the load saturated the limit").isGreaterThan(2 * CAPACITY);
    }
}
