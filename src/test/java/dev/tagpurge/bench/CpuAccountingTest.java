package dev.tagpurge.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Map;
import org.junit.jupiter.api.Test;

class CpuAccountingTest {

    @Test
    void aProcessesCoreShareIsItsCpuSecondsOverThePhasesWallSeconds() {
        Map<String, Double> used =
                Map.of("service", 12.0, "broker", 7.5, "machineBusy", 0.6, "wallSeconds", 30.0);

        assertThat(CpuAccounting.coreShare(used, "service")).isCloseTo(0.4, within(1e-9));
        assertThat(CpuAccounting.coreShare(used, "broker")).isCloseTo(0.25, within(1e-9));
    }
}
