package dev.tagpurge.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LiveHeapTest {

    private static final String BUSY =
            String.join(
                    "\n",
                    "12345:",
                    " num     #instances         #bytes  class name (module)",
                    "-------------------------------------------------------",
                    "   1:        173018       27795872  [B (java.base@25.0.3)",
                    "   2:          3072        5149208  [Ljdk.internal.vm.FillerElement; (java.base@25.0.3)",
                    "   3:         17639        1693344  dev.tagpurge.purge.TargetProgress",
                    "   4:            10            160  jdk.internal.vm.FillerObject (java.base@25.0.3)",
                    "   5:           100           2400  java.lang.String (java.base@25.0.3)",
                    "   6:         20000         640000  dev.tagpurge.event.BatchAcknowledgement$Record",
                    "Total        213878       35285584");

    private static final String IDLE =
            String.join(
                    "\n",
                    "12345:",
                    " num     #instances         #bytes  class name (module)",
                    "-------------------------------------------------------",
                    "   1:        100000       20000000  [B (java.base@25.0.3)",
                    "   2:            12          20000  [Ljdk.internal.vm.FillerElement; (java.base@25.0.3)",
                    "   3:           200           4800  java.lang.String (java.base@25.0.3)",
                    "Total        100212       20024800");

    @Test
    void fillerObjectsAreDeadSpaceAndLeftOut() {
        LiveHeap busy = LiveHeap.of(BUSY, 17_639, 0);

        assertThat(busy.usedBytes()).isEqualTo(27_795_872 + 1_693_344 + 2_400 + 640_000);
        assertThat(busy.classes())
                .containsOnlyKeys(
                        "[B",
                        "dev.tagpurge.purge.TargetProgress",
                        "java.lang.String",
                        LiveHeap.UNSETTLED_RECORD);
        assertThat(busy.unsettledRecords()).isEqualTo(20_000);
        assertThat(busy.classes().get("[B")).isEqualTo(new LiveHeap.Count(173_018, 27_795_872));
    }

    @Test
    void anOutputWithoutRowsIsNoMeasurement() {
        assertThat(LiveHeap.of("12345:\nCommand executed unsuccessfully\n", 1, 0)).isNull();
    }

    @Test
    void whatAnEventHoldsIsTheGrowthFromIdleClassByClass() {
        LiveHeap busy = LiveHeap.of(BUSY, 17_639, 0);
        LiveHeap idle = LiveHeap.of(IDLE, 0, 0);

        assertThat(LiveHeap.perEvent(busy, idle))
                .isCloseTo((30_131_616.0 - 20_004_800) / 17_639, within(1e-6));
        assertThat(LiveHeap.perUnsettledRecord(busy, idle))
                .isCloseTo((30_131_616.0 - 20_004_800) / 20_000, within(1e-6));
        String table = LiveHeap.perEventByClass(busy, idle, 2);
        assertThat(table)
                .contains("17639 events in flight by the gauges (busy 17639, idle 0); 574 B per")
                .contains("20000 by the histograms' own count of records not yet settled; 506 B")
                .contains("| `[B` | 4.14 | 442 |")
                .contains("| `dev.tagpurge.purge.TargetProgress` | 1.00 | 96 |")
                .doesNotContain("java.lang.String")
                .doesNotContain("Filler");
    }

    @Test
    void noEventsInFlightGivesNoTable() {
        LiveHeap idle = LiveHeap.of(IDLE, 0, 0);

        assertThat(LiveHeap.perEventByClass(idle, idle, 10)).isEmpty();
        assertThat(LiveHeap.perEventByClass(null, idle, 10)).isEmpty();
    }

    @Test
    void ofSeveralMeasurementsTheMedianPerEventIsReported() {
        LiveHeap idle = heap(10_000_000, 0);
        // per unsettled record: 1,400 B, 700 B and 1,000 B; one without records, or with a handful
        // as the run ends (100,000 B each), is unusable
        LiveHeap high = heap(10_000_000 + 14_000_000, 10_000);
        LiveHeap low = heap(10_000_000 + 14_000_000, 20_000);
        LiveHeap middle = heap(10_000_000 + 20_000_000, 20_000);
        LiveHeap none = heap(10_000_000 + 1_000_000, 0);
        LiveHeap ending = heap(10_000_000 + 1_000_000, 10);

        assertThat(LiveHeap.median(List.of(high, none, low, ending, middle), idle))
                .isSameAs(middle);
        assertThat(LiveHeap.median(List.of(high, low), idle)).isSameAs(high);
        assertThat(LiveHeap.median(List.of(none, ending), idle)).isNull();
        assertThat(LiveHeap.median(List.of(), idle)).isNull();
    }

    /** A measurement of {@code bytes} with {@code unsettled} records counted in it. */
    private static LiveHeap heap(long bytes, long unsettled) {
        return new LiveHeap(
                bytes,
                unsettled,
                0,
                Map.of(LiveHeap.UNSETTLED_RECORD, new LiveHeap.Count(unsettled, unsettled * 32)));
    }
}
