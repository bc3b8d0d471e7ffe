package dev.tagpurge.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tagpurge.domain.Selector;
import dev.tagpurge.domain.SelectorKind;
import dev.tagpurge.purge.BilledPaths;
import dev.tagpurge.ratelimit.BucketRule;
import dev.tagpurge.ratelimit.Budget;
import java.time.Duration;
import java.time.YearMonth;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class PurgePreviewsTest {

    private static List<Selector> tags(int n, int length) {
        return IntStream.range(0, n)
                .<Selector>mapToObj(i -> new Selector.Tag(("t" + i + "x".repeat(length))))
                .toList();
    }

    @Test
    void requestsSplitByItemLimit() {
        assertThat(PurgePreviews.requests(tags(0, 1), 256, Integer.MAX_VALUE)).isZero();
        assertThat(PurgePreviews.requests(tags(256, 1), 256, Integer.MAX_VALUE)).isEqualTo(1);
        assertThat(PurgePreviews.requests(tags(257, 1), 256, Integer.MAX_VALUE)).isEqualTo(2);
        assertThat(PurgePreviews.requests(tags(30, 1), 1, Integer.MAX_VALUE)).isEqualTo(30);
    }

    @Test
    void requestsSplitByBodyBytes() {
        // each tag "tN" + 97 x's is about 100 characters, 103 bytes in a body
        assertThat(PurgePreviews.requests(tags(10, 97), 100, 1000)).isEqualTo(2);
    }

    @Test
    void cloudFrontCostIsPerPathPastTheFreeTier() {
        PurgePreview.CloudFrontCost small = PurgePreviews.cloudFrontCost(10, Optional.empty());
        assertThat(small.estimatedCostUsdIfFreeTierUnused()).isZero();
        assertThat(small.estimatedCostUsdIfFreeTierSpent()).isEqualTo(0.05);
        assertThat(small.pathsBilledThisMonth()).isNull();
        assertThat(small.estimatedCostUsd()).isNull();
        assertThat(
                        PurgePreviews.cloudFrontCost(1500, Optional.empty())
                                .estimatedCostUsdIfFreeTierUnused())
                .isEqualTo(2.5);
    }

    @Test
    void cloudFrontCostCountsTheFreePathsLeftThisMonth() {
        BilledPaths month =
                new BilledPaths(YearMonth.of(2026, 12), 960, "every replica", 1000, 0.005);

        PurgePreview.CloudFrontCost cost = PurgePreviews.cloudFrontCost(100, Optional.of(month));

        assertThat(cost.pathsBilledThisMonth()).isEqualTo(960);
        assertThat(cost.countedBy()).isEqualTo("every replica");
        // 40 of the 100 are still free
        assertThat(cost.estimatedCostUsd()).isEqualTo(0.3);
        assertThat(cost.estimatedCostUsdIfFreeTierUnused()).isZero();
        assertThat(cost.estimatedCostUsdIfFreeTierSpent()).isEqualTo(0.5);
    }

    @Test
    void requestSizesFollowTheSplit() {
        assertThat(PurgePreviews.requestSizes(tags(257, 1), 256, Integer.MAX_VALUE))
                .containsExactly(256, 1);
        assertThat(PurgePreviews.requestSizes(tags(0, 1), 256, Integer.MAX_VALUE)).isEmpty();
        assertThat(PurgePreviews.aheadRequests(150, 100)).containsExactly(100, 50);
        assertThat(PurgePreviews.aheadRequests(0, 100)).isEmpty();
    }

    // 2 request tokens a second (1 left of 10) and 10 tag tokens a second (200 left of 500)
    private static Budget requestsAndTags() {
        return new Budget(
                Budget.LOCAL,
                List.of(
                        new Budget.BucketBudget(
                                BucketRule.perRequest(
                                        "requests",
                                        10,
                                        2,
                                        Duration.ofSeconds(1),
                                        Set.of(SelectorKind.TAG)),
                                1),
                        new Budget.BucketBudget(
                                BucketRule.perItem(
                                        "tags",
                                        500,
                                        10,
                                        Duration.ofSeconds(1),
                                        Set.of(SelectorKind.TAG)),
                                200)));
    }

    @Test
    void theSlowestBucketSetsTheWaitOfTheFirstAndLastRequest() {
        // requests: 3 needed, 1 held -> (3 - 1) / 2 = 1 s for the last; tags: 250 needed, 200
        // held -> (250 - 200) / 10 = 5 s for the last; the first (1 token, 100 tags) is covered
        PurgePreview.ExpectedWait wait =
                PurgePreviews.expectedWait(
                        requestsAndTags(), SelectorKind.TAG, List.of(100, 100, 50), List.of(), 0);

        assertThat(wait.firstRequestSeconds()).as("0.0, not -0.0 in JSON").isEqualTo(0.0);
        assertThat(Double.doubleToRawLongBits(wait.firstRequestSeconds())).isZero();
        assertThat(wait.lastRequestSeconds()).isEqualTo(5.0);
        assertThat(wait.basis()).contains("3 requests", "0 operator requests ahead", "local");
    }

    @Test
    void operatorRequestsAheadTakeTheirTokensFirst() {
        // 150 operator tags ahead in 2 requests: requests bucket 2 + 1 - 1 = 2 -> 1 s and
        // 2 + 3 - 1 = 4 -> 2 s; tags bucket 150 + 100 - 200 = 50 -> 5 s and 150 + 250 - 200 = 200
        // -> 20 s
        PurgePreview.ExpectedWait wait =
                PurgePreviews.expectedWait(
                        requestsAndTags(),
                        SelectorKind.TAG,
                        List.of(100, 100, 50),
                        PurgePreviews.aheadRequests(150, 100),
                        1);

        assertThat(wait.firstRequestSeconds()).isEqualTo(5.0);
        assertThat(wait.lastRequestSeconds()).isEqualTo(20.0);
        assertThat(wait.basis()).contains("2 operator requests ahead", "1 in flight");
    }

    @Test
    void aRequestNeverCostsMoreThanTheBucketHolds() {
        // 40 URLs a request against a 25-token bucket refilling 5 a second, empty: each request
        // takes the whole capacity, as the limiter does, so 2 requests need 50 -> 10 s
        Budget empty =
                new Budget(
                        Budget.SHARED,
                        List.of(
                                new Budget.BucketBudget(
                                        BucketRule.perItem(
                                                "urls",
                                                25,
                                                5,
                                                Duration.ofSeconds(1),
                                                Set.of(SelectorKind.URL)),
                                        0)));

        PurgePreview.ExpectedWait wait =
                PurgePreviews.expectedWait(empty, SelectorKind.URL, List.of(40, 40), List.of(), 0);

        assertThat(wait.firstRequestSeconds()).isEqualTo(5.0);
        assertThat(wait.lastRequestSeconds()).isEqualTo(10.0);
        assertThat(PurgePreviews.budgetView(empty, SelectorKind.URL, List.of(40, 40)).buckets())
                .singleElement()
                .satisfies(
                        b -> {
                            assertThat(b.tokensThisPurgeNeeds()).isEqualTo(50);
                            assertThat(b.refillPerSecond()).isEqualTo(5.0);
                            assertThat(b.capacity()).isEqualTo(25);
                        });
    }

    @Test
    void fractionsOfASecondAreRoundedUpAndTokensDown() {
        // 1 token every 3 s, 0.5 held: the request waits (1 - 0.5) * 3 = 1.5 s
        Budget slow =
                new Budget(
                        Budget.LOCAL,
                        List.of(
                                new Budget.BucketBudget(
                                        BucketRule.perRequest(
                                                "slow",
                                                1,
                                                1,
                                                Duration.ofSeconds(3),
                                                Set.of(SelectorKind.EVERYTHING)),
                                        0.5)));

        assertThat(
                        PurgePreviews.expectedWait(
                                        slow, SelectorKind.EVERYTHING, List.of(1), List.of(), 0)
                                .firstRequestSeconds())
                .isEqualTo(1.5);
        assertThat(
                        PurgePreviews.budgetView(slow, SelectorKind.EVERYTHING, List.of(1))
                                .buckets()
                                .get(0)
                                .refillPerSecond())
                .isEqualTo(0.333);
    }

    @Test
    void withoutBucketsNothingWaitsForTokens() {
        PurgePreview.ExpectedWait wait =
                PurgePreviews.expectedWait(
                        Budget.UNLIMITED, SelectorKind.TAG, List.of(256, 256), List.of(256), 0);

        assertThat(wait.firstRequestSeconds()).isZero();
        assertThat(wait.lastRequestSeconds()).isZero();
        assertThat(wait.basis()).startsWith("no rate limit applies");
        assertThat(PurgePreviews.budgetView(Budget.UNLIMITED, SelectorKind.TAG, List.of(1)))
                .satisfies(
                        v -> {
                            assertThat(v.unlimited()).isTrue();
                            assertThat(v.source()).isEqualTo("unlimited");
                            assertThat(v.buckets()).isEmpty();
                        });
    }
}
