package dev.tagpurge.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tagpurge.bench.ServiceThreads.Role;
import java.util.Map;
import java.util.concurrent.SynchronousQueue;
import org.junit.jupiter.api.Test;

/** The benchmark's split of the service's CPU by thread, as the kernel names the threads. */
class ServiceThreadsTest {

    @Test
    void threadsAreGroupedByTheNamesTheKernelKeeps() {
        // /proc keeps the first 15 characters of a thread's name
        Map<String, Role> names =
                Map.ofEntries(
                        Map.entry("C2 CompilerThre", Role.JIT),
                        Map.entry("C1 CompilerThre", Role.JIT),
                        Map.entry("GC Thread#1", Role.COLLECTOR),
                        Map.entry("VM Thread", Role.COLLECTOR),
                        Map.entry("G1 Conc#0", Role.COLLECTOR),
                        Map.entry("vert.x-eventloo", Role.EVENT_LOOPS),
                        Map.entry("tagpurge-target", Role.TARGETS),
                        Map.entry("tagpurge-comple", Role.COMPLETIONS),
                        Map.entry("kafka-producer-", Role.PRODUCER),
                        Map.entry("smallrye-kafka-", Role.CONSUMER),
                        Map.entry("executor-thread", Role.OTHER),
                        Map.entry("VM Periodic Tas", Role.OTHER));
        names.forEach((comm, role) -> assertThat(Role.of(comm)).as(comm).isEqualTo(role));
    }

    @Test
    void figuresAreNamedAsTheResultsTableReadsThem() {
        assertThat(ServiceThreads.perEventKey(Role.JIT, false)).isEqualTo("cpuJITUsPerEvent");
        assertThat(ServiceThreads.perEventKey(Role.COLLECTOR, true))
                .isEqualTo("warmCpuCOLLECTORUsPerEvent");
        assertThat(ServiceThreads.withoutJitKey(false)).isEqualTo("serviceCpuNoJitUsPerEvent");
        assertThat(ServiceThreads.withoutJitKey(true)).isEqualTo("warmServiceCpuNoJitUsPerEvent");
        assertThat(ServiceThreads.blockedKey(Role.PRODUCER, true))
                .isEqualTo("warmBlockedPRODUCERPer1kEvents");
        assertThat(ServiceThreads.blockedKey(false)).isEqualTo("blockedPer1kEvents");
        assertThat(ServiceThreads.preemptedKey(true)).isEqualTo("warmPreemptedPer1kEvents");
    }

    @Test
    void everyRoleIsReportedAndNoneIsNegative() {
        ServiceThreads threads = ServiceThreads.start(ProcessHandle.current().pid());
        double sink = 0;
        for (int i = 0; i < 1_000_000; i++) {
            sink += Math.sqrt(i);
        }
        Map<Role, ServiceThreads.Usage> used = threads.stop();
        assertThat(sink).isPositive();
        assertThat(used.keySet()).containsExactly(Role.values());
        assertThat(used.values())
                .allSatisfy(
                        u -> {
                            assertThat(u.cpuSeconds()).isNotNegative();
                            assertThat(u.blocked()).isNotNegative();
                            assertThat(u.preempted()).isNotNegative();
                        });
    }

    @Test
    void aThreadThatWaitsForWorkIsCountedAsBlockedEachTimeItIsWoken() throws Exception {
        ServiceThreads threads = ServiceThreads.start(ProcessHandle.current().pid());
        SynchronousQueue<Integer> handOff = new SynchronousQueue<>();
        // named like the consumer's polling threads, so that its switches land in a known role
        Thread taker =
                Thread.ofPlatform()
                        .name("smallrye-kafka-test-taker")
                        .start(
                                () -> {
                                    try {
                                        for (int i = 0; i < 200; i++) {
                                            handOff.take();
                                            Thread.sleep(1);
                                        }
                                        // alive until read: an ended thread leaves /proc
                                        handOff.take();
                                    } catch (InterruptedException e) {
                                        Thread.currentThread().interrupt();
                                    }
                                });
        for (int i = 0; i < 200; i++) {
            handOff.put(i);
        }
        Map<Role, ServiceThreads.Usage> used = threads.stop();
        handOff.put(-1);
        taker.join();
        assertThat(used.get(Role.CONSUMER).blocked()).isGreaterThanOrEqualTo(100);
    }

    @Test
    void theReportGivesEveryRoleItsFigureInTheRolesOrder() {
        assertThat(BenchmarkReport.byRole(role -> role == Role.JIT ? "7.6" : "0"))
                .isEqualTo(
                        "JIT compiler 7.6; collector and VM 0; event loops (consume, HTTP) 0;"
                                + " targets' executors 0; completion sender 0; producer network 0;"
                                + " consumer polling 0; other 0");
    }

    @Test
    void switchesAreReadFromTheKernelsStatusLines() {
        String status =
                "Name:\tC2 CompilerThre\nvoluntary_ctxt_switches:\t17\n"
                        + "nonvoluntary_ctxt_switches:\t4\n";
        assertThat(ServiceThreads.statusCount(status, "voluntary_ctxt_switches:")).isEqualTo(17);
        assertThat(ServiceThreads.statusCount(status, "nonvoluntary_ctxt_switches:")).isEqualTo(4);
        assertThat(ServiceThreads.statusCount("Name:\tx\n", "voluntary_ctxt_switches:")).isZero();
    }
}
