package dev.tagpurge.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BenchmarkReportTest {

    @Test
    void theProcessorIsTheFirstOnesNameWithItsClock() {
        List<String> cpuinfo =
                List.of(
                        "processor\t: 0",
                        "vendor_id\t: GenuineIntel",
                        "model name\t: Intel(R) Xeon(R) Processor",
                        "cpu MHz\t\t: 2599.998",
                        "",
                        "processor\t: 1",
                        "model name\t: Another Processor",
                        "cpu MHz\t\t: 1200.000");

        assertThat(BenchmarkReport.cpuModel(cpuinfo))
                .isEqualTo("Intel(R) Xeon(R) Processor at 2600 MHz");
    }

    @Test
    void aProcessorWithoutANameOrClockIsStillDescribed() {
        // as on machines whose /proc/cpuinfo has neither field (some arm64 kernels)
        List<String> cpuinfo = List.of("processor\t: 0", "BogoMIPS\t: 50.00", "cpu MHz\t: n/a");

        assertThat(BenchmarkReport.cpuModel(cpuinfo)).isEqualTo("an unnamed processor");
        assertThat(BenchmarkReport.cpuModel(List.of("model name : Neoverse-N1")))
                .isEqualTo("Neoverse-N1");
    }

    @Test
    void theAotCacheComparisonPutsEachSidesMedianInItsColumn() {
        List<Map<String, Double>> with =
                List.of(
                        Map.of("throughput", 50_000.0, "serviceCpuUsPerEvent", 24.0),
                        Map.of("throughput", 52_000.0, "serviceCpuUsPerEvent", 23.0),
                        Map.of("throughput", 40_000.0, "serviceCpuUsPerEvent", 30.0));
        List<Map<String, Double>> without =
                List.of(
                        Map.of("throughput", 46_000.0, "serviceCpuUsPerEvent", 26.5),
                        Map.of("throughput", 45_000.0, "serviceCpuUsPerEvent", 27.0),
                        Map.of("throughput", 47_000.0, "serviceCpuUsPerEvent", 26.0));

        String table = BenchmarkReport.aotCacheComparison(with, without);

        assertThat(table)
                .contains("3 runs each")
                .contains("| throughput, events/s | 46,000 | 50,000 |")
                .contains("| service CPU per event, µs | 26.5 | 24.0 |");
    }
}
