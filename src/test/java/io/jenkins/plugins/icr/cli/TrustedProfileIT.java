package io.jenkins.plugins.icr.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.icr.login.Client;
import io.jenkins.plugins.icr.testbed.ArgvSampler;
import io.jenkins.plugins.icr.testbed.IamEmulator;
import io.jenkins.plugins.icr.testbed.Installed;
import io.jenkins.plugins.icr.testbed.TestCluster;
import io.jenkins.plugins.icr.testbed.TestImage;
import io.jenkins.plugins.icr.testbed.TestbedExtension;
import io.jenkins.plugins.icr.testbed.VpcMetadataEmulator;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The packaged icr-login with no API key: {@code --trusted-profile} with a pod's service account token file, and
 * with a VPC instance's metadata service (emulated). A command longer than two IAM token lifetimes keeps pushing
 * while the token file is rotated under it, because every renewal reads the file again; and neither the service
 * account token nor any IAM token is in any process's arguments or environment, nor in what icr-login printed.
 */
class TrustedProfileIT {

    private static final Duration LIFETIME = Duration.ofSeconds(3);

    @RegisterExtension
    static final TestbedExtension TESTBED = new TestbedExtension();
    private static String image;
    private static TestCluster cluster;
    private static IamEmulator.Profile profile;

    @TempDir
    Path work;

    @BeforeAll
    static void setUp() throws Exception {
        image = TestImage.create(TESTBED.get().newFolder("image"), "pushed with no API key at all");
        cluster = TestCluster.create();
        TESTBED.get().iam().trust(cluster);
        profile = TESTBED.get().iam().createProfile("ci-pusher", new IamEmulator.Link(cluster.id(), "ci", "jenkins"));
    }

    @AfterEach
    void hourTokens() {
        TESTBED.get().iam().tokenLifetime(Duration.ofHours(1));
    }

    private List<String> login(Client client, Path base, String... more) {
        List<String> args = new ArrayList<>(List.of("--region", TESTBED.get().host(), "--custom-host",
                "--client", client.id(), "--ca-file", TESTBED.get().pki().caCertificate().toString(),
                "--iam-endpoint", TESTBED.get().iam().baseUrl(), "--base-folder", base.toString()));
        args.addAll(List.of(more));
        return args;
    }

    private String push(Path certs, String repository) {
        return "skopeo copy --dest-cert-dir " + certs + " " + image + " docker://$ICR_REGISTRY/" + repository + ":1";
    }

    @ParameterizedTest
    @EnumSource(value = Client.class, names = {"AUTH_FILE", "SKOPEO"})
    void aCommandLongerThanTwoTokenLifetimesKeepsPushingWhileTheTokenFileIsRotated(Client client) throws Exception {
        Installed.require("skopeo", "skopeo");
        TESTBED.get().iam().tokenLifetime(LIFETIME);
        Path tokens = Files.createDirectories(work.resolve("tokens"));
        String first = cluster.serviceAccountToken("ci", "jenkins", Duration.ofMinutes(10));
        String second = cluster.serviceAccountToken("ci", "jenkins", Duration.ofMinutes(10));
        String third = cluster.serviceAccountToken("ci", "jenkins", Duration.ofMinutes(10));
        Path file = Files.writeString(tokens.resolve("sa-token"), first);
        Files.writeString(work.resolve("second"), second);
        Files.writeString(work.resolve("third"), third);
        Map<String, String> env = Launched.environment(work);
        Launched.wrap(work, "skopeo");
        Path certs = Files.createDirectories(work.resolve("certs"));
        Files.copy(TESTBED.get().pki().caCertificate(), certs.resolve("ca.crt"));
        String records = "\"$" + Launched.RECORDS + "\"";
        String push = push(certs, "keyless/cli-" + client.id());
        // The kubelet's rotation, done by the command itself between its pushes: cp is atomic enough for a file
        // read whole, and the order of events is the command's, not a race with this test.
        String command = String.join(" && ", "cat /proc/$$/environ > " + records + "/command.environ", push,
                "cp " + work.resolve("second") + " " + file, "sleep " + LIFETIME.multipliedBy(2).toSeconds(), push,
                "cp " + work.resolve("third") + " " + file, "sleep " + LIFETIME.toSeconds(), push);
        Path base = Files.createDirectories(work.resolve("base"));

        Launched.Result result;
        Set<String> hits;
        try (ArgvSampler sampler = ArgvSampler.watch(first, second, third)) {
            result = Launched.run(env, work, login(client, base, "--trusted-profile", profile.id(),
                    "--cr-token-file", file.toString(), "--", "sh", "-c", command));
            hits = sampler.hits();
        }

        assertEquals(0, result.exit(), "all three pushes worked: " + result.stderr());
        long renewals = result.stderr().lines()
                .filter(l -> l.startsWith("icr-login: Renewed the IAM login for " + TESTBED.get().host())).count();
        assertTrue(renewals >= 2, "renewed at least twice: " + result.stderr());
        assertTrue(TESTBED.get().iam().sawCrToken(second) && TESTBED.get().iam().sawCrToken(third),
                "each renewal read the rotated file");
        assertEquals(Set.of(), hits, "no process had a service account token in its argv or environment");
        assertNoSecretIn(result.stderr() + result.stdout(), "icr-login's output", first, second, third);
        Launched.records(env).forEach((name, content) -> assertNoSecretIn(
                new String(content, StandardCharsets.UTF_8), name, first, second, third));
        assertEquals(List.of(), Files.list(base).toList(), "the session's folder is gone");
        List<String> lines = result.stderr().lines().toList();
        assertEquals("icr-login: Logged out of " + TESTBED.get().host() + " and removed the session's folder.",
                lines.get(lines.size() - 1), "no renewal after the logout: " + result.stderr());
    }

