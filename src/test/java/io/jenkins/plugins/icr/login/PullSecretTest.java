package io.jenkins.plugins.icr.login;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jenkins.plugins.icr.FrontEnd;
import io.jenkins.plugins.icr.agent.Command;
import io.jenkins.plugins.icr.agent.CommandResult;
import io.jenkins.plugins.icr.agent.LocalCommands;
import io.jenkins.plugins.icr.agent.LocalFiles;
import io.jenkins.plugins.icr.testbed.Installed;
import io.jenkins.plugins.icr.testbed.Leftovers;
import io.jenkins.plugins.icr.testbed.TestbedExtension;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The Kubernetes pull secret a session writes, as the real {@code kubectl} reads it and as a client pulls with it.
 * Every {@code kubectl} command that validates a manifest against a cluster ({@code apply} and {@code create -f},
 * {@code --dry-run=client} and {@code --validate=false} included) asks the API server for its resource types first,
 * in kubectl 1.20 and 1.32 alike, so the offline checks are those that need none: {@code kubectl patch --local}
 * parses the manifest and prints it back, and {@code kubectl create secret docker-registry --dry-run=client} makes
 * kubectl's own secret from the same login, to compare with.
 */
class PullSecretTest {

    @RegisterExtension
    static final TestbedExtension TESTBED = new TestbedExtension();

    private static final PullSecret SECRET = new PullSecret("icr-pull", Optional.of("apps"));
    private static final ObjectMapper JSON = new ObjectMapper();
    private final LocalCommands commands = new LocalCommands();

    @BeforeAll
    static void kubectl() {
        Installed.require("kubectl", "kubernetes-client");
    }

    @Test
    void kubectlReadsOneLoginForTheHostAndNothingOfTheOuterBlockOrTheUser() throws Exception {
        String key = TESTBED.get().newApiKey();
        String host = TESTBED.get().host();
        Path home = usersHome();
        LocalFiles files = new LocalFiles(home.toString());
        Path base = TESTBED.get().newFolder("base");
        Session outer = Session.open(LoginRequest.builder("outer.example:5000",
                LoginCredential.apiKey(TESTBED.get().newApiKey()), base.toString()).verifyKey(false).build(),
                commands, files, SessionLog.SILENT);
        Map<String, String> env = outer.environment();
        LoginRequest request = LoginRequest.builder(host, LoginCredential.apiKey(key), base.toString())
                .caCertificatePem(TESTBED.get().pki().caPem())
                .outer(env.get("DOCKER_CONFIG"), env.get("REGISTRY_AUTH_FILE"))
                .pullSecret(SECRET)
                .build();
        Session session = Session.open(request, commands, files, SessionLog.SILENT);
        Path manifest = Path.of(session.environment().get(PullSecret.VARIABLE));
        try {
            // The session's own files do carry the outer login and the user's proxy: the secret below must not.
            String config = Files.readString(Path.of(session.folder(), AuthFiles.DOCKER_CONFIG));
            assertTrue(config.contains("outer.example:5000") && config.contains("proxy.example"), config);
            assertEquals(Path.of(session.folder(), PullSecret.FILE), manifest);
            assertEquals("rw-------", Leftovers.under(Path.of(session.folder())).get(PullSecret.FILE));

            JsonNode read = kubectlRead(manifest);
            assertEquals(JSON.readTree(manifest.toFile()), read, "kubectl reads the manifest as written");
            assertEquals("v1", read.path("apiVersion").asText());
            assertEquals("Secret", read.path("kind").asText());
            assertEquals(PullSecret.TYPE, read.path("type").asText());
            assertEquals("icr-pull", read.path("metadata").path("name").asText());
            assertEquals("apps", read.path("metadata").path("namespace").asText());
            assertEquals(List.of(PullSecret.DATA_KEY), names(read.path("data")));

            String data = read.path("data").path(PullSecret.DATA_KEY).asText();
            assertTrue(request.secretsToMask().contains(data), "the data is masked whole in a log");
            JsonNode logins = JSON.readTree(Base64.getDecoder().decode(data));
            assertEquals(List.of("auths"), names(logins), "no credHelpers, credsStore, proxies or other settings");
            assertEquals(List.of(host), names(logins.path("auths")), "one login, for the host asked for");
            JsonNode login = logins.path("auths").path(host);
            assertEquals(List.of("username", "password", "auth"), names(login));
            assertEquals("iamapikey:" + key,
                    new String(Base64.getDecoder().decode(login.path("auth").asText()), StandardCharsets.UTF_8));
            assertEquals("iamapikey", login.path("username").asText());
            assertEquals(key, login.path("password").asText());

            // What a kubelet does with it: pull with that login, here with skopeo (not found, but authenticated).
            Installed.require("skopeo", "skopeo");
            Path auth = Files.createTempFile(TESTBED.get().newFolder("kubelet"), "config", ".json");
            Files.write(auth, Base64.getDecoder().decode(data));
            CommandResult pull = commands.run(Command.of(List.of("skopeo", "inspect", "--tls-verify=false",
                    "--authfile", auth.toString(), "docker://" + host + "/ns/pull-secret:none"), Map.of()));
            assertTrue(pull.output().contains("manifest unknown"), pull.output());
        } finally {
            session.close(commands, files, SessionLog.SILENT);
            outer.close(commands, files, SessionLog.SILENT);
        }
        assertFalse(Files.exists(manifest), "the manifest goes with the session's folder");
        assertEquals(List.of(), Files.list(base).toList());
    }

