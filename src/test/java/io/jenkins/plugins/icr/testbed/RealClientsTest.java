package io.jenkins.plugins.icr.testbed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.icr.agent.Command;
import io.jenkins.plugins.icr.agent.CommandResult;
import io.jenkins.plugins.icr.agent.LocalCommands;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The real clients against the testbed, with no code of ours in between: each logs in with {@code iamapikey} and
 * a key over {@code --password-stdin}, each refuses a wrong key, and skopeo pushes and reads back an image with
 * nothing but the auth file.
 */
class RealClientsTest {

    @RegisterExtension
    static final TestbedExtension TESTBED = new TestbedExtension();
    private final LocalCommands commands = new LocalCommands();

    @ParameterizedTest
    @ValueSource(strings = {"docker", "podman", "skopeo", "buildah"})
    void logsInWithAnApiKeyOverStdin(String client) throws Exception {
        String key = TESTBED.get().newApiKey();
        Path folder = TESTBED.get().newFolder(client);
        try (ArgvSampler sampler = ArgvSampler.watch(key)) {
            CommandResult result = login(client, folder, key);
            assertEquals(0, result.exitCode(), result.output());
            sampler.close();
            assertTrue(sampler.hits().isEmpty(), "the key was visible in /proc: " + sampler.hits());
        }
        String auth = Files.readString(authFile(client, folder));
        String expected = java.util.Base64.getEncoder()
                .encodeToString(("iamapikey:" + key).getBytes(StandardCharsets.UTF_8));
        assertTrue(auth.contains("\"" + TESTBED.get().host() + "\"") && auth.contains(expected), auth);
        assertEquals(1, TESTBED.get().tokenService().requestCount(key));
    }

    @ParameterizedTest
    @ValueSource(strings = {"docker", "podman", "skopeo", "buildah"})
    void refusesAWrongKey(String client) throws Exception {
        String key = TESTBED.get().newApiKey();
        TESTBED.get().iam().deleteApiKey(key);
        Path folder = TESTBED.get().newFolder(client);
        CommandResult result = login(client, folder, key);
        assertNotEquals(0, result.exitCode(), result.output());
        assertFalse(Files.readString(authFile(client, folder)).contains("\"auth\""), "no login was stored");
    }

    @Test
    void skopeoPushesAndPullsWithTheAuthFileOnly() throws Exception {
        Installed.require("skopeo", "skopeo");
        String key = TESTBED.get().newApiKey();
        Path folder = TESTBED.get().newFolder("skopeo-copy");
        assertEquals(0, login("skopeo", folder, key).exitCode());
        String image = TestImage.create(folder, "hello from the testbed");
        String remote = "docker://" + TESTBED.get().host() + "/ns/hello:v1";
        String certs = certDir(folder).toString();
        String authFile = authFile("skopeo", folder).toString();
        CommandResult push = skopeo("copy", "--authfile", authFile, "--dest-cert-dir", certs, image, remote);
        assertEquals(0, push.exitCode(), push.output());
        Path back = folder.resolve("back");
        CommandResult pull = skopeo("copy", "--authfile", authFile, "--src-cert-dir", certs, remote,
                "oci:" + back + ":v1");
        assertEquals(0, pull.exitCode(), pull.output());
        assertEquals(digestOf(folder.resolve("layout")), digestOf(back));

        CommandResult anonymous = skopeo("inspect", "--no-creds", "--cert-dir", certs, remote);
        assertNotEquals(0, anonymous.exitCode(), "the registry refuses a pull without credentials");
    }

    private CommandResult skopeo(String... args) throws Exception {
        List<String> argv = new ArrayList<>(List.of("skopeo"));
        argv.addAll(List.of(args));
        return commands.run(Command.of(argv, Map.of()));
    }

    private static String digestOf(Path layout) throws Exception {
        String index = Files.readString(layout.resolve("index.json"));
        return index.replaceAll("(?s).*\"digest\":\"(sha256:[0-9a-f]+)\".*", "$1");
    }

    private CommandResult login(String client, Path folder, String key) throws Exception {
        Installed.require(client, client.equals("docker") ? "docker.io" : client);
        List<String> argv = new ArrayList<>(List.of(client));
        if (client.equals("docker")) {
            // An auth entry for the host keeps docker from handing the key to a docker-credential-* helper.
            Files.writeString(authFile(client, folder), "{\"auths\":{\"" + TESTBED.get().host() + "\":{}}}");
            argv.addAll(List.of("--config", folder.toString(), "login"));
        } else {
            Files.writeString(authFile(client, folder), "{\"auths\":{}}");
            argv.addAll(List.of("login", "--authfile", authFile(client, folder).toString(),
                    "--cert-dir", certDir(folder).toString()));
        }
        argv.addAll(List.of("--username", "iamapikey", "--password-stdin", TESTBED.get().host()));
        return commands.run(Command.of(argv, Map.of()).withStdin((key + "\n").getBytes(StandardCharsets.UTF_8)));
    }

    private static Path authFile(String client, Path folder) {
        return folder.resolve(client.equals("docker") ? "config.json" : "auth.json");
    }

    private static Path certDir(Path folder) throws Exception {
        Path certs = folder.resolve("certs");
        Files.createDirectories(certs);
        Files.copy(TESTBED.get().pki().caCertificate(), certs.resolve("ca.crt"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        return certs;
    }
}
