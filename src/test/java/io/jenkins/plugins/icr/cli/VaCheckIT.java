package io.jenkins.plugins.icr.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jenkins.plugins.icr.testbed.TestbedExtension;
import io.jenkins.plugins.icr.testbed.VaEmulator.Cve;
import io.jenkins.plugins.icr.testbed.VaEmulator.Pending;
import io.jenkins.plugins.icr.testbed.VaEmulator.Scan;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code icr-login va}, the packaged launcher against the testbed: an image pushed to the real registry, its verdict
 * from the Vulnerability Advisor emulator, IAM tokens from the IAM emulator. Each way the check ends has its own
 * exit status; the table is the step's; {@code --json} is for machines; no process but the JVM holds the key.
 */
class VaCheckIT {

    @RegisterExtension
    static final TestbedExtension TESTBED = new TestbedExtension();
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path work;

    /** A new repository with one pushed image, VA's answer scripted for its digest: the image's name by digest. */
    private static String pushed(String key, Scan scan) throws Exception {
        String repository = "ns/va-" + UUID.randomUUID().toString().substring(0, 8);
        String digest = TESTBED.get().push(key, repository, "1", repository);
        TESTBED.get().va().script(digest, scan);
        return TESTBED.get().host() + "/" + repository + "@" + digest;
    }

    /** icr-login va IMAGE, with the testbed's IAM, VA and CA, and more options. */
    private Launched.Result va(String key, String image, String... more) throws Exception {
        Path dir = Files.createDirectories(work.resolve(UUID.randomUUID().toString()));
        Map<String, String> env = Launched.environment(dir);
        env.put("IBMCLOUD_API_KEY", key);
        Launched.wrapLauncherTools(dir, env);
        List<String> args = new ArrayList<>(List.of("va", image, "--custom-host", "--ca-file",
                TESTBED.get().pki().caCertificate().toString(), "--iam-endpoint", TESTBED.get().iam().baseUrl(),
                "--va-endpoint", TESTBED.get().va().endpoint()));
        args.addAll(List.of(more));
        Launched.Result result = Launched.run(env, dir, args);
        for (String shown : List.of(result.stdout(), result.stderr())) {
            assertFalse(shown.contains(key), "the key was printed: " + shown);
        }
        Launched.records(env).forEach((name, content) -> assertFalse(
                new String(content, StandardCharsets.UTF_8).contains(key), name + " holds the key"));
        return result;
    }

    @Test
    void eachVerdictHasItsExitStatusAndTheStepsTable() throws Exception {
        String key = TESTBED.get().newApiKey();
        // A scan that is pending once: the check waits for it (its first pause, 2 s), as the step does.
        String ok = pushed(key, Scan.of("OK").pendingFor(1, Pending.NOT_SCANNED));
        Launched.Result passed = va(key, ok);
        assertEquals(0, passed.exit(), passed.stderr());
        assertTrue(passed.stderr().contains("icr-login: Waiting for Vulnerability Advisor to scan " + ok),
                passed.stderr());
        assertTrue(passed.stdout().startsWith("Vulnerability Advisor: OK for " + ok), passed.stdout());
        assertTrue(passed.stdout().contains("Vulnerability Advisor's verdict on " + ok + " is OK."), passed.stdout());

        String fail = pushed(key, Scan.of("FAIL",
                Cve.of("CVE-2024-0001", "openssl", "3.0.11-1~deb12u1", "3.0.13-1~deb12u1"),
                Cve.of("CVE-2024-0003", "libc6", "2.36-9", "2.36-9+deb12u4").exempt()));
        Launched.Result failed = va(key, fail);
        assertEquals(1, failed.exit(), failed.stderr());
        assertTrue(failed.stdout().matches("(?s).*CVE-2024-0001 +openssl +3\\.0\\.11-1~deb12u1 +3\\.0\\.13-1~deb12u1"
                + " +no.*"), failed.stdout());
        assertTrue(failed.stdout().contains("vulnerabilities 1, exempt 1"), failed.stdout());
        assertTrue(failed.stdout().contains("is FAIL: icr-login va fails (--on-fail)."), failed.stdout());
        assertEquals(3, va(key, fail, "--on-fail", "warn").exit(), "--on-fail warn");
        assertEquals(0, va(key, fail, "--on-fail=pass").exit(), "--on-fail pass");

        String warn = pushed(key, Scan.of("WARN"));
        assertEquals(3, va(key, warn).exit(), "WARN warns by default");
        assertEquals(1, va(key, warn, "--on-warn", "FAILURE").exit(), "the step's words work too");

        String unsupported = pushed(key, Scan.of("UNSUPPORTED"));
        Launched.Result unscannable = va(key, unsupported);
        assertEquals(4, unscannable.exit(), unscannable.stderr());
        assertTrue(unscannable.stdout().contains("Vulnerability Advisor cannot scan " + unsupported),
                unscannable.stdout());
        assertEquals(1, va(key, unsupported, "--on-unsupported", "fail").exit());

        String slow = pushed(key, Scan.of("OK").pendingFor(1_000, Pending.INCOMPLETE));
        Launched.Result timedOut = va(key, slow, "--timeout", "0");
        assertEquals(5, timedOut.exit(), timedOut.stderr());
        assertTrue(timedOut.stderr().contains("Raise --timeout, or look at the image with ibmcloud cr va."),
                timedOut.stderr());

        Launched.Result missing = va(key, TESTBED.get().host() + "/ns/never-pushed:1");
        assertEquals(2, missing.exit(), missing.stderr());
        assertTrue(missing.stderr().contains("has no repository ns/never-pushed"), missing.stderr());
    }

