package io.jenkins.plugins.icr.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.icr.login.Client;
import io.jenkins.plugins.icr.testbed.Installed;
import io.jenkins.plugins.icr.testbed.TestImage;
import io.jenkins.plugins.icr.testbed.TestbedExtension;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@code icr-login --mode bearer} outlives its IAM token: the testbed's IAM issues three-second tokens, and the
 * command pushes with skopeo at its start, after two token lifetimes and after three, because icr-login renewed the
 * login meanwhile, one line per renewal. The key stays in icr-login, no token reaches its log, and nothing of the
 * renewal runs after the logout.
 */
class BearerRenewalIT {

    private static final Duration LIFETIME = Duration.ofSeconds(3);

    @RegisterExtension
    static final TestbedExtension TESTBED = new TestbedExtension();
    private static String image;

    @TempDir
    Path work;

    @BeforeAll
    static void image() throws Exception {
        image = TestImage.create(TESTBED.get().newFolder("image"), "pushed while icr-login renewed its token");
    }

    /** icr-login is another process, but its IAM is this JVM's emulator. */
    @BeforeEach
    void shortTokens() {
        TESTBED.get().iam().tokenLifetime(LIFETIME);
    }

    @AfterEach
    void hourTokens() {
        TESTBED.get().iam().tokenLifetime(Duration.ofHours(1));
    }

    @ParameterizedTest
    @EnumSource(value = Client.class, names = {"AUTH_FILE", "SKOPEO"})
    void aCommandLongerThanThreeTokenLifetimesKeepsPushing(Client client) throws Exception {
        Installed.require("skopeo", "skopeo");
        String key = TESTBED.get().newApiKey();
        Map<String, String> env = Launched.environment(work);
        env.put("IBMCLOUD_API_KEY", key);
        Launched.wrap(work, "skopeo"); // records the pushes, and with --client skopeo every login and the logout
        Path certs = Files.createDirectories(work.resolve("certs"));
        Files.copy(TESTBED.get().pki().caCertificate(), certs.resolve("ca.crt"));
        String records = "\"$" + Launched.RECORDS + "\"";
        String push = "skopeo copy --dest-cert-dir " + certs + " " + image
                + " docker://$ICR_REGISTRY/renewal/cli-" + client.id() + ":1";
        // The first token was made before the command started: the second push comes after it and its first
        // renewal have expired, the third a lifetime later.
        String command = String.join(" && ", "cat /proc/$$/environ > " + records + "/command.environ", push,
                "sleep " + LIFETIME.multipliedBy(2).toSeconds(), push, "sleep " + LIFETIME.toSeconds(), push,
                "date +%s%3N > " + records + "/ended");
        Path base = Files.createDirectories(work.resolve("base"));

        Process icrLogin = Launched.start(env, work, List.of("--region", TESTBED.get().host(), "--custom-host",
                "--client", client.id(), "--ca-file", TESTBED.get().pki().caCertificate().toString(),
                "--mode", "bearer", "--iam-endpoint", TESTBED.get().iam().baseUrl(),
                "--base-folder", base.toString(), "--", "sh", "-c", command));
        CompletableFuture<Long> exited = icrLogin.onExit().thenApply(p -> System.currentTimeMillis());
        Launched.Result result = Launched.finish(icrLogin, work);

        assertEquals(0, result.exit(), "all three pushes worked: " + result.stderr());
        long renewals = result.stderr().lines()
                .filter(l -> l.startsWith("icr-login: Renewed the IAM login for " + TESTBED.get().host() + ", valid until"))
                .count();
        assertTrue(renewals >= 2, "the login was renewed before the second push: " + result.stderr());
        assertFalse(result.stderr().contains("again as"), "one line per renewal: " + result.stderr());
        assertFalse(result.stderr().contains("eyJ") || result.stderr().contains(key), "no token, no key in the log");
        assertLoggedOutLast(result);
        assertEquals(List.of(), Files.list(base).toList(), "the session's folder is gone");

        Map<String, byte[]> recorded = Launched.records(env);
        recorded.forEach((name, content) -> assertFalse(new String(content, StandardCharsets.UTF_8).contains(key),
                name + " holds the key"));
        assertTrue(recorded.containsKey("command.environ"));
        if (client == Client.SKOPEO) {
            long logins = recorded.entrySet().stream().filter(e -> e.getKey().endsWith(".cmdline")
                    && new String(e.getValue(), StandardCharsets.UTF_8).contains("login")).count();
            assertTrue(logins > renewals, "skopeo logged in again at each renewal: " + logins + " logins");
        }
        long ended = Long.parseLong(new String(recorded.get("ended"), StandardCharsets.US_ASCII).strip());
        System.out.printf("icr-login --client %s --mode bearer: %d renewals; it ended %d ms after its command%n",
                client.id(), renewals, exited.get() - ended);
    }

    @Test
    void aSignalStopsTheRenewalsBeforeTheLogout() throws Exception {
        Map<String, String> env = Launched.environment(work);
        env.put("IBMCLOUD_API_KEY", TESTBED.get().newApiKey());
        Path base = Files.createDirectories(work.resolve("base"));
        Process icrLogin = Launched.start(env, work, List.of("--region", TESTBED.get().host(), "--custom-host",
                "--client", "skopeo", "--ca-file", TESTBED.get().pki().caCertificate().toString(),
                "--mode", "bearer", "--iam-endpoint", TESTBED.get().iam().baseUrl(),
                "--base-folder", base.toString(), "--", "sh", "-c", "while :; do sleep 1; done"));
        boolean renewed = Launched.await(() -> Launched.stderr(work).contains("Renewed the IAM login"));

        assertEquals(0, new ProcessBuilder("kill", "-s", "TERM", Long.toString(icrLogin.pid())).start().waitFor());
        Launched.Result result = Launched.finish(icrLogin, work);

        assertTrue(renewed, "a renewal ran before the signal: " + result.stderr());
        assertEquals(143, result.exit(), result.stderr());
        assertLoggedOutLast(result);
        assertEquals(List.of(), Files.list(base).toList(), "the session's folder is gone");
    }

    /** The logout is icr-login's last word: no renewal ran, failed or was logged after it. */
    private static void assertLoggedOutLast(Launched.Result result) {
        List<String> lines = result.stderr().lines().toList();
        assertEquals("icr-login: Logged out of " + TESTBED.get().host() + " and removed the session's folder.",
                lines.get(lines.size() - 1), result.stderr());
    }
}
