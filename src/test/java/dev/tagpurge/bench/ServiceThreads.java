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
 * The broker's JVM names its compiler threads alike, so the same count says what its JIT compiler
 * took.
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

    /**
     * The run's figure for how often {@code role}'s threads blocked and were woken, per 1,000
     * events: {@code blocked<ROLE>Per1kEvents}, {@code warmBlocked<ROLE>Per1kEvents}.
     */
    static String blockedKey(Role role, boolean warm) {
        return (warm ? "warmBlocked" : "blocked") + role.name() + "Per1kEvents";
    }

    /** The run's figure for how often all its threads blocked and were woken, per 1,000 events. */
    static String blockedKey(boolean warm) {
        return (warm ? "warmBlocked" : "blocked") + "Per1kEvents";
    }

    /** The run's figure for how often all its threads were preempted, per 1,000 events. */
    static String preemptedKey(boolean warm) {
        return (warm ? "warmPreempted" : "preempted") + "Per1kEvents";
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
     * What a role's threads did since {@link #start}: CPU seconds, and how often the kernel
     * switched them out because they blocked (a thread that waits for work and is woken for it: a
     * hand-off) or because their time slice was up (preempted on a busy machine).
     */
    record Usage(double cpuSeconds, long blocked, long preempted) {

        static final Usage NONE = new Usage(0, 0, 0);

        Usage plus(Usage other) {
            return new Usage(
                    cpuSeconds + other.cpuSeconds,
                    blocked + other.blocked,
                    preempted + other.preempted);
        }
    }

    /**
     * Per role, since {@link #start}. Threads that ended in between are counted as {@link
     * Role#OTHER}, from the process's own total CPU, so the roles add up to the process's CPU;
     * their switches are not counted.
     */
    Map<Role, Usage> stop() {
        Map<String, ThreadCpu> now = threadTicks(pid);
        Map<Role, Usage> used = new EnumMap<>(Role.class);
        for (Role r : Role.values()) {
            used.put(r, Usage.NONE);
        }
        long counted = 0;
        for (Map.Entry<String, ThreadCpu> t : now.entrySet()) {
            ThreadCpu after = t.getValue();
            ThreadCpu before = startByThread.getOrDefault(t.getKey(), ThreadCpu.NEW);
            long ticks = after.ticks() - before.ticks();
            counted += ticks;
            used.merge(
                    Role.of(after.comm()),
                    new Usage(
                            ticks / TICKS_PER_SECOND,
                            after.blocked() - before.blocked(),
                            after.preempted() - before.preempted()),
                    Usage::plus);
        }
        long process = processTicks(pid) - startProcess;
        used.merge(
                Role.OTHER,
                new Usage(Math.max(0, process - counted) / TICKS_PER_SECOND, 0, 0),
                Usage::plus);
        return used;
    }

    private record ThreadCpu(String comm, long ticks, long blocked, long preempted) {
        static final ThreadCpu NEW = new ThreadCpu("", 0, 0, 0);
    }

    /** Every live thread's name and ticks, by its id. */
    private static Map<String, ThreadCpu> threadTicks(long pid) {
        Map<String, ThreadCpu> ticks = new HashMap<>();
        Path tasks = Path.of("/proc", Long.toString(pid), "task");
        try (DirectoryStream<Path> threads = Files.newDirectoryStream(tasks)) {
            for (Path t : threads) {
                try {
                    String comm = Files.readString(t.resolve("comm")).strip();
                    String status = Files.readString(t.resolve("status"));
                    ticks.put(
                            t.getFileName().toString(),
                            new ThreadCpu(
                                    comm,
                                    ticks(Files.readString(t.resolve("stat"))),
                                    statusCount(status, "voluntary_ctxt_switches:"),
                                    statusCount(status, "nonvoluntary_ctxt_switches:")));
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

    /** The number on the line of {@code status} that starts with {@code name}, or 0. */
    static long statusCount(String status, String name) {
        for (String line : status.split("\n")) {
            if (line.startsWith(name)) {
                return Long.parseLong(line.substring(name.length()).strip());
            }
        }
        return 0;
    }

    /** utime + stime of a {@code stat} line; its name may hold spaces and parentheses. */
    private static long ticks(String stat) {
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }
}
