package dev.tagpurge.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
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
}