    @Test
    void aVpcInstanceLogsInThroughItsMetadataService() throws Exception {
        Installed.require("skopeo", "skopeo");
        try (VpcMetadataEmulator vpc = VpcMetadataEmulator.start(TESTBED.get().iam())) {
            vpc.link(profile);
            Map<String, String> env = Launched.environment(work);
            Launched.wrap(work, "skopeo");
            Path certs = Files.createDirectories(work.resolve("certs"));
            Files.copy(TESTBED.get().pki().caCertificate(), certs.resolve("ca.crt"));
            String records = "\"$" + Launched.RECORDS + "\"";
            Path base = Files.createDirectories(work.resolve("base"));

            Launched.Result result = Launched.run(env, work, login(Client.SKOPEO, base, "--trusted-profile",
                    profile.crn(), "--vpc-metadata", vpc.baseUrl(), "--", "sh", "-c",
                    "cat /proc/$$/environ > " + records + "/command.environ && " + push(certs, "keyless/vpc")));

            assertEquals(0, result.exit(), result.stderr());
            assertEquals(1, vpc.iamTokenCount());
            assertNoSecretIn(result.stderr() + result.stdout(), "icr-login's output");
            Launched.records(env).forEach((name, content) -> assertNoSecretIn(
                    new String(content, StandardCharsets.UTF_8), name));
            assertEquals(List.of(), Files.list(base).toList(), "the session's folder is gone");
        }
    }

    /** Every mistake of a keyless login, as the packaged icr-login reports it: in its own words, with its fix. */
    @Test
    void everyErrorNamesTheFlagsAndSaysWhatToDo() throws Exception {
        Path wrongNamespace = Files.writeString(work.resolve("other-namespace"),
                cluster.serviceAccountToken("other", "jenkins", Duration.ofMinutes(10)));
        int closed;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = socket.getLocalPort();
        }
        Path base = Files.createDirectories(work.resolve("base"));
        record Case(String name, List<String> args, int exit, List<String> says) {}
        List<Case> cases = List.of(
                new Case("no token file", login(Client.AUTH_FILE, base, "--trusted-profile", profile.id(),
                        "--cr-token-file", work.resolve("none").toString(), "--", "true"), 2,
                        List.of("There is no service account token at " + work.resolve("none"), "--cr-token-file",
                                "- serviceAccountToken:", "audience: iam")),
                new Case("wrong namespace", login(Client.AUTH_FILE, base, "--trusted-profile", profile.id(),
                        "--cr-token-file", wrongNamespace.toString(), "--", "true"), 2,
                        List.of("would not give the trusted profile " + profile.id()
                                + " to the service account jenkins in namespace other", "--trusted-profile")),
                new Case("metadata silent", login(Client.AUTH_FILE, base, "--trusted-profile", profile.id(),
                        "--vpc-metadata", "http://127.0.0.1:" + closed, "--", "true"), 2,
                        List.of("did not answer", "--vpc-metadata works only on a VPC virtual server")),
                new Case("pull secret", login(Client.AUTH_FILE, base, "--trusted-profile", profile.id(),
                        "--pull-secret", "icr-pull", "--", "true"), 64, List.of("expires within the hour")),
                new Case("key file", login(Client.AUTH_FILE, base, "--trusted-profile", profile.id(),
                        "--key-file", "/k", "--", "true"), 64, List.of("--key-file gives an API key")));
        List<String> stepWords = CommandLineErrorsIT.jenkinsWords();
        List<String> wrong = new ArrayList<>();
        for (Case c : cases) {
            Path dir = Files.createDirectories(work.resolve(c.name().replace(' ', '-')));
            Launched.Result result = Launched.run(Launched.environment(dir), dir, c.args());
            String said = result.stderr();
            if (result.exit() != c.exit() || !c.says().stream().allMatch(said::contains)) {
                wrong.add(c.name() + ": exit " + result.exit() + ", said: " + said);
            }
            stepWords.stream().filter(said::contains).forEach(w -> wrong.add(c.name() + ": names '" + w + "'"));
        }
        assertEquals(List.of(), wrong);
        assertEquals(List.of(), Files.list(base).toList(), "no session was left");
    }

    /** Neither the given secrets nor any IAM token issued so far, as is or inside a base64 auth value. */
    private static void assertNoSecretIn(String text, String where, String... secrets) {
        List<String> all = new ArrayList<>(List.of(secrets));
        all.addAll(TESTBED.get().iam().issuedAccessTokens());
        for (String secret : all) {
            String basic = Base64.getEncoder().encodeToString(("iambearer:" + secret).getBytes(StandardCharsets.UTF_8));
            assertFalse(text.contains(secret) || text.contains(basic), where + " holds a token");
        }
    }
}
