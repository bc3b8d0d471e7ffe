package dev.tagpurge.fault;

import static org.awaitility.Awaitility.await;

import dev.tagpurge.fault.HostileCorpus.Hostile;
import dev.tagpurge.sandbox.RecordedPurge;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.assertj.core.api.SoftAssertions;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;

/**
 * Hostile records, each on its own partition followed by a canary with the same key: no hostile
 * record may stop its partition (the canary completes), each ends dead-lettered or completed, and
 * none purges more than it names (no Fastly purge_all, no whole-distribution invalidation, no Redis
 * key outside every tag set deleted).
 */
class FaultHostileRecordsIT extends FaultSuiteSupport {

    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final int KEPT_KEYS = 20;

    /** One produced hostile record and its canary, with where they landed. */
    private record Placed(Hostile hostile, int partition, long offset, String canaryId) {}

    @Test
    void everyHostileRecordEndsAndNoPartitionStops() throws Exception {
        Run run = Run.fresh();
        List<Hostile> corpus = HostileCorpus.all(run.id());
        createTopics(run, corpus.size());
        Vertx vertx = Vertx.vertx();
        Redis client = Redis.createClient(vertx, redis.uri());
        try {
            seedRedis(client, run);
            Map<String, String> config = config(run);
            Outcomes outcomes = followOutcomes(run);
            startService("hostile", config);
            long start = System.nanoTime();
            List<Placed> placed = produce(run, corpus);
            List<String> canaries = placed.stream().map(Placed::canaryId).toList();
            boolean allCanaries = awaitOutcomes(outcomes, canaries, WAIT);
            long elapsedMs = (System.nanoTime() - start) / 1_000_000;
            awaitEverythingSettled(run, outcomes, placed, start);
            verify(run, client, outcomes, placed, allCanaries ? elapsedMs : -1);
        } finally {
            client.close();
            vertx.closeAndAwait();
        }
    }

    private static Map<String, String> config(Run run) {
        Map<String, String> c = serviceConfig(run);
        fastlyTarget(c, "cdn", run);
        c.put("tagpurge.targets.cache.provider", "redis");
        c.put("tagpurge.targets.cache.namespace", "tagpurge:");
        c.put("tagpurge.targets.dist.provider", "cloudfront");
        c.put("tagpurge.targets.dist.distribution-id", "DIST" + run.id().toUpperCase());
        c.put("tagpurge.targets.dist.base-url", sandbox.cloudfrontUrl());
        c.put("tagpurge.targets.dist.sandbox", "true");
        c.put("tagpurge.targets.dist.poll-interval", "1s");
        c.put("tagpurge.rules[0].type", HostileCorpus.TEMPLATED_TYPE);
        c.put("tagpurge.rules[0].tags", "item-{data.id}");
        return c;
    }

    /**
     * Keys under the namespace that no tag set names (must survive every hostile record), and one
     * tagged key per run that the first canary's tag purges (the Redis target really purges).
     */
    private static void seedRedis(Redis client, Run run) {
        for (int i = 0; i < KEPT_KEYS; i++) {
            send(client, Request.cmd(Command.SET).arg(keptKey(run, i)).arg("keep"));
        }
        send(client, Request.cmd(Command.SET).arg("tagpurge:cache:" + run.id()).arg("cached"));
        send(
                client,
                Request.cmd(Command.SADD)
                        .arg("tagpurge:tag:" + canaryTag(run, 0))
                        .arg("tagpurge:cache:" + run.id()));
    }

    private static String keptKey(Run run, int i) {
        return "tagpurge:keep:" + run.id() + ":" + i;
    }

    private static String canaryTag(Run run, int i) {
        return "canary-" + run.id() + "-" + i;
    }

