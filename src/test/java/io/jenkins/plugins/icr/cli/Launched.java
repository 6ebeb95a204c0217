package io.jenkins.plugins.icr.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.icr.testbed.Installed;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * The packaged icr-login as a user runs it: {@code bin/icr-login} of the distribution that {@code package} made
 * ({@code -Dicr.launcher}), in a process of its own, with an environment given in full. What its children saw is
 * recorded by wrappers around the clients and by the command itself, each reading its own {@code /proc/PID}.
 */
final class Launched {

    /** Where the recordings go; the variable is inherited by everything icr-login starts, as the key must not be. */
    static final String RECORDS = "ICR_TEST_RECORDS";
    private static final Duration LIMIT = Duration.ofSeconds(60);

    /** How a run ended and what icr-login printed. */
    record Result(int exit, String stdout, String stderr) {}

    private Launched() {}

    static Path launcher() {
        Path launcher = Path.of(System.getProperty("icr.launcher", "offline/target/icr-login/bin/icr-login"));
        assertTrue(Files.isExecutable(launcher), launcher + " is missing: the integration tests run after package");
        return launcher;
    }

    /**
     * What a CI job's shell would give icr-login: the PATH (with {@code bin} first, for the client wrappers), Java,
     * a home and a temporary folder of its own, and where recordings go. Nothing else of the test JVM's environment.
     */
    static Map<String, String> environment(Path work) throws IOException {
        Map<String, String> env = new HashMap<>();
        env.put("PATH", work.resolve("bin") + ":" + System.getenv("PATH"));
        env.put("JAVA_HOME", System.getProperty("java.home"));
        env.put("HOME", Files.createDirectories(work.resolve("home")).toString());
        env.put(RECORDS, Files.createDirectories(work.resolve("records")).toString());
        env.put("TMPDIR", Files.createDirectories(work.resolve("tmp")).toString()); // where sessions go by default
        // Each test's home is new, so each run would be a first run that builds a start-up archive in the background.
        env.put("ICR_LOGIN_CACHE", "");
        Files.createDirectories(work.resolve("bin"));
        return env;
    }

    /**
     * Starts the launcher with SIGINT, SIGTERM and SIGHUP at their default actions, as an interactive shell starts
     * a command: a build tool started in the background may have left SIGINT ignored, and ignored it would stay.
     */
    static Process start(Map<String, String> env, Path work, List<String> args) throws IOException {
        return start(env, work, launcher(), args);
    }

    /** The same, through another path to the launcher: a symbolic link, as users install it. */
    static Process start(Map<String, String> env, Path work, Path launcher, List<String> args) throws IOException {
        List<String> argv = new ArrayList<>(List.of("env", "--default-signal=INT,TERM,HUP", launcher.toString()));
        argv.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(argv)
                .redirectOutput(work.resolve("stdout").toFile())
                .redirectError(work.resolve("stderr").toFile())
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        builder.environment().clear();
        builder.environment().putAll(env);
        return builder.start();
    }

    /** Waits for the end, a bounded time, and prints stderr into the suite's output, which SecretsInOutput searches. */
    static Result finish(Process process, Path work) throws IOException, InterruptedException {
        boolean ended = process.waitFor(LIMIT.toSeconds(), TimeUnit.SECONDS);
        if (!ended) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
        String stderr = Files.readString(work.resolve("stderr"));
        System.out.print(stderr);
        assertTrue(ended, "icr-login did not end within " + LIMIT.toSeconds() + " s: " + stderr);
        return new Result(process.exitValue(), Files.readString(work.resolve("stdout")), stderr);
    }

    /** What icr-login has written to stderr so far. */
    static String stderr(Path work) {
        try {
            return Files.readString(work.resolve("stderr"));
        } catch (IOException e) {
            return "";
        }
    }

    static Result run(Map<String, String> env, Path work, List<String> args) throws IOException, InterruptedException {
        return finish(start(env, work, args), work);
    }

    /** Puts a wrapper named like the program first on the PATH: it records itself, then runs the real program. */
    static void wrap(Path work, String program) throws IOException {
        String real = Installed.find(program).orElseThrow();
        script(Files.createDirectories(work.resolve("bin")).resolve(program), String.join("\n",
                "#!/bin/sh",
                "cat /proc/$$/environ > \"$" + RECORDS + "/" + program + "-$$.environ\"",
                "cat /proc/$$/cmdline > \"$" + RECORDS + "/" + program + "-$$.cmdline\"",
                "exec " + real + " \"$@\"",
                ""));
    }

