package io.jenkins.plugins.icr.login;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.icr.agent.Command;
import io.jenkins.plugins.icr.agent.CommandResult;
import io.jenkins.plugins.icr.agent.LocalCommands;
import io.jenkins.plugins.icr.agent.LocalFiles;
import io.jenkins.plugins.icr.testbed.ArgvSampler;
import io.jenkins.plugins.icr.testbed.IamEmulator;
import io.jenkins.plugins.icr.testbed.TestbedExtension;
import io.jenkins.plugins.icr.testbed.Installed;
import io.jenkins.plugins.icr.testbed.Leftovers;
import io.jenkins.plugins.icr.testbed.TestImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Every driver against the testbed, with the real clients: login, use, logout, nothing left. */
class SessionTest {

    @RegisterExtension
    static final TestbedExtension TESTBED = new TestbedExtension();
    private static String image;
    private final LocalCommands commands = new LocalCommands();
    private final RecordingLog log = new RecordingLog();

    @BeforeAll
    static void start() throws Exception {
        image = TestImage.create(TESTBED.get().newFolder("image"), "pushed through a session");
    }

    @ParameterizedTest
    @EnumSource(Client.class)
    void logsInPushesThroughTheSessionOnlyAndLeavesNothing(Client client) throws Exception {
        requireProgram(client);
        String key = TESTBED.get().newApiKey();
        Path base = TESTBED.get().newFolder("base");
        Path home = TESTBED.get().newFolder("home");
        Session session;
        try (ArgvSampler sampler = ArgvSampler.watch(key)) {
            session = Session.open(request(client, key, base, home).build(), commands, new LocalFiles(home.toString()), log);
            sampler.close();
            assertEquals(java.util.Set.of(), sampler.hits(), "the key was visible in /proc");
            assertTrue(sampler.samples() > 0);
        }
        Path folder = Path.of(session.folder());
        assertEquals(base, folder.getParent());
        Map<String, String> modes = Leftovers.under(folder);
        assertEquals("rwx------", modes.get(""));
        assertEquals("rw-------", modes.get("config.json"));
        assertEquals("rw-------", modes.get("auth.json"));
        assertEquals(TESTBED.get().host(), session.environment().get("ICR_REGISTRY"));

        // Both tool families find the login: skopeo through REGISTRY_AUTH_FILE, and through docker's config.json.
        CommandResult push = skopeo(session.environment(), "copy", image,
                "docker://" + TESTBED.get().host() + "/ns/" + client.id() + ":v1");
        assertEquals(0, push.exitCode(), push.output());
        CommandResult inspect = skopeo(Map.of(), "inspect", "--authfile",
                session.folder() + "/config.json", "docker://" + TESTBED.get().host() + "/ns/" + client.id() + ":v1");
        assertEquals(0, inspect.exitCode(), inspect.output());

        session.close(commands, new LocalFiles(home.toString()), log);
        assertEquals(Map.of(), Leftovers.under(folder), "the session's folder is gone");
        assertEquals(List.of(), log.warnings);
        session.close(commands, new LocalFiles(home.toString()), log);
        assertEquals(Map.of(), Leftovers.filesContaining(base, key));
    }

    @ParameterizedTest
    @EnumSource(Client.class)
    void aKeyWithShellAndCmdCharactersLogsInAsItIs(Client client) throws Exception {
        requireProgram(client);
        String key = TESTBED.get().iam().createApiKey(IamEmulator.Identity.serviceId("odd", "acct"),
                "Ab%PATH%-%%-$HOME-!x-'q'-\\\"d\\\"-^&|<>" + java.util.UUID.randomUUID());
        Path base = TESTBED.get().newFolder("base");
        Session session = Session.open(request(client, key, base, TESTBED.get().newFolder("home")).build(), commands,
                new LocalFiles(), log);
        try {
            CommandResult pull = skopeo(session.environment(), "inspect",
                    "docker://" + TESTBED.get().host() + "/ns/" + client.id() + "-odd:none");
            assertTrue(pull.output().contains("manifest unknown"), pull.output()); // authenticated, just no image
        } finally {
            session.close(commands, new LocalFiles(), log);
        }
    }

