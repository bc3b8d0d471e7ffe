package dev.tagpurge.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FallbackShareTest {

    @Test
    void withTheMembershipKnownEachReplicaTakesOneOverTheMembers() {
        assertThat(FallbackShare.of(OptionalDouble.empty(), OptionalInt.of(3), 6))
                .isEqualTo(1.0 / 3);
        assertThat(FallbackShare.of(OptionalDouble.empty(), OptionalInt.of(1), 6)).isEqualTo(1.0);
    }

    @Test
    void withTheMembershipUnknownEachReplicaTakesOneOverTheMaximumReplicas() {
        assertThat(FallbackShare.of(OptionalDouble.empty(), OptionalInt.empty(), 6))
                .isEqualTo(1.0 / 6);
        // an empty group (rebalancing) says nothing about how many replicas are alive
        assertThat(FallbackShare.of(OptionalDouble.empty(), OptionalInt.of(0), 4)).isEqualTo(0.25);
    }

    @Test
    void anExplicitShareWinsOverMembersAndMaximum() {
        assertThat(FallbackShare.of(OptionalDouble.of(0.5), OptionalInt.of(3), 6)).isEqualTo(0.5);
        assertThat(FallbackShare.of(OptionalDouble.of(0.5), OptionalInt.empty(), 6)).isEqualTo(0.5);
    }

    @Test
    void sharesOutsideTheirRangesAreRefused() {
        assertThatThrownBy(() -> FallbackShare.of(OptionalDouble.of(0), OptionalInt.empty(), 6))
                .hasMessageContaining("fallback-share");
        assertThatThrownBy(() -> FallbackShare.of(OptionalDouble.of(1.5), OptionalInt.empty(), 6))
                .hasMessageContaining("fallback-share");
        assertThatThrownBy(() -> FallbackShare.of(OptionalDouble.empty(), OptionalInt.of(2), 0))
                .hasMessageContaining("max-replicas");
    }

    @Test
    void theSharesOfAllMembersAddUpToAtMostOneLimit() {
        BucketRule limit =
                BucketRule.perRequest("purge-requests", 20, 20, Duration.ofSeconds(1), Set.of());
        for (int members = 1; members <= 6; members++) {
            BucketRule each =
                    limit.scaled(
                            FallbackShare.of(OptionalDouble.empty(), OptionalInt.of(members), 6));
            assertThat(each.refillTokens() * members)
                    .as("%d members", members)
                    .isLessThanOrEqualTo(limit.refillTokens());
            assertThat(each.capacity() * members).isLessThanOrEqualTo(limit.capacity());
        }
    }
}