    /** Programs a launcher script might run before java: they are wrapped to see whether it does. */
    static final List<String> LAUNCHER_TOOLS = List.of("ls", "sed", "mkdir", "readlink", "realpath", "dirname",
            "basename", "awk", "grep", "cut", "tr", "head", "uname", "expr", "id");

    /**
     * Wraps {@link #LAUNCHER_TOOLS} as {@link #wrap} wraps a client, recording as {@code launcher-PROGRAM-PID}. The
     * records folder and {@code cat} are written into each wrapper: a program the launcher starts may be given no
     * variables at all, not even the records folder's.
     */
    static void wrapLauncherTools(Path work, Map<String, String> env) throws IOException {
        String cat = Installed.find("cat").orElseThrow();
        String records = env.get(RECORDS);
        for (String program : LAUNCHER_TOOLS) {
            var real = Installed.find(program);
            if (real.isEmpty()) {
                continue;
            }
            String record = records + "/launcher-" + program + "-$$";
            script(Files.createDirectories(work.resolve("bin")).resolve(program), String.join("\n",
                    "#!/bin/sh",
                    cat + " /proc/$$/environ > \"" + record + ".environ\"",
                    cat + " /proc/$$/cmdline > \"" + record + ".cmdline\"",
                    "exec " + real.get() + " \"$@\"",
                    ""));
        }
    }

    /**
     * A Java home whose {@code bin/java} records its environment, which is the JVM's, as {@code java.environ}, then
     * runs the real java: the JDK hands the JVM's whole environment to the helper that starts each child.
     */
    static Path recordingJava(Path work, Map<String, String> env) throws IOException {
        Path home = work.resolve("jdk");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        script(Files.createDirectories(home.resolve("bin")).resolve("java"), String.join("\n",
                "#!/bin/sh",
                Installed.find("cat").orElseThrow() + " /proc/$$/environ > \"" + env.get(RECORDS) + "/java.environ\"",
                "exec " + java + " \"$@\"",
                ""));
        return home;
    }

    /**
     * The user's command: it records itself and a child of its own, then keeps the session's docker config. With
     * {@code wait}, it waits for a signal (which it records) and tells when it is ready for one.
     */
    static Path command(Path work, boolean wait) throws IOException {
        String records = "\"$" + RECORDS + "\"";
        return script(work.resolve("command.sh"), String.join("\n",
                "#!/bin/sh",
                "cat /proc/$$/environ > " + records + "/command.environ",
                "cat /proc/$$/cmdline > " + records + "/command.cmdline",
                "sh -c 'cat /proc/$$/environ > " + records + "/grandchild.environ; "
                        + "cat /proc/$$/cmdline > " + records + "/grandchild.cmdline' &",
                "wait",
                "cp \"$DOCKER_CONFIG/config.json\" " + records + "/config.json",
                wait ? "trap 'echo TERM > " + records + "/trapped; exit 143' TERM" : "",
                wait ? "trap 'echo INT > " + records + "/trapped; exit 130' INT" : "",
                wait ? "sleep 30 & echo $! > " + records + "/sleep.pid" : "",
                wait ? "echo ready > " + records + "/ready; wait" : "",
                ""));
    }

    static Path script(Path file, String content) throws IOException {
        Files.writeString(file, content, StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwx------"));
        return file;
    }

    /** Every recording, name to content: {@code skopeo-123.environ}, {@code command.cmdline}... */
    static Map<String, byte[]> records(Map<String, String> env) throws IOException {
        Map<String, byte[]> all = new HashMap<>();
        try (var files = Files.list(Path.of(env.get(RECORDS)))) {
            for (Path file : (Iterable<Path>) files::iterator) {
                all.put(file.getFileName().toString(), Files.readAllBytes(file));
            }
        }
        return all;
    }

    /** Polls, a bounded time, for something a test can observe; false when it never came. */
    static boolean await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + LIMIT.toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return true;
            }
            Thread.sleep(20);
        }
        return condition.getAsBoolean();
    }
}
