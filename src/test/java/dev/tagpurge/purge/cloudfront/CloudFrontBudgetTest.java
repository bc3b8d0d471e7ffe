package dev.tagpurge.purge.cloudfront;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tagpurge.purge.PurgeResult;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link InProgressBudget}: admission, joining by CallerReference, release. */
class CloudFrontBudgetTest {

    @Test
    void admitsWhatFitsAndRefusesWhatWouldExceedPaths() {
        InProgressBudget budget = new InProgressBudget(3, 15);

        InProgressBudget.Admission first = budget.admit(plan("r1", "/a", "/b"));
        InProgressBudget.Admission second = budget.admit(plan("r2", "/c", "/d"));
        InProgressBudget.Admission third = budget.admit(plan("r3", "#t"));

        assertThat(first).isInstanceOf(InProgressBudget.Reserved.class);
        assertThat(second)
                .isInstanceOfSatisfying(
                        InProgressBudget.Refused.class,
                        r -> assertThat(r.detail()).contains("2/3 paths"));
        assertThat(third).isInstanceOf(InProgressBudget.Reserved.class);
        assertThat(budget.pathsInProgress()).isEqualTo(3);
    }

    @Test
    void wildcardsHaveTheirOwnBudget() {
        InProgressBudget budget = new InProgressBudget(3000, 2);

        assertThat(budget.admit(plan("r1", "/a/*", "/b/*")))
                .isInstanceOf(InProgressBudget.Reserved.class);
        assertThat(budget.admit(plan("r2", "/*"))).isInstanceOf(InProgressBudget.Refused.class);
        assertThat(budget.admit(plan("r3", "/plain", "#tag")))
                .isInstanceOf(InProgressBudget.Reserved.class);
        assertThat(budget.wildcardsInProgress()).isEqualTo(2);
    }

    @Test
    void theSameReferenceJoinsTheInvalidationInProgress() {
        InProgressBudget budget = new InProgressBudget(3, 15);
        var reserved = (InProgressBudget.Reserved) budget.admit(plan("r1", "/a", "/b"));

        InProgressBudget.Admission again = budget.admit(plan("r1", "/a", "/b"));

        assertThat(again)
                .isInstanceOfSatisfying(
                        InProgressBudget.Joined.class,
                        j -> assertThat(j.outcome()).isSameAs(reserved.entry().outcome()));
        assertThat(budget.pathsInProgress()).as("not counted twice").isEqualTo(2);
    }

    @Test
    void releaseFreesTheBudgetThenCompletesTheOutcome() {
        InProgressBudget budget = new InProgressBudget(2, 15);
        var reserved = (InProgressBudget.Reserved) budget.admit(plan("r1", "/a", "/*"));
        budget.created(reserved.entry(), "I1");
        assertThat(budget.invalidationsInProgress()).isEqualTo(1);
        int[] seenPaths = new int[1];
        reserved.entry().outcome().thenRun(() -> seenPaths[0] = budget.pathsInProgress());

        PurgeResult done = PurgeResult.accepted(List.of("I1"));
        budget.release(reserved.entry(), done);
        budget.release(reserved.entry(), done);

        assertThat(reserved.entry().outcome()).isCompletedWithValue(done);
        assertThat(seenPaths[0]).isZero();
        assertThat(budget.pathsInProgress()).isZero();
        assertThat(budget.wildcardsInProgress()).isZero();
        assertThat(budget.invalidationsInProgress()).isZero();
        assertThat(budget.admit(plan("r1", "/a", "/*")))
                .isInstanceOf(InProgressBudget.Reserved.class);
    }

    @Test
    void aReservationThatFailsBeforeCreationCountsNoInvalidation() {
        InProgressBudget budget = new InProgressBudget(10, 15);
        var reserved = (InProgressBudget.Reserved) budget.admit(plan("r1", "/a"));

        budget.release(reserved.entry(), PurgeResult.retryable("server-error", "503"));

        assertThat(budget.invalidationsInProgress()).isZero();
        assertThat(budget.pathsInProgress()).isZero();
    }

    private static InvalidationPlan plan(String reference, String... paths) {
        List<String> items = List.of(paths);
        return new InvalidationPlan(
                reference, items, (int) items.stream().filter(CloudFrontPaths::isWildcard).count());
    }
}
