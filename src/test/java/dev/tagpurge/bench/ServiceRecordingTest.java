package dev.tagpurge.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServiceRecordingTest {

    @TempDir Path dir;

    @BeforeEach
    void onAMachineTheAgentRunsOn() {
        String os = System.getProperty("os.name");
        assumeTrue(os.contains("Linux") || os.contains("Mac"), "async-profiler's agent: " + os);
    }

    @Test
    void noRecordingAddsNoOption() {
        assertThat(ServiceRecording.NONE.jvmOptions(dir.resolve("x.jfr"), dir)).isEmpty();
    }

    @Test
    void theAgentsLibraryIsCopiedOutOfItsJarForThisMachine() throws Exception {
        Path library = ServiceRecording.agentLibrary(dir);

        byte[] head = Arrays.copyOf(Files.readAllBytes(library), 4);
        if (ServiceRecording.platform().equals("macos")) {
            // a universal (fat) Mach-O binary
            assertThat(head).containsExactly(0xca, 0xfe, 0xba, 0xbe);
        } else {
            assertThat(head).containsExactly(0x7f, 'E', 'L', 'F');
        }
    }

    @Test
    void aJvmStartedWithTheAgentWritesARecordingTheConverterReads() throws Exception {
        Path jfr = dir.resolve("service.jfr");
        List<String> command = new ArrayList<>(List.of(java()));
        command.addAll(ServiceRecording.ASYNC_PROFILER.jvmOptions(jfr, dir));
        command.add("-version");

        assertThat(run(command)).isZero();
        assertThat(jfr).isNotEmptyFile();

        Path html = dir.resolve("flame.html");
        int converted =
                run(
                        List.of(
                                java(),
                                "-cp",
                                System.getProperty("java.class.path"),
                                "one.convert.Main",
                                "--cpu",
                                "--threads",
                                "--title",
                                "recorded by the agent",
                                jfr.toString(),
                                html.toString()));
        assertThat(converted).isZero();
        assertThat(Files.readString(html)).contains("recorded by the agent");
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private int run(List<String> command) throws Exception {
        Process process =
                new ProcessBuilder(command)
                        .redirectErrorStream(true)
                        .redirectOutput(dir.resolve("out.txt").toFile())
                        .start();
        if (!process.waitFor(2, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new AssertionError("did not finish: " + command);
        }
        return process.exitValue();
    }
}