    private static List<Placed> produce(Run run, List<Hostile> corpus) throws Exception {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, "2000000");
        List<Placed> placed = new ArrayList<>();
        try (KafkaProducer<String, byte[]> producer =
                new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < corpus.size(); i++) {
                String key = "hostile-" + i;
                RecordMetadata m =
                        producer.send(
                                        new ProducerRecord<>(
                                                run.input(), i, key, corpus.get(i).value()))
                                .get(30, TimeUnit.SECONDS);
                String canaryId = run.id() + "-canary-" + i;
                String canary =
                        "{\"id\":\""
                                + canaryId
                                + "\",\"type\":\"canary.updated\",\"tags\":[\""
                                + canaryTag(run, i)
                                + "\"]}";
                producer.send(
                                new ProducerRecord<>(
                                        run.input(),
                                        i,
                                        key,
                                        canary.getBytes(StandardCharsets.UTF_8)))
                        .get(30, TimeUnit.SECONDS);
                placed.add(new Placed(corpus.get(i), m.partition(), m.offset(), canaryId));
            }
        }
        return placed;
    }

    /**
     * Waits, within the same bounded time from the first record, for every hostile record's outcome
     * and for every partition's commit to pass its canary (a record that never ends stops its
     * partition's commits even when the records behind it complete).
     */
    private static void awaitEverythingSettled(
            Run run, Outcomes outcomes, List<Placed> placed, long startNanos) {
        long left = WAIT.toMillis() - (System.nanoTime() - startNanos) / 1_000_000;
        try {
            await().pollInterval(Duration.ofMillis(500))
                    .atMost(Duration.ofMillis(Math.max(1000, left)))
                    .until(
                            () ->
                                    placed.stream().allMatch(p -> hasOutcome(outcomes, p))
                                            && uncommitted(run, placed).isEmpty());
        } catch (ConditionTimeoutException e) {
            // reported and asserted by verify
        }
    }

    /** Hostile records whose partition's committed offset has not passed the canary behind. */
    private static List<String> uncommitted(Run run, List<Placed> placed) {
        Map<Integer, Long> committed = committed(run);
        return placed.stream()
                .filter(p -> committed.getOrDefault(p.partition(), -1L) < p.offset() + 2)
                .map(p -> p.hostile().name())
                .toList();
    }

    private static boolean hasOutcome(Outcomes outcomes, Placed p) {
        return outcomes.deadLetterReason(p.partition(), p.offset()) != null
                || p.hostile().ids().stream().anyMatch(outcomes::completed);
    }

    /** What the corpus did, measured after the bounded wait. */
    private record Findings(
            List<String> stopped,
            List<String> unresolved,
            List<String> uncommitted,
            int keptLeft,
            List<RecordedPurge> overreach,
            boolean taggedKeyPurged) {}

    private static Findings findings(
            Run run, Redis client, Outcomes outcomes, List<Placed> placed) {
        List<String> stopped = new ArrayList<>();
        List<String> unresolved = new ArrayList<>();
        for (Placed p : placed) {
            if (!outcomes.completed(p.canaryId())) {
                stopped.add(p.hostile().name());
            }
            if (!hasOutcome(outcomes, p)) {
                unresolved.add(p.hostile().name());
            }
            System.out.printf("hostile %-24s %s%n", p.hostile().name(), fate(outcomes, p));
        }
        int keptLeft = 0;
        for (int i = 0; i < KEPT_KEYS; i++) {
            keptLeft += exists(client, keptKey(run, i));
        }
        List<RecordedPurge> overreach =
                sandbox.sandbox().recorder().purges().stream()
                        .filter(FaultHostileRecordsIT::purgesEverything)
                        .toList();
        return new Findings(
                stopped,
                unresolved,
                uncommitted(run, placed),
                keptLeft,
                overreach,
                exists(client, "tagpurge:cache:" + run.id()) == 0);
    }

    private static void verify(
            Run run, Redis client, Outcomes outcomes, List<Placed> placed, long recoveryMs) {
        Findings f = findings(run, client, outcomes, placed);
        FaultReport.write(
                "hostile-records",
                2 * placed.size(),
                f.stopped().size() + f.unresolved().size(),
                outcomes.duplicates(),
                0,
                recoveryMs,
                String.format(
                        "canary stuck behind=%s, without outcome=%s, commits stopped by=%s,"
                                + " untagged Redis keys left=%d/%d, purge-everything requests=%d",
                        f.stopped(),
                        f.unresolved(),
                        f.uncommitted(),
                        f.keptLeft(),
                        KEPT_KEYS,
                        f.overreach().size()));
        assertFindings(f, outcomes);
    }

    private static void assertFindings(Findings f, Outcomes outcomes) {
        SoftAssertions soft = new SoftAssertions();
        soft.assertThat(f.stopped())
                .as("hostile records whose partition stopped (canary never completed)")
                .isEmpty();
        soft.assertThat(f.unresolved())
                .as("hostile records neither dead-lettered nor completed")
                .isEmpty();
        soft.assertThat(f.uncommitted())
                .as("hostile records whose partition's commits stopped before its canary")
                .isEmpty();
        soft.assertThat(outcomes.duplicates()).as("duplicate completions").isZero();
        soft.assertThat(f.keptLeft())
                .as("Redis keys under the namespace in no tag set that survived")
                .isEqualTo(KEPT_KEYS);
        soft.assertThat(f.overreach())
                .as("requests that purge a whole service or distribution")
                .isEmpty();
        soft.assertThat(f.taggedKeyPurged())
                .as("the key tagged with the first canary's tag was purged")
                .isTrue();
        soft.assertAll();
    }

    private static int exists(Redis client, String key) {
        return send(client, Request.cmd(Command.EXISTS).arg(key)).toInteger();
    }

    private static String fate(Outcomes outcomes, Placed p) {
        String reason = outcomes.deadLetterReason(p.partition(), p.offset());
        String completion =
                p.hostile().ids().stream()
                        .filter(outcomes::completed)
                        .map(id -> "completed " + outcomes.status(id))
                        .findFirst()
                        .orElse(null);
        String canary = outcomes.completed(p.canaryId()) ? "canary done" : "CANARY STUCK";
        return (reason != null
                        ? "dead-lettered " + reason
                        : completion != null ? completion : "NO OUTCOME")
                + ", "
                + canary;
    }

    /** A Fastly purge_all, or a CloudFront invalidation of the whole distribution. */
    private static boolean purgesEverything(RecordedPurge r) {
        return "purge_all".equals(r.action())
                || r.items().stream()
                        .anyMatch(i -> i.equals("/*") || i.equals("*") || i.equals("/**"));
    }

    private static Response send(Redis client, Request request) {
        return client.send(request).await().atMost(Duration.ofSeconds(10));
    }
}
