package io.jenkins.plugins.icr.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.icr.testbed.TestbedExtension;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * What a cancelled CI job (SIGTERM) or Ctrl-C (SIGINT) does to the packaged icr-login while its command runs: the
 * command gets the signal and ends, the client logs out, the session's folder goes, and icr-login ends with
 * 128 + N. Every wait is for something observable, and bounded.
 */
class SignalsIT {

    @RegisterExtension
    static final TestbedExtension TESTBED = new TestbedExtension();

    @TempDir
    Path work;

    /** A command that ignores SIGTERM, and notes its process id for the cleanup. */
    private static final String IGNORES_TERM = "trap '' TERM; echo $$ > \"$" + Launched.RECORDS + "/command.pid\"; "
            + "echo ready > \"$" + Launched.RECORDS + "/ready\"; while :; do sleep 1; done";

    private Path base;
    private Map<String, String> env;

    /** No command outlives its test: one that ignored the signals is still there after its icr-login. */
    @AfterEach
    void stopWhatIsLeft() throws IOException {
        for (String pid : List.of("command.pid", "sleep.pid")) {
            if (env != null && recorded(pid)) {
                ProcessHandle.of(Long.parseLong(record(pid))).ifPresent(ProcessHandle::destroyForcibly);
            }
        }
    }

    private Process startWaitingCommand(String client, String command) throws IOException {
        env = Launched.environment(work);
        env.put("IBMCLOUD_API_KEY", TESTBED.get().newApiKey());
        base = Files.createDirectories(work.resolve("base"));
        return Launched.start(env, work, List.of("--region", TESTBED.get().host(), "--custom-host",
                "--client", client, "--ca-file", TESTBED.get().pki().caCertificate().toString(),
                "--base-folder", base.toString(), "--", "sh", "-c", command));
    }

    private boolean recorded(String name) {
        return Files.exists(Path.of(env.get(Launched.RECORDS), name));
    }

    private String record(String name) throws IOException {
        return Files.readString(Path.of(env.get(Launched.RECORDS), name), StandardCharsets.UTF_8).strip();
    }

    private List<Path> sessions() throws IOException {
        try (Stream<Path> all = Files.list(base)) {
            return all.filter(p -> p.getFileName().toString().startsWith("icr-")).toList();
        }
    }

    private static void kill(String signal, long pid) throws Exception {
        assertEquals(0, new ProcessBuilder("kill", "-s", signal, Long.toString(pid)).start().waitFor());
    }

    @ParameterizedTest
    @CsvSource({"TERM, 143", "INT, 130"})
    void aSignalEndsTheCommandLogsOutAndRemovesTheFolder(String signal, int exit) throws Exception {
        Launched.wrap(work, "skopeo");
        Process icrLogin = startWaitingCommand("skopeo", "exec sh " + Launched.command(work, true));
        assertTrue(Launched.await(() -> recorded("ready")), "the command did not start");
        assertEquals(1, sessions().size(), "logged in");

        kill(signal, icrLogin.pid());
        Launched.Result result = Launched.finish(icrLogin, work);

        assertEquals(exit, result.exit(), result.stderr());
        assertEquals(signal, record("trapped"), "the command got the signal");
        assertTrue(result.stderr().contains("SIG" + signal + ": stopping the command"), result.stderr());
        Map<String, byte[]> records = Launched.records(env);
        assertTrue(records.keySet().stream().anyMatch(name -> name.startsWith("skopeo")
                && new String(records.get(name), StandardCharsets.UTF_8).contains("logout")), "skopeo logged out");
        assertEquals(List.of(), sessions(), "the session's folder is gone");
        if (signal.equals("TERM")) {
            // The command's own child got it too, as from a CI runner that signals the whole process group.
            long sleep = Long.parseLong(record("sleep.pid"));
            assertTrue(Launched.await(() -> ProcessHandle.of(sleep).map(p -> !p.isAlive()).orElse(true)));
        }
    }

    @Test
    void aCommandThatIgnoresTheSignalIsKilledAfterTheGraceAndTheFolderStillGoes() throws Exception {
        Process icrLogin = startWaitingCommand("auth-file",
                IGNORES_TERM);
        assertTrue(Launched.await(() -> recorded("ready")));

        kill("TERM", icrLogin.pid());
        Launched.Result result = Launched.finish(icrLogin, work);

        assertEquals(143, result.exit(), result.stderr());
        assertTrue(result.stderr().contains("did not end within " + SignalRelay.GRACE.toSeconds() + " s of SIGTERM"),
                result.stderr());
        assertEquals(List.of(), sessions());
    }

    @Test
    void aSecondSignalEndsIcrLoginAtOnceAndTheNextRunSweepsTheFolder() throws Exception {
        Process icrLogin = startWaitingCommand("auth-file",
                IGNORES_TERM);
        assertTrue(Launched.await(() -> recorded("ready")));
        List<Path> left = sessions();

        kill("TERM", icrLogin.pid());
        assertTrue(Launched.await(() -> Launched.stderr(work).contains("SIGTERM: stopping")));
        kill("TERM", icrLogin.pid());
        Launched.Result result = Launched.finish(icrLogin, work);

        assertEquals(143, result.exit(), result.stderr());
        assertFalse(result.stderr().contains("Logged out"), "no cleanup after the second signal");
        assertEquals(left, sessions(), "left for the next run's sweep");
        Files.delete(work.resolve("stderr"));
        Launched.Result next = Launched.run(env, work, List.of("--region", TESTBED.get().host(), "--custom-host",
                "--no-verify", "--base-folder", base.toString(), "--", "true"));
        assertEquals(0, next.exit(), next.stderr());
        assertTrue(next.stderr().contains("Removed " + left.get(0) + ", left by an icr-login that did not finish"),
                next.stderr());
        assertEquals(List.of(), sessions());
    }
}
