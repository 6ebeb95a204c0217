package io.jenkins.plugins.icr.agent;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One process to run. A secret may only travel in {@link #stdin()}: never in the arguments or the environment,
 * which other users of the machine can read in {@code /proc}.
 *
 * @param argv the program and its arguments
 * @param stdin the bytes written to the process's standard input, then closed; empty for none
 * @param env variables added to the inherited environment
 * @param timeout how long the process may run before it is killed
 */
public record Command(List<String> argv, byte[] stdin, Map<String, String> env, Duration timeout) {

    /** What a login or logout may take at most: a registry that hangs must not hang the build. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(2);

    public Command {
        argv = List.copyOf(argv);
        if (argv.isEmpty()) {
            throw new IllegalArgumentException("a command needs a program");
        }
        stdin = stdin.clone();
        env = Map.copyOf(env);
        Objects.requireNonNull(timeout, "timeout");
    }

    public static Command of(List<String> argv, Map<String, String> env) {
        return new Command(argv, new byte[0], env, DEFAULT_TIMEOUT);
    }

    public Command withStdin(byte[] input) {
        return new Command(argv, input, env, timeout);
    }

    public Command withTimeout(Duration limit) {
        return new Command(argv, stdin, env, limit);
    }

    public String program() {
        return argv.get(0);
    }

    @Override
    public byte[] stdin() {
        return stdin.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Command c && argv.equals(c.argv) && Arrays.equals(stdin, c.stdin)
                && env.equals(c.env) && timeout.equals(c.timeout);
    }

    @Override
    public int hashCode() {
        return Objects.hash(argv, Arrays.hashCode(stdin), env, timeout);
    }

    /** Names the program and arguments only: standard input may hold a secret. */
    @Override
    public String toString() {
        return String.join(" ", argv);
    }
}
