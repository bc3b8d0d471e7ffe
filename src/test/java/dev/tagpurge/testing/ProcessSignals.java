package dev.tagpurge.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.TimeUnit;

/**
 * Sends POSIX signals to a process this test started, by its PID: freeze it ({@code SIGSTOP}: the
 * process keeps its sockets open but answers nothing, like a hung server), thaw it ({@code
 * SIGCONT}), or kill it without warning ({@code SIGKILL}). {@link Process} itself can only send
 * SIGTERM and SIGKILL, so this runs {@code kill}.
 */
public final class ProcessSignals {

    private ProcessSignals() {}

    /** {@code kill -STOP pid}: the process stops running until {@link #resume}. */
    public static void freeze(long pid) {
        send(pid, "STOP");
    }

    /** {@code kill -CONT pid}: a frozen process runs again. */
    public static void resume(long pid) {
        send(pid, "CONT");
    }

    /** {@code kill -KILL pid} and waits (at most 30 s) until the process is gone. */
    public static void kill(long pid) {
        send(pid, "KILL");
        ProcessHandle.of(pid)
                .ifPresent(
                        handle -> {
                            try {
                                handle.onExit().get(30, TimeUnit.SECONDS);
                            } catch (Exception e) {
                                throw new IllegalStateException(
                                        "process " + pid + " did not exit after SIGKILL", e);
                            }
                        });
    }

    private static void send(long pid, String signal) {
        if (!ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
            throw new IllegalStateException("no live process " + pid + " to send SIG" + signal);
        }
        try {
            Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).start();
            if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                throw new IllegalStateException("kill -" + signal + " " + pid + " failed");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run kill", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
