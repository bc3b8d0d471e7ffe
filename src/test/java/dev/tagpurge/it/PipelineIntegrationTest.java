package dev.tagpurge.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tagpurge.sandbox.RecordedPurge;
import dev.tagpurge.testing.KafkaBrokerResource;
import dev.tagpurge.testing.RedisServerResource;
import dev.tagpurge.testing.SandboxResource;
import dev.tagpurge.testing.TestRunResource;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.IntStream;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.Test;

/**
 * The pipeline end to end against a real Kafka broker, a real Redis and the CDN sandbox: change
 * events in (plain, CloudEvents structured and binary), purges out, completion events and committed
 * offsets after.
 */
@QuarkusTest
@WithTestResource(KafkaBrokerResource.class)
@WithTestResource(RedisServerResource.class)
@WithTestResource(SandboxResource.class)
@WithTestResource(TestRunResource.class)
class PipelineIntegrationTest extends IntegrationTestSupport {

    private static final Duration WAIT = Duration.ofSeconds(60);

    @Inject RedisDataSource redis;

    private static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void plainAndCloudEventsArePurgedFromRedisAndFastlyAndCompleted() {
        String p1 = unique("p"), p2 = unique("p"), p3 = unique("p");
        for (String p : List.of(p1, p2, p3)) {
            redis.value(String.class).set("page:" + p, "cached");
            redis.set(String.class).sadd("tagpurge:tag:product-" + p, "page:" + p);
        }
        redis.value(String.class).set("page:unrelated", "cached");
        redis.set(String.class).sadd("tagpurge:tag:product-unrelated", "page:unrelated");

        String plainId = unique("plain"),
                structuredId = unique("ce-structured"),
                binaryId = unique("ce-binary");
        send(
                TestRunResource.inputTopic(),
                "product-" + p1,
                """
                {"id":"%s","type":"product.updated","data":{"id":"%s","categoryIds":[1,2]}}"""
                        .formatted(plainId, p1));
        send(
                TestRunResource.inputTopic(),
                null,
                """
                {"specversion":"1.0","id":"%s","type":"product.updated","source":"/catalog",
                 "datacontenttype":"application/json","data":{"id":"%s","categoryIds":[3]}}"""
                        .formatted(structuredId, p2));
        RecordMetadata last =
                send(
                        TestRunResource.inputTopic(),
                        null,
                        ("{\"id\":\"" + p3 + "\",\"categoryIds\":[]}")
                                .getBytes(StandardCharsets.UTF_8),
                        Map.of(
                                "ce_specversion",
                                "1.0",
                                "ce_id",
                                binaryId,
                                "ce_type",
                                "product.updated",
                                "ce_source",
                                "/catalog",
                                "ce_purgetags",
                                "extra-" + p3,
                                "content-type",
                                "application/json"));

        Set<String> ids = Set.of(plainId, structuredId, binaryId);
        await().atMost(WAIT).untilAsserted(() -> assertThat(completions(ids)).hasSize(3));

        Map<String, JsonNode> done = completions(ids);
        for (JsonNode c : done.values()) {
            assertThat(c.get("status").asText()).as(c.toString()).isEqualTo("succeeded");
            assertThat(outcome(c, "cdn").get("provider").asText()).isEqualTo("fastly");
            assertThat(outcome(c, "cdn").get("status").asText()).isEqualTo("succeeded");
            assertThat(outcome(c, "cache").get("status").asText()).isEqualTo("succeeded");
            assertThat(outcome(c, "cdn").get("purgeIds")).isNotEmpty();
        }
        assertThat(outcome(done.get(plainId), "cdn").get("selectors").asInt())
                .isEqualTo(4); // 3 tags + 1 URL
        for (String p : List.of(p1, p2, p3)) {
            assertThat(redis.key(String.class).exists("page:" + p)).as("page:" + p).isFalse();
            assertThat(redis.key(String.class).exists("tagpurge:tag:product-" + p)).isFalse();
        }
        assertThat(redis.key(String.class).exists("page:unrelated")).isTrue();

        List<String> keysPurged = fastlyKeys();
        assertThat(keysPurged)
                .contains(
                        "product-" + p1,
                        "category-1",
                        "category-2",
                        "product-" + p2,
                        "category-3",
                        "product-" + p3,
                        "extra-" + p3);
        assertThat(SandboxResource.sandbox().recorder().purges())
                .anySatisfy(
                        r ->
                                assertThat(r.path())
                                        .isEqualTo("/purge/www.example.com%2Fproducts%2F" + p1));

        await().atMost(WAIT)
                .untilAsserted(
                        () ->
                                assertThat(
                                                committedOffset(
                                                        TestRunResource.consumerGroup(),
                                                        TestRunResource.inputTopic()))
                                        .isGreaterThan(last.offset()));
    }

    @Test
    void aBurstIsCoalescedIntoBulkRequestsOfAtMost256DistinctKeys() {
        String run = unique("burst");
        List<String> ids = new ArrayList<>();
        List<String> events = new ArrayList<>();
        // 1,200 events over 400 distinct tags, each tag three times in a row
        IntStream.range(0, 1200)
                .forEach(
                        i -> {
                            String id = run + "-" + i;
                            ids.add(id);
                            events.add(
                                    """
                    {"id":"%s","type":"stock.changed","tags":["%s-%d"],"targets":["cdn"]}"""
                                            .formatted(id, run, i / 3));
                        });
        sendAll(TestRunResource.inputTopic(), events);

        await().atMost(WAIT)
                .untilAsserted(() -> assertThat(completions(new HashSet<>(ids))).hasSize(1200));

        List<RecordedPurge> bulk =
                SandboxResource.sandbox().recorder().purges().stream()
                        .filter(r -> r.path().equals("/service/TESTSERVICE/purge"))
                        .filter(r -> r.items().stream().anyMatch(k -> k.startsWith(run)))
                        .toList();
        assertThat(bulk)
                .isNotEmpty()
                .allSatisfy(
                        r -> {
                            assertThat(r.status()).isEqualTo(200);
                            assertThat(r.items())
                                    .hasSizeLessThanOrEqualTo(256)
                                    .doesNotHaveDuplicates();
                        });
        List<String> keys = bulk.stream().flatMap(r -> r.items().stream()).toList();
        assertThat(new HashSet<>(keys)).hasSize(400);
        // three events per tag arrive together: coalescing sends each tag far fewer than three
        // times
        assertThat(keys.size()).isLessThan(600);
    }

    private static List<String> fastlyKeys() {
        return SandboxResource.sandbox().recorder().purges().stream()
                .filter(r -> r.provider().equals("fastly") && r.status() == 200)
                .flatMap(r -> r.items().stream())
                .toList();
    }
}