    @Test
    void kubectlMakesTheSameSecretFromTheSameLogin() throws Exception {
        Path folder = TESTBED.get().newFolder("same");
        // With the login in a file, as a user should: kubectl's docker-registry secret from our data.
        LoginCredential credential = LoginCredential.apiKey(TESTBED.get().newApiKey());
        JsonNode ours = JSON.readTree(SECRET.manifest("us.icr.io", credential));
        Path config = folder.resolve("dockerconfig.json");
        Files.write(config, Base64.getDecoder().decode(ours.path("data").path(PullSecret.DATA_KEY).asText()));
        JsonNode kubectls = JSON.readTree(run("kubectl", "create", "secret", "docker-registry", "icr-pull",
                "--namespace", "apps", "--from-file=" + PullSecret.DATA_KEY + "=" + config, "--dry-run=client",
                "-o", "json").stdout());
        for (String field : List.of("/apiVersion", "/kind", "/type", "/metadata/name", "/metadata/namespace",
                "/data")) {
            assertEquals(kubectls.at(field), ours.at(field), field);
        }
        // From flags, as people do today, byte for byte: with a made-up password, since a key never goes on argv.
        LoginCredential sample = LoginCredential.apiKey("sample-password-that-is-no-key-0123456789");
        JsonNode fromFlags = JSON.readTree(run("kubectl", "create", "secret", "docker-registry", "icr-pull",
                "--docker-server=us.icr.io", "--docker-username=iamapikey", "--docker-password=" + sample.secret(),
                "--dry-run=client", "-o", "json").stdout());
        assertEquals(fromFlags.path("data").path(PullSecret.DATA_KEY).asText(), SECRET.data("us.icr.io", sample));
        assertEquals(PullSecret.TYPE, fromFlags.path("type").asText());
    }

    @Test
    void onlyAnApiKeyMakesAPullSecretAndOnlyWhenAsked() throws Exception {
        var bearer = LoginRequest.builder("us.icr.io", LoginCredential.bearer("eyJtoken"), "/tmp").pullSecret(SECRET);
        String refused = assertThrows(IllegalArgumentException.class, bearer::build).getMessage();
        assertTrue(refused.contains("apps/icr-pull") && refused.contains("iambearer")
                && refused.contains("expires within the hour"), refused);

        Path base = TESTBED.get().newFolder("none");
        LocalFiles files = new LocalFiles(usersHome().toString());
        Session session = Session.open(LoginRequest.builder("registry.example:5000",
                LoginCredential.apiKey(TESTBED.get().newApiKey()), base.toString()).verifyKey(false).build(), commands,
                files, SessionLog.SILENT);
        try {
            assertFalse(session.environment().containsKey(PullSecret.VARIABLE));
            assertFalse(Files.exists(Path.of(session.folder(), PullSecret.FILE)));
        } finally {
            session.close(commands, files, SessionLog.SILENT);
        }
    }

    @Test
    void namesAreThoseKubernetesTakes() {
        for (String name : List.of("icr-pull", "icr.pull-2", "a", "0", "a".repeat(253))) {
            assertEquals(name, PullSecret.of(" " + name + " ", null, FrontEnd.JENKINS).orElseThrow().name());
        }
        for (String name : List.of("Icr-Pull", "icr_pull", "-icr", "icr-", "icr..pull", ".icr", "a".repeat(254))) {
            String message = assertThrows(IllegalArgumentException.class,
                    () -> PullSecret.of(name, null, FrontEnd.JENKINS)).getMessage();
            assertTrue(message.contains("Give pullSecret lower-case letters"), message);
        }
        assertEquals(Optional.of("apps-2"), PullSecret.of("p", "apps-2", FrontEnd.JENKINS).orElseThrow().namespace());
        for (String namespace : List.of("apps.prod", "Apps", "apps-", "a".repeat(64))) {
            String message = assertThrows(IllegalArgumentException.class,
                    () -> PullSecret.of("p", namespace, FrontEnd.JENKINS)).getMessage();
            assertTrue(message.contains("Give pullSecretNamespace"), message);
        }
        assertEquals(Optional.empty(), PullSecret.of(" ", null, FrontEnd.JENKINS));
        String alone = assertThrows(IllegalArgumentException.class,
                () -> PullSecret.of(null, "apps", FrontEnd.JENKINS)).getMessage();
        assertTrue(alone.startsWith("pullSecretNamespace is set, but pullSecret is not"), alone);
    }

    /** A home whose docker config holds all that must stay out of a pull secret. */
    private static Path usersHome() throws Exception {
        Path home = TESTBED.get().newFolder("home");
        Files.createDirectories(home.resolve(".docker"));
        Files.writeString(home.resolve(".docker/config.json"), "{\"auths\":{\"other.example\":{\"auth\":\"c2VjcmV0\"}},"
                + "\"credsStore\":\"secretservice\",\"credHelpers\":{\"us.icr.io\":\"pass\"},"
                + "\"proxies\":{\"default\":{\"httpsProxy\":\"http://proxy.example:3128\"}}}");
        return home;
    }

    /** The manifest as kubectl parses it and prints it back, with no cluster. */
    private JsonNode kubectlRead(Path manifest) throws Exception {
        return JSON.readTree(run("kubectl", "patch", "--local", "-f", manifest.toString(), "-p", "{}", "-o", "json")
                .stdout());
    }

    private CommandResult run(String... argv) throws Exception {
        CommandResult result = commands.run(Command.of(List.of(argv), Map.of()));
        assertEquals(0, result.exitCode(), result.output());
        return result;
    }

    private static List<String> names(JsonNode object) {
        List<String> names = new ArrayList<>();
        object.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
