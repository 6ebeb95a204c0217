package io.jenkins.plugins.icr.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.icr.iam.TrustedProfile;
import io.jenkins.plugins.icr.testbed.IamEmulator;
import io.jenkins.plugins.icr.testbed.TestCluster;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code icr-login --trusted-profile}: its options, what they refuse and why, and a login in this JVM. */
class TrustedProfileLoginTest {

    @TempDir
    Path base;

    private static List<String> line(String... options) {
        List<String> all = new java.util.ArrayList<>(List.of("--region", "us-south"));
        all.addAll(List.of(options));
        all.addAll(List.of("--", "true"));
        return all;
    }

    @Test
    void theProfileAndWhereItsTokenComesFromAreParsed() {
        assertEquals(new TrustedProfile("Profile-1", new TrustedProfile.TokenFile("/t"), "https://iam.test.cloud.ibm.com"),
                Options.parse(line("--trusted-profile", "Profile-1", "--cr-token-file", "/t", "--iam-endpoint",
                        "https://iam.test.cloud.ibm.com")).trustedProfile().orElseThrow());
        assertEquals(TrustedProfile.TokenFile.defaults(),
                Options.parse(line("--trusted-profile", "ci")).trustedProfile().orElseThrow().source());
        assertEquals(new TrustedProfile.VpcMetadata(null),
                Options.parse(line("--trusted-profile", "Profile-1", "--vpc-metadata")).trustedProfile().orElseThrow()
                        .source(), "no URL: the metadata service's own address");
        assertEquals(new TrustedProfile.VpcMetadata("http://127.0.0.1:9"),
                Options.parse(line("--trusted-profile", "Profile-1", "--vpc-metadata", "http://127.0.0.1:9"))
                        .trustedProfile().orElseThrow().source());
        assertEquals(new TrustedProfile.VpcMetadata("https://api.metadata.cloud.ibm.com"),
                Options.parse(line("--vpc-metadata=https://api.metadata.cloud.ibm.com", "--trusted-profile=P"))
                        .trustedProfile().orElseThrow().source());
        assertTrue(Options.parse(line()).trustedProfile().isEmpty());
    }

    @Test
    void whatCannotGoWithATrustedProfileIsRefusedWithTheReason() {
        Map<List<String>, String> refused = Map.of(
                line("--trusted-profile", "P", "--key-file", "/k"), "--key-file gives an API key, but --trusted-profile",
                line("--trusted-profile", "P", "--key-env", "K"), "--key-env gives an API key",
                line("--trusted-profile", "P", "--expose-api-key-as", "K"), "--expose-api-key-as gives an API key",
                line("--trusted-profile", "P", "--pull-secret", "icr-pull"), "the secret would hold an IAM token",
                line("--trusted-profile", "P", "--mode", "apikey"), "it is always bearer. Drop --mode.",
                line("--trusted-profile", "P", "--cr-token-file", "/t", "--vpc-metadata"), "not both",
                line("--cr-token-file", "/t"), "--cr-token-file says where a trusted profile's token comes from",
                line("--vpc-metadata"), "--vpc-metadata says where",
                line("--trusted-profile", " "), "--trusted-profile takes the profile's ID");
        refused.forEach((args, says) -> {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Options.parse(args));
            assertTrue(e.getMessage().contains(says), args + ": " + e.getMessage());
        });
        assertEquals(new TrustedProfile.TokenFile(null), Options.parse(line("--trusted-profile", "P", "--mode",
                "bearer")).trustedProfile().orElseThrow().source(), "--mode bearer is what it is anyway");
    }

    @Test
    void aLoginWritesOnlyTheIamTokenAndTheCommandGetsNoTokenOfAnyKind() throws Exception {
        try (IamEmulator iam = IamEmulator.start()) {
            TestCluster cluster = TestCluster.create();
            iam.trust(cluster);
            iam.createProfile("ci-pusher",
                    new IamEmulator.Link(cluster.id(), "ci", "jenkins"));
            String crToken = cluster.serviceAccountToken("ci", "jenkins", Duration.ofHours(1));
            Path file = Files.writeString(base.resolve("sa-token"), crToken);
            Path seen = base.resolve("seen");
            ByteArrayOutputStream err = new ByteArrayOutputStream();

            int exit = new IcrLogin(Map.of("PATH", System.getenv("PATH")), new PrintStream(err, true,
                    StandardCharsets.UTF_8)).run(List.of("--region", "registry.example:5000", "--custom-host",
                    "--no-verify", "--trusted-profile", "ci-pusher", "--cr-token-file", file.toString(),
                    "--iam-endpoint", iam.baseUrl(), "--base-folder", Files.createDirectories(base.resolve("s")).toString(),
                    "--", "sh", "-c", "{ cat \"$REGISTRY_AUTH_FILE\"; echo; env; } > " + seen));
            String said = err.toString(StandardCharsets.UTF_8);
            System.err.print(said);

            assertEquals(0, exit, said);
            String auth = Files.readString(seen);
            String token = iam.issuedAccessTokens().iterator().next();
            String basic = Base64.getEncoder().encodeToString(("iambearer:" + token).getBytes(StandardCharsets.UTF_8));
            assertTrue(auth.contains(basic), "the session logs in as iambearer with the profile's token");
            assertEquals(1, auth.split(java.util.regex.Pattern.quote(token), -1).length - 1 + auth.split(
                    java.util.regex.Pattern.quote(basic), -1).length - 1, "only in the auth file, not the environment");
            assertFalse(auth.contains(crToken), "the service account token reaches no file and no environment");
            assertTrue(said.contains("as iambearer"), said);
            assertFalse(said.contains(crToken) || said.contains(token), said);
            assertEquals(1, iam.requestCount());
            assertTrue(iam.sawCrToken(crToken));
        }
    }
}
