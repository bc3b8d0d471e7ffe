package dev.tagpurge.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tagpurge.purge.PurgeDispatcher;
import dev.tagpurge.sandbox.RecordedPurge;
import dev.tagpurge.testing.KafkaBrokerResource;
import dev.tagpurge.testing.RedisServerResource;
import dev.tagpurge.testing.SandboxResource;
import dev.tagpurge.testing.ScaledCloudflareSandboxResource;
import dev.tagpurge.testing.TestRunResource;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.jboss.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Against Cloudflare's Free-plan bucket (scaled down in time): Tagpurge never trips the limit,
 * turns the pressure into full requests, and pauses intake rather than drop work when the provider
 * is down.
 */
@QuarkusTest
@TestProfile(ScaledCloudflareProfile.class)
@WithTestResource(KafkaBrokerResource.class)
@WithTestResource(RedisServerResource.class)
@WithTestResource(SandboxResource.class)
@WithTestResource(TestRunResource.class)
class RateLimitIntegrationTest extends IntegrationTestSupport {

    private static final Logger LOG = Logger.getLogger(RateLimitIntegrationTest.class);
    private static final int ITEMS_PER_REQUEST = 100;

    @Inject MeterRegistry registry;

    @Inject PurgeDispatcher dispatcher;

    @AfterEach
    void recover() {
        ScaledCloudflareSandboxResource.sandbox().faults().clear();
    }

    private static List<String> send(String run, int events, int tags, List<String> ids) {
        List<String> values = new ArrayList<>(events);
        for (int i = 0; i < events; i++) {
            String id = run + "-" + i;
            ids.add(id);
            values.add(
                    "{\"id\":\""
                            + id
                            + "\",\"type\":\"x\",\"tags\":[\"rl-"
                            + run
                            + "-"
                            + (i % tags)
                            + "\"]}");
        }
        return values;
    }

    private static List<RecordedPurge> requests(String run) {
        return ScaledCloudflareSandboxResource.sandbox().recorder().purges().stream()
                .filter(r -> r.provider().equals("cloudflare"))
                .filter(r -> r.items().stream().anyMatch(i -> i.startsWith("rl-" + run)))
                .toList();
    }

    @Test
    void twentyThousandEventsOnTheFreePlanBucketNeverTripItAndGoOutInFullRequests() {
        String run = UUID.randomUUID().toString().substring(0, 8);
        List<String> ids = new ArrayList<>();
        sendAll(TestRunResource.inputTopic(), send(run, 20_000, 2_000, ids));

        await().atMost(Duration.ofSeconds(240))
                .pollInterval(Duration.ofSeconds(2))
                .untilAsserted(() -> assertThat(completions(new HashSet<>(ids))).hasSize(20_000));

        List<RecordedPurge> requests = requests(run);
        assertThat(requests)
                .as("zero 429 from the sandbox")
                .allSatisfy(r -> assertThat(r.status()).isEqualTo(200));
        Set<String> purged = new HashSet<>();
        requests.forEach(r -> purged.addAll(r.items()));
        assertThat(purged).as("every tag purged").hasSize(2_000);
        assertThat(completions(new HashSet<>(ids)).values())
                .allSatisfy(c -> assertThat(c.get("status").asText()).isEqualTo("succeeded"));
        long items = requests.stream().mapToLong(r -> r.items().size()).sum();
        long globalMinimum = ceilDiv(items, ITEMS_PER_REQUEST);
        long perFlushMinimum = perFlushMinimum(requests);
        LOG.infof(
                "free plan: %d events, %d requests carrying %d tag purges; minimum %d per flush (ratio %.3f),"
                        + " %d if all were one flush (ratio %.3f)",
                ids.size(),
                requests.size(),
                items,
                perFlushMinimum,
                (double) requests.size() / perFlushMinimum,
                globalMinimum,
                (double) requests.size() / globalMinimum);
        assertThat(items)
                .as("duplicates coalesced: far fewer tag purges than events")
                .isLessThan(ids.size() / 2);
        assertThat((double) requests.size())
                .as("requests vs the minimum for the same flushes")
                .isLessThanOrEqualTo(1.05 * perFlushMinimum);
        assertThat((double) requests.size())
                .as(
                        "requests vs one request per 100 tags carried: while tokens are scarce a"
                                + " partly full request waits past the linger for company")
                .isLessThanOrEqualTo(1.1 * globalMinimum);
        assertThat(registry.find("tagpurge.ratelimit.wait").tag("target", "zone").timer().count())
                .isPositive();
        assertThat(registry.find("tagpurge.throttled").tag("target", "zone").counter().count())
                .isZero();
    }

    @Test
    void whenTheProviderIsDownPastThePendingBoundIntakePausesAndEverythingCompletesAfterRecovery() {
        ScaledCloudflareSandboxResource.sandbox().faults().failAlways("cloudflare", 503);
        String run = UUID.randomUUID().toString().substring(0, 8);
        List<String> ids = new ArrayList<>();
        double receivedBefore = received();
        sendAll(TestRunResource.inputTopic(), send(run, 12_000, 6_000, ids));

        await().atMost(Duration.ofSeconds(60)).until(dispatcher::isPaused);
        double receivedWhilePaused = received() - receivedBefore;
        await().pollDelay(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).until(() -> true);
        assertThat(received() - receivedBefore)
                .as("the consumer stopped taking records: lag grows instead of memory")
                .isLessThan(12_000)
                .isLessThanOrEqualTo(receivedWhilePaused + 200);
        // failed requests put their selectors back: the bound is max-pending plus what was in
        // flight
        int inFlightItems =
                dispatcher.pipelines().get("zone").purger().defaultMaxInFlight()
                        * ITEMS_PER_REQUEST;
        assertThat(dispatcher.pipelines().get("zone").pendingSelectors())
                .as("pending stays within its bound")
                .isLessThanOrEqualTo(2_500 + inFlightItems + 1);
        assertThat(completions(new HashSet<>(ids))).isEmpty();

        ScaledCloudflareSandboxResource.sandbox().faults().clear();

        await().atMost(Duration.ofSeconds(240))
                .pollInterval(Duration.ofSeconds(2))
                .untilAsserted(() -> assertThat(completions(new HashSet<>(ids))).hasSize(12_000));
        assertThat(completions(new HashSet<>(ids)).values())
                .allSatisfy(c -> assertThat(c.get("status").asText()).isEqualTo("succeeded"));
        assertThat(dispatcher.isPaused()).isFalse();
        assertThat(requests(run).stream().filter(r -> r.status() == 429)).isEmpty();
    }

    /**
     * The fewest requests that could carry the same flushes: a flush is the run of requests up to
     * one that was not full (a group's linger expired), and needs ceil(tags / 100) requests.
     */
    private static long perFlushMinimum(List<RecordedPurge> requests) {
        long minimum = 0;
        long flush = 0;
        for (RecordedPurge r : requests) {
            flush += r.items().size();
            if (r.items().size() < ITEMS_PER_REQUEST) {
                minimum += ceilDiv(flush, ITEMS_PER_REQUEST);
                flush = 0;
            }
        }
        return minimum + ceilDiv(flush, ITEMS_PER_REQUEST);
    }

    private static long ceilDiv(long a, long b) {
        return (a + b - 1) / b;
    }

    private double received() {
        return registry.find("tagpurge.events.received").counters().stream()
                .mapToDouble(c -> c.count())
                .sum();
    }
}
