package dev.tagpurge.coalesce;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tagpurge.domain.PurgeMode;
import dev.tagpurge.domain.RequestLimits;
import dev.tagpurge.domain.Selector;
import dev.tagpurge.domain.SelectorKind;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class CoalescingWindowTest {

    private static final long LINGER = TimeUnit.MILLISECONDS.toNanos(50);
    private static final RequestLimits LIMITS = new RequestLimits(3, 1, 10, Integer.MAX_VALUE);

    private final CoalescingWindow<String> window = new CoalescingWindow<>(LIMITS, false, LINGER);

    private static Selector tag(String t) {
        return new Selector.Tag(t);
    }

    @Test
    void duplicatesCollapseIntoOneSelectorWithEveryWaiter() {
        assertThat(window.add(tag("a"), PurgeMode.HARD, "e1", 0)).isZero();
        assertThat(window.add(tag("a"), PurgeMode.HARD, "e2", 1)).isEqualTo(1);

        Batch<String> batch = window.nextBatch(LINGER, false);

        assertThat(batch.selectors()).containsExactly(tag("a"));
        assertThat(batch.entries().get(0).waiters()).containsExactly("e1", "e2");
        assertThat(window.isEmpty()).isTrue();
    }

    @Test
    void tagsDifferingInCaseStayApartUnlessTheProviderFoldsCase() {
        window.add(tag("Product-1"), PurgeMode.HARD, "e1", 0);
        window.add(tag("product-1"), PurgeMode.HARD, "e2", 0);
        assertThat(window.pendingSelectors()).isEqualTo(2);

        CoalescingWindow<String> folding = new CoalescingWindow<>(LIMITS, true, LINGER);
        folding.add(tag("Product-1"), PurgeMode.HARD, "e1", 0);
        folding.add(tag("product-1"), PurgeMode.HARD, "e2", 0);
        assertThat(folding.pendingSelectors()).isEqualTo(1);
    }

    @Test
    void nothingIsDueBeforeTheLingerUnlessTheRequestIsFull() {
        window.add(tag("a"), PurgeMode.HARD, "e1", 0);
        assertThat(window.nextBatch(LINGER - 1, false)).isNull();
        assertThat(window.nextDueNanos()).isEqualTo(LINGER);

        window.add(tag("b"), PurgeMode.HARD, "e1", 1);
        window.add(tag("c"), PurgeMode.HARD, "e1", 2);
        Batch<String> full = window.nextBatch(3, false);

        assertThat(full.full()).isTrue();
        assertThat(full.selectors()).containsExactly(tag("a"), tag("b"), tag("c"));
    }

    @Test
    void aHeldPartlyFullGroupWaitsForTheHoldOrItsMaxLingerButAFullOneNever() {
        long maxLinger = 20 * LINGER;
        CoalescingWindow<String> stretching =
                new CoalescingWindow<>(LIMITS, false, LINGER, maxLinger);
        stretching.add(tag("a"), PurgeMode.HARD, "e1", 0);

        CoalescingWindow.Due due = stretching.peekDue(LINGER, false);
        assertThat(due.partial()).as("due by its linger only, and may still stretch").isTrue();

        stretching.holdPartial(LINGER + 100);
        assertThat(stretching.peekDue(LINGER, false)).isNull();
        assertThat(stretching.nextDueNanos()).isEqualTo(LINGER + 100);
        assertThat(stretching.peekDue(LINGER + 100, false).partial()).isTrue();

        stretching.holdPartial(10 * maxLinger);
        assertThat(stretching.nextDueNanos()).as("never past the max linger").isEqualTo(maxLinger);
        assertThat(stretching.peekDue(LINGER, true).partial())
                .as("nor in a forced flush")
                .isFalse();
        CoalescingWindow.Due stretched = stretching.peekDue(maxLinger, false);
        assertThat(stretched.partial())
                .as("past its max linger it goes like any due group")
                .isFalse();

        stretching.add(tag("b"), PurgeMode.HARD, "e2", 1);
        stretching.add(tag("c"), PurgeMode.HARD, "e3", 2);
        assertThat(stretching.peekDue(3, false))
                .as("a full group is never held")
                .isEqualTo(new CoalescingWindow.Due(SelectorKind.TAG, PurgeMode.HARD, 3, false));
    }

    @Test
    void withoutAMaxLingerBeyondTheLingerNothingIsEverHeld() {
        window.add(tag("a"), PurgeMode.HARD, "e1", 0);
        window.holdPartial(10 * LINGER);

        CoalescingWindow.Due due = window.peekDue(LINGER, false);

        assertThat(due).isNotNull();
        assertThat(due.partial()).isFalse();
    }

    @Test
    void batchesNeverExceedTheProviderLimit() {
        for (int i = 0; i < 7; i++) {
            window.add(tag("t" + i), PurgeMode.HARD, "e", 0);
        }
        assertThat(window.nextBatch(0, false).size()).isEqualTo(3);
        assertThat(window.nextBatch(0, false).size()).isEqualTo(3);
        assertThat(window.nextBatch(0, false)).isNull();
        assertThat(window.nextBatch(LINGER, false).size()).isEqualTo(1);
    }

    @Test
    void theByteLimitSplitsBatchesBySize() {
        CoalescingWindow<String> bytes =
                new CoalescingWindow<>(new RequestLimits(100, 1, 1, 20), false, LINGER);
        bytes.add(tag("aaaaaaa"), PurgeMode.HARD, "e", 0); // 10 bytes each in a JSON array
        bytes.add(tag("bbbbbbb"), PurgeMode.HARD, "e", 0);
        bytes.add(tag("ccccccc"), PurgeMode.HARD, "e", 0);

        assertThat(bytes.nextBatch(0, false).size()).isEqualTo(2);
        assertThat(bytes.nextBatch(LINGER, false).size()).isEqualTo(1);
    }

    @Test
    void hardSubsumesSoftForTheSameSelector() {
        window.add(tag("a"), PurgeMode.SOFT, "e1", 0);
        window.add(tag("a"), PurgeMode.HARD, "e2", 0);
        window.add(tag("a"), PurgeMode.SOFT, "e3", 0);

        Batch<String> batch = window.nextBatch(LINGER, false);

        assertThat(batch.mode()).isEqualTo(PurgeMode.HARD);
        assertThat(batch.entries().get(0).waiters()).containsExactly("e1", "e2", "e3");
        assertThat(window.nextBatch(LINGER, true)).isNull();
    }

    @Test
    void softAndHardOfDifferentSelectorsGoInSeparateRequests() {
        window.add(tag("a"), PurgeMode.SOFT, "e1", 0);
        window.add(tag("b"), PurgeMode.HARD, "e1", 0);

        Batch<String> first = window.nextBatch(LINGER, false);
        Batch<String> second = window.nextBatch(LINGER, false);

        assertThat(List.of(first.mode(), second.mode()))
                .containsExactlyInAnyOrder(PurgeMode.SOFT, PurgeMode.HARD);
    }

    @Test
    void aPrefixSubsumesTheUrlsAndPrefixesUnderIt() {
        window.add(new Selector.Url("https://www.example.com/products/1"), PurgeMode.HARD, "e1", 0);
        window.add(new Selector.Prefix("www.example.com/products/shoes/"), PurgeMode.HARD, "e2", 0);
        window.add(new Selector.Url("https://www.example.com/about"), PurgeMode.HARD, "e3", 0);

        int absorbed =
                window.add(
                        new Selector.Prefix("www.example.com/products/"), PurgeMode.HARD, "e4", 0);
        int merged =
                window.add(
                        new Selector.Url("http://www.example.com/products/2"),
                        PurgeMode.SOFT,
                        "e5",
                        0);

        assertThat(absorbed).isEqualTo(2);
        assertThat(merged).isEqualTo(1);
        assertThat(window.pendingSelectors()).isEqualTo(2);
        Batch<String> prefixes = window.nextBatch(LINGER, false);
        Batch<String> urls = window.nextBatch(LINGER, false);
        Batch<String> prefixBatch = prefixes.kind() == SelectorKind.PREFIX ? prefixes : urls;
        assertThat(prefixBatch.entries().get(0).waiters())
                .containsExactlyInAnyOrder("e1", "e2", "e4", "e5");
    }

    @Test
    void aSoftPrefixDoesNotSubsumeAHardUrl() {
        window.add(new Selector.Prefix("/products/"), PurgeMode.SOFT, "e1", 0);
        assertThat(window.add(new Selector.Url("/products/1"), PurgeMode.HARD, "e2", 0)).isZero();
        assertThat(window.pendingSelectors()).isEqualTo(2);
    }

    @Test
    void everythingSubsumesAllPendingAndLaterSelectors() {
        window.add(tag("a"), PurgeMode.HARD, "e1", 0);
        window.add(new Selector.Url("/x"), PurgeMode.SOFT, "e2", 0);

        assertThat(window.add(new Selector.Everything(), PurgeMode.HARD, "e3", 0)).isEqualTo(2);
        assertThat(window.add(tag("b"), PurgeMode.HARD, "e4", 0)).isEqualTo(1);

        Batch<String> batch = window.nextBatch(LINGER, false);
        assertThat(batch.kind()).isEqualTo(SelectorKind.EVERYTHING);
        assertThat(batch.entries().get(0).waiters())
                .containsExactlyInAnyOrder("e1", "e2", "e3", "e4");
        assertThat(window.isEmpty()).isTrue();
    }

    @Test
    void aRetriedSelectorWaitsForItsBackoffThenGoesFirstAndMergesWithNewOnes() {
        window.add(tag("a"), PurgeMode.HARD, "e1", 0);
        Batch<String> sent = window.nextBatch(LINGER, false);
        sent.entries().forEach(PendingSelector::countAttempt);

        window.requeue(sent.entries(), 1_000);
        window.add(tag("a"), PurgeMode.HARD, "e2", 900);
        assertThat(window.pendingSelectors()).isEqualTo(2);
        assertThat(window.nextDueNanos()).isEqualTo(1_000);
        assertThat(window.nextBatch(999, false)).isNull();

        Batch<String> retry = window.nextBatch(1_000, false);
        assertThat(retry.selectors()).containsExactly(tag("a"));
        assertThat(retry.entries().get(0).waiters()).containsExactly("e2", "e1");
        assertThat(retry.entries().get(0).attempts()).isEqualTo(1);
        assertThat(window.isEmpty()).isTrue();
    }

    @Test
    void forceFlushesEverythingRegardlessOfLinger() {
        window.add(tag("a"), PurgeMode.HARD, "e1", 0);
        assertThat(window.nextBatch(0, true)).isNotNull();
    }

    @Test
    void aUrlWhoseDotSegmentsLeaveThePrefixIsNotTakenAsCoveredByIt() {
        window.add(new Selector.Prefix("/a/"), PurgeMode.HARD, "e1", 0);
        // "/a/../x" is "/x": absorbed into "/a/" it would never be purged
        assertThat(window.add(new Selector.Url("/a/../x"), PurgeMode.HARD, "e2", 0)).isZero();
        assertThat(window.add(new Selector.Url("/a/%2e%2e/y"), PurgeMode.HARD, "e3", 0)).isZero();
        assertThat(window.add(new Selector.Url("/a/b"), PurgeMode.HARD, "e4", 0)).isEqualTo(1);
        assertThat(window.pendingSelectors()).isEqualTo(3);
    }

    @Test
    void settledContributionsAreDroppedAndSelectorsLeftWithoutOneGo() {
        window.add(tag("a"), PurgeMode.HARD, "expired", 0);
        window.add(tag("b"), PurgeMode.HARD, "expired", 0);
        window.add(tag("b"), PurgeMode.HARD, "live", 0);

        assertThat(window.dropSettled("expired"::equals)).isEqualTo(1);

        Batch<String> batch = window.nextBatch(LINGER, false);
        assertThat(batch.selectors()).containsExactly(tag("b"));
        assertThat(batch.entries().get(0).waiters()).containsExactly("live");
        assertThat(window.isEmpty()).isTrue();
    }
}
