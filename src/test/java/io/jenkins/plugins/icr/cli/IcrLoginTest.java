package io.jenkins.plugins.icr.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.icr.testbed.IamEmulator;
import io.jenkins.plugins.icr.testbed.Secrets;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IcrLoginTest {

    private static final String KEY = Secrets.used("0123456789abcdefghijklmnopqrstuvwxyzABCDEFGH");

    @TempDir
    Path base;

    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(Map<String, String> env, String... args) throws InterruptedException {
        int exit = new IcrLogin(env, new PrintStream(err, true, StandardCharsets.UTF_8)).run(List.of(args));
        System.err.print(stderr()); // into the suite's output, which SecretsInOutput searches
        return exit;
    }

    private String stderr() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void runsTheCommandInTheSessionReturnsItsExitCodeAndCleansUp() throws Exception {
        Path seen = base.resolve("seen");
        int exit = run(Map.of("IBMCLOUD_API_KEY", KEY), "--region", "registry.example:5000", "--custom-host",
                "--no-verify", "--base-folder", base.toString(), "--", "sh", "-c",
                "echo \"$ICR_REGISTRY $DOCKER_CONFIG $REGISTRY_AUTH_FILE\" > " + seen + "; exit 3");
        assertEquals(3, exit, stderr());
        String[] env = Files.readString(seen).strip().split(" ");
        assertEquals("registry.example:5000", env[0]);
        assertTrue(env[1].startsWith(base.resolve("icr-").toString()), env[1]);
        assertEquals(env[1] + "/auth.json", env[2]);
        assertFalse(Files.exists(Path.of(env[1])), "the session folder is gone after a failing command");
        assertFalse(stderr().contains(KEY));
    }

    @Test
    void aKeyOnTheCommandLineIsRefused() throws Exception {
        assertEquals(IcrLogin.USAGE, run(Map.of(), "--region", "us-south", "--key", KEY, "--", "true"));
        assertTrue(stderr().contains("visible to every user"), stderr());
        assertFalse(stderr().contains(KEY));
    }

    @Test
    void aMissingKeyOrRegionSaysWhatToDo() throws Exception {
        assertEquals(IcrLogin.LOGIN_FAILED, run(Map.of(), "--region", "us-south", "--", "true"));
        assertTrue(stderr().contains("$IBMCLOUD_API_KEY"), stderr());
        assertEquals(IcrLogin.LOGIN_FAILED, run(Map.of("IBMCLOUD_API_KEY", KEY), "--region", "us-sout", "--", "true"));
        assertTrue(stderr().contains("Did you mean 'us-south'?"), stderr());
        assertEquals(IcrLogin.USAGE, run(Map.of(), "--", "true"));
        assertEquals(List.of(), List.of(base.toFile().list()));
    }

    @Test
    void helpAndVersionNeedNoRegionNorKey() throws Exception {
        PrintStream stdout = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            assertEquals(0, run(Map.of(), "--help"));
            assertEquals(0, run(Map.of(), "--version"));
        } finally {
            System.setOut(stdout);
        }
        String printed = out.toString(StandardCharsets.UTF_8);
        assertTrue(printed.contains("--expose-api-key-as VAR") && printed.contains("128+N"), printed);
        assertTrue(printed.contains("icr-login "), printed);
    }

    @Test
    void theChildrensEnvironmentLosesTheKeyUnderEveryName() {
        Map<String, String> env = Map.of("MY_KEY", KEY, "COPY", " " + KEY + "\n", "IBMCLOUD_API_KEY", "another",
                "PATH", "/usr/bin");
        assertEquals(Map.of("IBMCLOUD_API_KEY", "another", "PATH", "/usr/bin"),
                IcrLogin.withoutKey(env, "MY_KEY", KEY));
    }

    @Test
    void aKeyFileMayEndWithALineBreakWithoutAWarning() throws Exception {
        Path file = Files.writeString(base.resolve("key"), KEY + "\n");
        assertEquals(0, run(Map.of(), "--region", "registry.example:5000", "--custom-host", "--no-verify",
                "--key-file", file.toString(), "--base-folder", base.resolve("sessions").toString(), "--", "true"),
                stderr());
        assertFalse(stderr().contains("warning"), stderr());
    }

    @Test
    void bearerModeHandsTheClientsAnIamTokenOnly() throws Exception {
        try (IamEmulator iam = IamEmulator.start()) {
            String key = iam.createApiKey(IamEmulator.Identity.serviceId("cli", "acct"));
            Path seen = base.resolve("seen");
            int exit = run(Map.of("IBMCLOUD_API_KEY", key), "--region", "registry.example:5000", "--custom-host",
                    "--no-verify", "--mode", "bearer", "--iam-endpoint", iam.baseUrl(), "--base-folder",
                    base.toString(), "--", "sh", "-c", "cp \"$REGISTRY_AUTH_FILE\" " + seen);
            assertEquals(0, exit, stderr());
            String auth = Files.readString(seen).replaceAll("(?s).*\"auth\" : \"([^\"]+)\".*", "$1");
            String login = new String(java.util.Base64.getDecoder().decode(auth), StandardCharsets.UTF_8);
            assertTrue(login.startsWith("iambearer:eyJ") && !login.contains(key), "a token, not the key");
            Files.delete(seen);

            iam.deleteApiKey(key);
            assertEquals(IcrLogin.LOGIN_FAILED, run(Map.of("IBMCLOUD_API_KEY", key), "--region", "us-south",
                    "--mode", "bearer", "--iam-endpoint", iam.baseUrl(), "--base-folder", base.toString(), "--", "true"));
            assertTrue(stderr().contains("BXNIM0415E"), stderr());
            assertFalse(stderr().contains(key));
        }
    }

    /**
     * In-process, as another program would run icr-login, which no {@code System.exit} ends: the renewal's thread
     * ends with {@code run}, and does not wait for a next renewal that is due only later.
     */
    @Test
    void aBearerLoginIsRenewedWhileTheCommandRunsAndTheRenewalEndsWithIt() throws Exception {
        try (IamEmulator iam = IamEmulator.start()) {
            iam.tokenLifetime(Duration.ofSeconds(2));
            String key = iam.createApiKey(IamEmulator.Identity.serviceId("cli", "acct"));
            Path first = base.resolve("first");
            Path later = base.resolve("later");
            int exit = run(Map.of("IBMCLOUD_API_KEY", key), "--region", "registry.example:5000", "--custom-host",
                    "--no-verify", "--mode", "bearer", "--iam-endpoint", iam.baseUrl(), "--base-folder",
                    base.resolve("sessions").toString(), "--", "sh", "-c", "cp \"$REGISTRY_AUTH_FILE\" " + first
                            + " && sleep 3 && cp \"$REGISTRY_AUTH_FILE\" " + later);
            assertEquals(0, exit, stderr());
            // Compared, not shown: a failure must not print the tokens.
            assertFalse(Files.readString(first).equals(Files.readString(later)), "logged in again with a new token");
            assertTrue(stderr().contains("Renewed the IAM login for registry.example:5000, valid until"), stderr());
            for (Thread thread : Thread.getAllStackTraces().keySet()) {
                if (thread.getName().equals("icr-login renewal")) {
                    thread.join(5000);
                    assertFalse(thread.isAlive(), "the renewal's thread outlived icr-login's run");
                }
            }
        }
    }
}
