package dev.tagpurge.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tagpurge.sandbox.RecordedPurge;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ScarceBucketResultTest {

    private static final long[] ALL_COMPLETED_PRODUCED = {1_000, 1_000};
    private static final long[] ALL_COMPLETED = {1_060, 1_080};

    @Test
    void measuresRequestsAgainstOnePerHundredDistinctTagsAndAgainstTheItemsCarried() {
        Set<String> sent = tags(0, 150);
        List<RecordedPurge> purges =
                List.of(
                        purge(tags(0, 100), 200),
                        purge(tags(100, 150), 429),
                        purge(tags(100, 150), 200),
                        purge(tags(0, 10), 200));

        ScarceBucketResult r =
                ScarceBucketResult.of(
                        "arm", 1, purges, sent, ALL_COMPLETED_PRODUCED, ALL_COMPLETED, 0);

        assertThat(r.requests()).isEqualTo(4);
        assertThat(r.tooMany()).isEqualTo(1);
        assertThat(r.items()).isEqualTo(210);
        assertThat(r.distinctSent()).isEqualTo(150);
        assertThat(r.minimum()).isEqualTo(2);
        assertThat(r.itemsMinimum()).isEqualTo(3);
        assertThat(r.perMinimum()).isEqualTo(2.0);
        assertThat(r.perItemsMinimum()).isEqualTo(4 / 3.0);
        assertThat(r.purgedAsSent()).isTrue();
        assertThat(r.errors()).isEmpty();
    }

    @Test
    void aTagOnlyEverAnswered429IsNotPurged() {
        ScarceBucketResult r =
                ScarceBucketResult.of(
                        "arm",
                        1,
                        List.of(purge(tags(0, 100), 200), purge(tags(100, 120), 429)),
                        tags(0, 120),
                        ALL_COMPLETED_PRODUCED,
                        ALL_COMPLETED,
                        0);

        assertThat(r.distinctPurged()).isEqualTo(100);
        assertThat(r.purgedAsSent()).isFalse();
        assertThat(r.errors()).singleElement().asString().contains("100 distinct tags purged");
    }

    @Test
    void latencyIsFromProductionToCompletionOverTheEventsThatCompleted() {
        long[] produced = {1_000, 1_000, 1_010, 1_020};
        long[] completed = {1_050, 1_100, 0, 2_020};

        ScarceBucketResult r =
                ScarceBucketResult.of("arm", 2, List.of(), Set.of(), produced, completed, 1);

        assertThat(r.completed()).isEqualTo(3);
        assertThat(r.p50Ms()).isEqualTo(100);
        assertThat(r.p99Ms()).isEqualTo(1_000);
        assertThat(r.maxMs()).isEqualTo(1_000);
        assertThat(r.drainSeconds()).isEqualTo(1.02);
        assertThat(r.errors())
                .containsExactly(
                        "3 of 4 completions within the time limit", "1 completions not succeeded");
    }

    @Test
    void aReportCellIsTheMedianThenEachRun() {
        List<Map<String, Double>> runs =
                List.of(Map.of("v", 41.0), Map.of("v", 1_238.0), Map.of("v", 44.4));

        assertThat(BenchmarkReport.cell(runs, m -> m.get("v"), "%,.0f"))
                .isEqualTo("44 (41 / 1,238 / 44)");
        assertThat(BenchmarkReport.cell(runs.subList(0, 1), m -> m.get("v"), "%.2f"))
                .isEqualTo("41.00");
    }

    private static Set<String> tags(int from, int to) {
        return IntStream.range(from, to).mapToObj(i -> "t" + i).collect(Collectors.toSet());
    }

    private static RecordedPurge purge(Set<String> tags, int status) {
        return new RecordedPurge(
                "cloudflare",
                "POST",
                "/zones/z/purge_cache",
                Map.of(),
                true,
                "tags",
                List.copyOf(tags),
                false,
                status,
                Instant.EPOCH);
    }
}
