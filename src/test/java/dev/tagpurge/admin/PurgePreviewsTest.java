package dev.tagpurge.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tagpurge.domain.Selector;
import dev.tagpurge.purge.BilledPaths;
import java.time.YearMonth;
import java.util.List;
import java.util.Optional;
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
}