    @ParameterizedTest
    @EnumSource(Client.class)
    void aWrongKeySaysSoAndLeavesNothing(Client client) throws Exception {
        requireProgram(client);
        String key = TESTBED.get().newApiKey();
        TESTBED.get().iam().deleteApiKey(key);
        Path base = TESTBED.get().newFolder("base");
        LoginException e = assertThrows(LoginException.class, () ->
                Session.open(request(client, key, base, TESTBED.get().newFolder("home")).build(), commands, new LocalFiles(), log));
        assertEquals(LoginException.Reason.WRONG_CREDENTIALS, e.reason(), e.getMessage());
        assertTrue(e.getMessage().contains("refused the IBM Cloud API key"), e.getMessage());
        assertFalse(e.getMessage().contains(key));
        assertEquals(List.of(), Files.list(base).toList());
    }

    @ParameterizedTest
    @EnumSource(value = Client.class, names = {"PODMAN", "SKOPEO", "BUILDAH", "AUTH_FILE"})
    void anUntrustedCertificateIsNamedAndTheCaOptionFixesIt(Client client) throws Exception {
        // docker treats every loopback registry as insecure, so only a non-loopback name can make it fail (icr-facts).
        requireProgram(client);
        String key = TESTBED.get().newApiKey();
        Path base = TESTBED.get().newFolder("base");
        var noCa = LoginRequest.builder(TESTBED.get().host(), LoginCredential.apiKey(key), base.toString()).client(client)
                .build();
        LoginException e = assertThrows(LoginException.class, () -> Session.open(noCa, commands, new LocalFiles(), log));
        assertEquals(LoginException.Reason.UNTRUSTED_CERTIFICATE, e.reason(), e.getMessage());
        assertTrue(e.getMessage().contains("caCertificate"), e.getMessage());
        Session session = Session.open(request(client, key, base, TESTBED.get().newFolder("home")).build(), commands,
                new LocalFiles(), log);
        session.close(commands, new LocalFiles(), log);
        assertEquals(List.of(), Files.list(base).toList());
    }

    @ParameterizedTest
    @EnumSource(value = Client.class, names = {"DOCKER", "PODMAN", "SKOPEO", "BUILDAH"})
    void aMissingClientNamesItsPackage(Client client) throws Exception {
        Path base = TESTBED.get().newFolder("base");
        var request = LoginRequest.builder(TESTBED.get().host(), LoginCredential.apiKey(TESTBED.get().newApiKey()), base.toString())
                .client(client).environment(Map.of("PATH", base.toString())).build();
        LoginException e = assertThrows(LoginException.class, () -> Session.open(request, commands, new LocalFiles(), log));
        assertEquals(LoginException.Reason.CLIENT_NOT_INSTALLED, e.reason());
        assertTrue(e.getMessage().contains("apt-get install " + client.debianPackage()), e.getMessage());
        assertEquals(List.of(), Files.list(base).toList());
    }

    @Test
    void theUsersSettingsCarryOverButNeverTheirLoginsOrHelpers() throws Exception {
        Path home = TESTBED.get().newFolder("home");
        Files.createDirectories(home.resolve(".docker"));
        Files.writeString(home.resolve(".docker/config.json"), "{\"auths\":{\"other.example\":{\"auth\":\"c2VjcmV0\"}},"
                + "\"credsStore\":\"secretservice\",\"credHelpers\":{\"" + TESTBED.get().host() + "\":\"pass\"},"
                + "\"proxies\":{\"default\":{\"httpsProxy\":\"http://proxy.example:3128\"}},"
                + "\"HttpHeaders\":{\"X-Team\":\"blue\"}}");
        Session session = Session.open(request(Client.DOCKER, TESTBED.get().newApiKey(), TESTBED.get().newFolder("base"), home)
                .build(), commands, new LocalFiles(home.toString()), log);
        try {
            String config = Files.readString(Path.of(session.folder(), "config.json"));
            assertTrue(config.contains("proxy.example:3128") && config.contains("X-Team"), config);
            assertFalse(config.contains("other.example") || config.contains("credsStore")
                    || config.contains("credHelpers"), config);
            assertTrue(config.contains(TESTBED.get().host()), config);
        } finally {
            session.close(commands, new LocalFiles(home.toString()), log);
        }
    }

