package dev.tagpurge.ratelimit;

import static dev.tagpurge.domain.SelectorKind.EVERYTHING;
import static dev.tagpurge.domain.SelectorKind.TAG;
import static dev.tagpurge.domain.SelectorKind.URL;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.tagpurge.purge.akamai.AkamaiPurger;
import dev.tagpurge.purge.cloudflare.CloudflarePlan;
import dev.tagpurge.purge.fastly.FastlyPurger;
import dev.tagpurge.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class LocalRateLimiterTest {

    // a stopped clock: on the system clock a slow first assertion (class loading) let the
    // 50-per-second bucket refill its token before it was counted
    private final LocalRateLimiter akamai =
            new LocalRateLimiter(AkamaiPurger.rateLimits(2), () -> 0L);

    @Test
    void aRequestTakesItsCostFromEveryBucketItCountsAgainst() {
        assertThat(akamai.acquireNow(TAG, 100)).isZero();

        assertThat(akamai.available("api-requests")).isEqualTo(99);
        assertThat(akamai.available("cache-tags")).isEqualTo(4_900);
        assertThat(akamai.available("url-objects")).isEqualTo(10_000);
        assertThat(akamai.acquireNow(EVERYTHING, 1)).isZero();
        assertThat(akamai.available("cp-codes")).isEqualTo(298);
    }

    @Test
    void whenOneBucketIsShortNothingIsTakenAndTheWaitIsTheLongest() {
        LocalRateLimiter limiter =
                new LocalRateLimiter(
                        List.of(
                                BucketRule.perRequest(
                                        "requests",
                                        10,
                                        10,
                                        Duration.ofSeconds(1),
                                        Set.of(TAG, URL)),
                                BucketRule.perItem(
                                        "tags", 5, 1, Duration.ofSeconds(1), Set.of(TAG))));

        assertThat(limiter.acquireNow(TAG, 3)).isZero();

        long wait = limiter.acquireNow(TAG, 4);

        assertThat(wait)
                .isBetween(Duration.ofMillis(1_900).toNanos(), Duration.ofSeconds(2).toNanos());
        assertThat(limiter.available("requests")).isEqualTo(9);
        assertThat(limiter.available("tags")).isEqualTo(2);
        assertThat(limiter.acquireNow(URL, 50))
                .as("URLs do not count against the tag bucket")
                .isZero();
    }

    @Test
    void cloudflareFreeAllowsABurstOf25TagRequestsThenFiveAMinute() {
        LocalRateLimiter free = new LocalRateLimiter(CloudflarePlan.FREE.rateLimits());
        for (int i = 0; i < 25; i++) {
            assertThat(free.acquireNow(TAG, 100)).isZero();
        }
        assertThat(free.acquireNow(TAG, 1))
                .isBetween(Duration.ofSeconds(11).toNanos(), Duration.ofSeconds(12).toNanos());
    }

    @Test
    void aPartlyFullRequestSpendsOnlyATokenTheCapWouldLoseWithinTheLinger() {
        long linger = Duration.ofMillis(50).toNanos();
        long[] now = {0};
        LocalRateLimiter pro = new LocalRateLimiter(CloudflarePlan.PRO.rateLimits(), () -> now[0]);

        assertThat(pro.acquireSpareNow(TAG, 10, linger)).as("the bucket is full").isZero();
        long wait = pro.acquireSpareNow(TAG, 10, linger);
        assertThat(wait)
                .as("24 of 25 tokens: a fuller request may need the rest; back to full in 200 ms")
                .isEqualTo(Duration.ofMillis(200).toNanos());
        assertThat(pro.available("purge-requests")).as("nothing taken").isEqualTo(24);
        assertThat(pro.acquireNow(TAG, 100)).as("a full request still goes").isZero();

        now[0] += Duration.ofMillis(400).toNanos();
        assertThat(pro.acquireSpareNow(TAG, 10, linger)).as("refilled to 25").isZero();
    }

    @Test
    void aBucketThatRefillsFastCarriesPartlyFullRequestsAtItsRefillRate() {
        long linger = Duration.ofMillis(50).toNanos();
        BucketRule enterprise = CloudflarePlan.ENTERPRISE.rateLimits().get(0);
        BucketRule tagsPerItem = AkamaiPurger.rateLimits(1).get(3);

        assertThat(enterprise.spareFloor(TAG, 10, linger))
                .as("500 tokens, 2.5 refilled per linger")
                .isEqualTo(498);
        assertThat(tagsPerItem.spareFloor(TAG, 10, linger))
                .as("a bucket counting selectors asks only for what the request carries")
                .isEqualTo(10);
        assertThat(enterprise.spareFloor(URL, 10, linger)).as("not counted here").isZero();
        assertThat(enterprise.spareFloor(TAG, 1, Duration.ofMinutes(1).toNanos()))
                .as("never less than the cost")
                .isEqualTo(1);
    }

    @Test
    void providerSignalsLowerTheLocalView() {
        LocalRateLimiter fastly = new LocalRateLimiter(FastlyPurger.RATE_LIMITS);
        assertThat(fastly.acquireNow(TAG, 256)).as("key purges are not counted by Fastly").isZero();
        assertThat(fastly.available("purge-all")).isEqualTo(1000);

        fastly.onRemaining(EVERYTHING, 3);
        assertThat(fastly.available("purge-all")).isEqualTo(3);

        fastly.onThrottled(EVERYTHING);
        assertThat(fastly.available("purge-all")).isZero();
        assertThat(fastly.acquireNow(EVERYTHING, 1)).isPositive();
    }

    @Test
    void theBudgetTellsTokensAfterRefillAndTakesNone() {
        Instant start = Instant.parse("2026-01-01T00:00:00Z");
        MutableClock clock = new MutableClock(start);
        LocalRateLimiter limiter =
                new LocalRateLimiter(
                        List.of(
                                BucketRule.perRequest(
                                        "requests",
                                        10,
                                        10,
                                        Duration.ofSeconds(1),
                                        Set.of(TAG, URL)),
                                BucketRule.perItem(
                                        "tags", 5, 1, Duration.ofSeconds(1), Set.of(TAG))),
                        () -> Duration.between(start, clock.instant()).toNanos());
        assertThat(limiter.acquireNow(TAG, 4)).isZero();

        Budget tags = limiter.budget(TAG).await().indefinitely();
        Budget again = limiter.budget(TAG).await().indefinitely();

        assertThat(tags.source()).isEqualTo(Budget.LOCAL);
        assertThat(tags.buckets())
                .extracting(Budget.BucketBudget::name, Budget.BucketBudget::tokens)
                .containsExactly(tuple("requests", 9.0), tuple("tags", 1.0));
        assertThat(again).isEqualTo(tags);
        assertThat(tags.buckets().get(1).refillPerSecond()).isEqualTo(1.0);

        clock.advance(Duration.ofMillis(2_500));

        assertThat(limiter.budget(TAG).await().indefinitely().buckets())
                .extracting(Budget.BucketBudget::tokens)
                .as("requests refilled to its capacity; tags by 2 whole tokens in 2.5 s")
                .containsExactly(10.0, 3.0);
        assertThat(limiter.budget(URL).await().indefinitely().buckets())
                .extracting(Budget.BucketBudget::name)
                .containsExactly("requests");
        assertThat(limiter.budget(EVERYTHING).await().indefinitely().unlimited()).isTrue();
        assertThat(limiter.acquireNow(TAG, 3)).as("the reads took nothing").isZero();
    }
}
