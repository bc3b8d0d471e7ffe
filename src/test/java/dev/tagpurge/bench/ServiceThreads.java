package dev.tagpurge.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;

/**
 * Where a service process's CPU went, by the role of its threads, from {@code
 * /proc/<pid>/task/<tid>/comm} and {@code stat}: the JIT compiler's threads, the collector's and
 * the VM's (safepoint operations), the event loops, the targets' executors, the completion sender,
 * the producer's network thread and the consumer's polling threads. A short run from a cold start
 * spends much of its CPU compiling and collecting; this says how much, beside the process's total.
 */
final class ServiceThreads {

    /** A group of threads, by the name the JVM, Vert.x, Kafka or the service gives them. */
    enum Role {
        JIT("JIT compiler"),
        COLLECTOR("collector and VM"),
        EVENT_LOOPS("event loops (consume, HTTP)"),
        TARGETS("targets' executors"),
        COMPLETIONS("completion sender"),
        PRODUCER("producer network"),
        CONSUMER("consumer polling"),
        OTHER("other");

        final String label;

        Role(String label) {
            this.label = label;
        }

        /** The role of a thread named {@code comm} (the kernel keeps its first 15 characters). */
        static Role of(String comm) {
            if (comm.startsWith("C1 Compiler") || comm.startsWith("C2 Compiler")) {
                return JIT;
            }
            if (comm.startsWith("GC Thread")
                    || comm.startsWith("VM Thread")
                    || comm.startsWith("G1 ")
                    || comm.startsWith("GC ")) {
                return COLLECTOR;
            }
            if (comm.startsWith("vert.x-eventloo")) {
                return EVENT_LOOPS;
            }
            if (comm.startsWith("tagpurge-target")) {
                return TARGETS;
            }
            if (comm.startsWith("tagpurge-comple")) {
                return COMPLETIONS;
            }
            if (comm.startsWith("kafka-producer-")) {
                return PRODUCER;
            }
            if (comm.startsWith("smallrye-kafka-")) {
                return CONSUMER;
            }
            return OTHER;
        }
    }

    private static final double TICKS_PER_SECOND = 100.0;

    /**
     * The run's figure for {@code role}, µs per event: {@code cpu<ROLE>UsPerEvent} for the whole
     * saturated run, {@code warmCpu<ROLE>UsPerEvent} for its second half.
     */
    static String perEventKey(Role role, boolean warm) {
        return (warm ? "warmCpu" : "cpu") + role.name() + "UsPerEvent";
    }

    /** The run's figure for the service's CPU per event without the JIT compiler's threads. */
    static String withoutJitKey(boolean warm) {
        return warm ? "warmServiceCpuNoJitUsPerEvent" : "serviceCpuNoJitUsPerEvent";
    }

    private final long pid;
    private final Map<String, ThreadCpu> startByThread;
    private final long startProcess;

    private ServiceThreads(long pid) {
        this.pid = pid;
        this.startByThread = threadTicks(pid);
        this.startProcess = processTicks(pid);
    }

    /** Starts counting the CPU of process {@code pid}'s threads from now. */
    static ServiceThreads start(long pid) {
        return new ServiceThreads(pid);
    }

    /**
     * CPU seconds per role since {@link #start}. Threads that ended in between are counted as
     * {@link Role#OTHER}, from the process's own total, so the roles add up to the process's CPU.
     */
    Map<Role, Double> stop() {
        Map<String, ThreadCpu> now = threadTicks(pid);
        Map<Role, Double> used = new EnumMap<>(Role.class);
        for (Role r : Role.values()) {
            used.put(r, 0.0);
        }
        long counted = 0;
        for (Map.Entry<String, ThreadCpu> t : now.entrySet()) {
            ThreadCpu before = startByThread.get(t.getKey());
            long ticks = t.getValue().ticks() - (before == null ? 0 : before.ticks());
            counted += ticks;
            used.merge(Role.of(t.getValue().comm()), ticks / TICKS_PER_SECOND, Double::sum);
        }
        long process = processTicks(pid) - startProcess;
        used.merge(Role.OTHER, Math.max(0, process - counted) / TICKS_PER_SECOND, Double::sum);
        return used;
    }

    private record ThreadCpu(String comm, long ticks) {}

    /** Every live thread's name and ticks, by its id. */
    private static Map<String, ThreadCpu> threadTicks(long pid) {
        Map<String, ThreadCpu> ticks = new HashMap<>();
        Path tasks = Path.of("/proc", Long.toString(pid), "task");
        try (DirectoryStream<Path> threads = Files.newDirectoryStream(tasks)) {
            for (Path t : threads) {
                try {
                    String comm = Files.readString(t.resolve("comm")).strip();
                    ticks.put(
                            t.getFileName().toString(),
                            new ThreadCpu(comm, ticks(Files.readString(t.resolve("stat")))));
                } catch (NoSuchFileException ended) {
                    // the thread ended while being read: the process's total still has its CPU
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return ticks;
    }

    private static long processTicks(long pid) {
        try {
            return ticks(Files.readString(Path.of("/proc", Long.toString(pid), "stat")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** utime + stime of a {@code stat} line; its name may hold spaces and parentheses. */
    private static long ticks(String stat) {
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }
}
