package dev.tagpurge.purge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.time.YearMonth;
import org.junit.jupiter.api.Test;

class BilledPathsTest {

    private static BilledPaths month(long paths) {
        return new BilledPaths(YearMonth.of(2026, 12), paths, "test", 1000, 0.005);
    }

    @Test
    void theFreePathsCostNothing() {
        assertThat(month(0).costUsd()).isZero();
        assertThat(month(1000).costUsd()).isZero();
    }

    @Test
    void everyPathPastTheFreeOnesCostsThePrice() {
        assertThat(month(1001).costUsd()).isCloseTo(0.005, within(1e-9));
        assertThat(month(5000).costUsd()).isCloseTo(20.0, within(1e-9));
    }

    @Test
    void morePathsCostOnlyWhatExceedsTheFreePathsLeft() {
        assertThat(month(990).costOfMoreUsd(10)).isZero();
        assertThat(month(990).costOfMoreUsd(30)).isCloseTo(0.1, within(1e-9));
        assertThat(month(4000).costOfMoreUsd(200)).isCloseTo(1.0, within(1e-9));
        assertThat(month(0).costOfMoreUsd(0)).isZero();
    }

    @Test
    void negativeCountsAreRefused() {
        assertThatThrownBy(() -> month(-1)).isInstanceOf(IllegalArgumentException.class);
    }
}