    /** A cancelled CI job: SIGTERM during the wait ends the check at once, by that signal. */
    @Test
    void aSignalDuringTheWaitEndsItByThatSignal() throws Exception {
        String key = TESTBED.get().newApiKey();
        String slow = pushed(key, Scan.of("OK").pendingFor(1_000, Pending.NOT_SCANNED));
        Map<String, String> env = Launched.environment(work);
        env.put("IBMCLOUD_API_KEY", key);
        Process check = Launched.start(env, work, List.of("va", slow, "--custom-host", "--ca-file",
                TESTBED.get().pki().caCertificate().toString(), "--iam-endpoint", TESTBED.get().iam().baseUrl(),
                "--va-endpoint", TESTBED.get().va().endpoint()));
        assertTrue(Launched.await(() -> Launched.stderr(work).contains("Waiting for Vulnerability Advisor")),
                "the wait began: " + Launched.stderr(work));

        check.destroy(); // SIGTERM
        Launched.Result result = Launched.finish(check, work);

        assertEquals(143, result.exit(), result.stderr());
        assertTrue(result.stderr().contains("icr-login: SIGTERM: stopping the wait for Vulnerability Advisor."),
                result.stderr());
    }

    @Test
    void jsonGivesMachinesTheVerdictAndEveryCveWhilePeopleGetTheTableOnStandardError() throws Exception {
        String key = TESTBED.get().newApiKey();
        String fail = pushed(key, Scan.of("FAIL",
                Cve.of("CVE-2024-0001", "openssl", "3.0.11-1~deb12u1", "3.0.13-1~deb12u1"),
                Cve.of("CVE-2023-0002", "zlib1g", "1:1.2.13.dfsg-1", "1:1.2.13.dfsg-3"),
                Cve.of("CVE-2024-0003", "libc6", "2.36-9", "2.36-9+deb12u4").exempt()));
        Launched.Result result = va(key, fail, "--json");

        assertEquals(1, result.exit(), result.stderr());
        JsonNode json = JSON.readTree(result.stdout());
        assertEquals("failed", json.path("result").asText());
        assertEquals(1, json.path("exitCode").asInt());
        assertEquals(fail, json.path("image").asText());
        assertEquals(fail.substring(fail.indexOf('@') + 1), json.path("digest").asText());
        assertEquals("FAIL", json.path("status").asText());
        assertEquals("--on-fail", json.path("option").asText());
        assertEquals(2, json.at("/summary/vulnerabilities").asInt());
        assertEquals(1, json.at("/summary/exemptVulnerabilities").asInt());
        assertEquals(2, json.at("/summary/packagesToUpdate").asInt());
        List<String> cves = new ArrayList<>();
        json.path("vulnerabilities").forEach(v -> cves.add(v.path("cve").asText() + " " + v.path("exemption").asText()
                + " " + v.at("/packages/0/name").asText() + " " + v.at("/packages/0/fixedIn").asText()));
        assertEquals(List.of("CVE-2024-0001 ACTIVE openssl 3.0.13-1~deb12u1",
                "CVE-2023-0002 ACTIVE zlib1g 1:1.2.13.dfsg-3", "CVE-2024-0003 EXEMPT libc6 2.36-9+deb12u4"), cves);
        assertTrue(result.stderr().contains("Vulnerability Advisor: FAIL for " + fail), result.stderr());

        String slow = pushed(key, Scan.of("OK").pendingFor(1_000, Pending.NOT_SCANNED));
        Launched.Result timedOut = va(key, slow, "--timeout=0s", "--json");
        assertEquals(5, timedOut.exit(), timedOut.stderr());
        JsonNode none = JSON.readTree(timedOut.stdout());
        assertEquals("timedOut", none.path("result").asText());
        assertEquals(5, none.path("exitCode").asInt());
        assertTrue(none.path("message").asText().startsWith("Vulnerability Advisor had no verdict on " + slow),
                none.toString());
    }
}
