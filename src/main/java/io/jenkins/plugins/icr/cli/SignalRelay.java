package io.jenkins.plugins.icr.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import sun.misc.Signal;

/**
 * What icr-login does when a CI system cancels it (SIGTERM), a user presses Ctrl-C (SIGINT) or the terminal goes
 * away (SIGHUP): during the login, stop it; while the command runs, pass the signal on to the command and wait for
 * it, a bounded time; then let icr-login log out, delete the session's folder and end by the same signal. A second
 * signal ends icr-login at once and leaves the folder to the next run's sweep, as SIGKILL does.
 *
 * <p>{@code sun.misc.Signal} (module {@code jdk.unsupported}), not a shutdown hook: a hook cannot tell which signal
 * came, so it could pass on neither the signal nor its number, and it runs while the JVM is already going down,
 * beside other hooks, where the cleanup must instead run in icr-login's ordinary flow.
 */
final class SignalRelay {

    /** The signals that end icr-login, as {@code kill -s} names them. */
    static final List<String> SIGNALS = List.of("TERM", "INT", "HUP");
    /** How long the command may take to end after the signal: less than CI systems wait before SIGKILL. */
    static final Duration GRACE = Duration.ofSeconds(5);

    private enum Phase { LOGIN, COMMAND, CLEANUP }

    private final Thread main;
    private final Notice notice;
    private Phase phase = Phase.LOGIN; // guarded by this
    private Process command; // guarded by this
    private Signal received; // guarded by this

    /** Tells the user what icr-login does about a signal. */
    interface Notice {
        void received(String signal);

        void stopped(String signal);
    }

    /** A relay that no signal reaches: for icr-login run inside another program, as the unit tests do. */
    SignalRelay(Thread main, Notice notice) {
        this.main = main;
        this.notice = notice;
    }

    /** Handles {@link #SIGNALS} for this JVM from now on, in place of the JVM's own immediate exit. */
    static SignalRelay install(Notice notice) {
        SignalRelay relay = new SignalRelay(Thread.currentThread(), notice);
        for (String name : SIGNALS) {
            // A signal ignored when icr-login started (nohup, a background job) stays ignored: the JVM keeps it so.
            Signal.handle(new Signal(name), relay::received);
        }
        return relay;
    }

    /** The command started: a signal that came before now reaches it. */
    void commandStarted(Process process) {
        Signal pending;
        synchronized (this) {
            phase = Phase.COMMAND;
            command = process;
            pending = received;
        }
        if (pending != null) {
            stop(process, pending);
        }
    }

    /** The command ended (or never started); from now on a signal only changes the exit code. */
    synchronized void cleaningUp() {
        phase = Phase.CLEANUP;
        command = null;
    }

    /** {@code 128 + N} when signal N came. */
    synchronized Optional<Integer> exitCode() {
        return Optional.ofNullable(received).map(s -> 128 + s.getNumber());
    }

    /** After the cleanup: end by the signal itself, as the shell that started icr-login expects of a child. */
    void endBySignal() {
        Signal signal;
        synchronized (this) {
            signal = received;
        }
        if (signal != null) {
            die(signal);
        }
    }

    /**
     * Ends this JVM by the signal's default action, so that a shell sees a child killed by it (bash stops a script
     * on Ctrl-C only then); {@code 128 + N} should the signal not end it.
     */
    private static void die(Signal signal) {
        Signal.handle(signal, sun.misc.SignalHandler.SIG_DFL);
        send(signal, List.of(ProcessHandle.current())); // Signal.raise would refuse a signal Java does not handle
        try {
            Thread.sleep(GRACE.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Runtime.getRuntime().halt(128 + signal.getNumber());
    }

    private void received(Signal signal) {
        Process target;
        Phase now;
        boolean second;
        synchronized (this) {
            second = received != null;
            received = signal;
            target = command;
            now = phase;
        }
        if (second) {
            // No more waiting: the command gets this one too, and the next run sweeps the folder.
            if (target != null) {
                send(signal, tree(target));
            }
            die(signal);
        }
        notice.received("SIG" + signal.getName());
        if (now == Phase.LOGIN) {
            main.interrupt(); // the login's processes and IAM waits end; Session.open cleans up after itself
        } else if (now == Phase.COMMAND && target != null) {
            stop(target, signal);
        }
    }

    /** Passes the signal on, waits for the command's end, and ends it by force when it takes too long. */
    private void stop(Process process, Signal signal) {
        if (!deliveredByTerminal(signal)) {
            send(signal, tree(process));
        }
        if (!endsWithinGrace(process)) {
            notice.stopped("SIG" + signal.getName());
            tree(process).forEach(ProcessHandle::destroyForcibly);
        }
    }

    /** Waits the whole grace, even if interrupted: the kill that follows must not come early, nor be skipped. */
    private static boolean endsWithinGrace(Process process) {
        long deadline = System.nanoTime() + GRACE.toNanos();
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return process.waitFor(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** The command and the processes it started, as a process group holds them. */
    private static List<ProcessHandle> tree(Process process) {
        List<ProcessHandle> all = new ArrayList<>();
        all.add(process.toHandle());
        process.descendants().forEach(all::add);
        return all;
    }

    /**
     * Sends the signal with {@code kill}, since Java sends only SIGTERM and SIGKILL to other processes. It runs
     * with an empty environment: nothing icr-login starts may inherit its key.
     */
    private static void send(Signal signal, List<ProcessHandle> targets) {
        List<String> argv = new ArrayList<>(List.of("/bin/sh", "-c", "kill -s \"$0\" \"$@\" 2>/dev/null",
                signal.getName()));
        targets.stream().filter(ProcessHandle::isAlive).forEach(p -> argv.add(Long.toString(p.pid())));
        if (argv.size() == 4) {
            return;
        }
        ProcessBuilder kill = new ProcessBuilder(argv).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD);
        kill.environment().clear();
        try {
            kill.start().waitFor(GRACE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (IOException e) {
            targets.forEach(ProcessHandle::destroy); // SIGTERM at least
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Whether the terminal sent the signal to the command already: Ctrl-C and a hang-up reach every process of the
     * terminal's foreground process group, and icr-login's command is in icr-login's group. A second SIGINT would
     * make many tools (terraform, docker compose) quit without their own cleanup.
     */
    private static boolean deliveredByTerminal(Signal signal) {
        if (signal.getName().equals("TERM")) {
            return false;
        }
        try {
            // /proc/self/stat: "pid (comm) state ppid pgrp session tty_nr tpgid ...", comm may hold anything.
            String stat = Files.readString(Path.of("/proc/self/stat"), StandardCharsets.US_ASCII);
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return !fields[4].equals("0") && fields[2].equals(fields[5]);
        } catch (IOException | RuntimeException e) {
            return false; // not Linux: pass it on
        }
    }
}