    @Test
    void anOuterConfigThatIsNotJsonStillLeavesTheUsersSettings() throws Exception {
        Path home = TESTBED.get().newFolder("home");
        Files.createDirectories(home.resolve(".docker"));
        Files.writeString(home.resolve(".docker/config.json"), "{\"HttpHeaders\":{\"X-Team\":\"green\"}}");
        Path outer = TESTBED.get().newFolder("outer");
        Files.writeString(outer.resolve(SessionFolder.MARKER), "{}"); // an enclosing session's folder
        Files.writeString(outer.resolve("config.json"), "{ not json");
        Session session = Session.open(request(Client.AUTH_FILE, TESTBED.get().newApiKey(), TESTBED.get().newFolder("base"),
                home).outer(outer.toString(), null).build(), commands, new LocalFiles(home.toString()), log);
        try {
            assertTrue(Files.readString(Path.of(session.folder(), "config.json")).contains("X-Team"));
        } finally {
            session.close(commands, new LocalFiles(home.toString()), log);
        }
    }

    @Test
    void aNestedSessionKeepsTheOuterLogins() throws Exception {
        Path base = TESTBED.get().newFolder("base");
        Session outer = Session.open(LoginRequest.builder("outer.example:5000", LoginCredential.apiKey(TESTBED.get().newApiKey()),
                base.toString()).verifyKey(false).build(), commands, new LocalFiles(), log);
        var env = outer.environment();
        Session inner = Session.open(request(Client.SKOPEO, TESTBED.get().newApiKey(), base, TESTBED.get().newFolder("home"))
                .outer(env.get("DOCKER_CONFIG"), env.get("REGISTRY_AUTH_FILE")).build(), commands, new LocalFiles(), log);
        try {
            for (String file : List.of("config.json", "auth.json")) {
                String content = Files.readString(Path.of(inner.folder(), file));
                assertTrue(content.contains("outer.example:5000") && content.contains(TESTBED.get().host()), content);
            }
        } finally {
            inner.close(commands, new LocalFiles(), log);
            outer.close(commands, new LocalFiles(), log);
        }
        assertEquals(List.of(), Files.list(base).toList());
    }

    private static LoginRequest.Builder request(Client client, String key, Path base, Path home) throws Exception {
        return LoginRequest.builder(TESTBED.get().host(), LoginCredential.apiKey(key), base.toString())
                .client(client)
                .caCertificatePem(TESTBED.get().pki().caPem());
    }

    private CommandResult skopeo(Map<String, String> env, String... args) throws Exception {
        List<String> argv = new ArrayList<>(List.of("skopeo"));
        argv.addAll(List.of(args));
        argv.add(1, "--tls-verify=false");
        return commands.run(Command.of(argv, env));
    }

    private static void requireProgram(Client client) {
        Installed.require("skopeo", "skopeo");
        if (client.program() != null) {
            Installed.require(client.program(), client.debianPackage());
        }
    }

    /** What the session told the user. */
    static final class RecordingLog implements SessionLog {
        final List<String> infos = new ArrayList<>();
        final List<String> warnings = new ArrayList<>();

        @Override
        public synchronized void info(String message) {
            System.out.println("INFO " + message); // into the suite's output, which SecretsInOutput searches
            infos.add(message);
        }

        @Override
        public synchronized void warn(String message) {
            System.out.println("WARN " + message);
            warnings.add(message);
        }
    }
}
