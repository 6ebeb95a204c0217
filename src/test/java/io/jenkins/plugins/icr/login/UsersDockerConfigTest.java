package io.jenkins.plugins.icr.login;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.icr.agent.LocalCommands;
import io.jenkins.plugins.icr.agent.LocalFiles;
import io.jenkins.plugins.icr.testbed.Secrets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The user's docker settings are read where docker reads them, in the environment the clients get: {@code
 * $DOCKER_CONFIG} unless it is an enclosing session's, else {@code $HOME/.docker}; the home folder of the user the
 * commands run as only when {@code HOME} is not set. A Jenkins build may set {@code HOME} unlike its agent's JVM.
 */
class UsersDockerConfigTest {

    private static final String KEY = Secrets.used("users-docker-config-0123456789abcdefghijklmn");

    @TempDir
    Path dir;

    private final LocalCommands commands = new LocalCommands();

    /** A docker config.json in {@code folder} whose settings say which it is, and a login that must not travel. */
    private Path config(String folderName, String name) throws Exception {
        Path folder = Files.createDirectories(dir.resolve(folderName));
        Files.writeString(folder.resolve("config.json"), "{\"auths\":{\"" + name + ".example\":{\"auth\":\"eA==\"}},"
                + "\"HttpHeaders\":{\"X-Found-In\":\"" + name + "\"},\"credsStore\":\"secretservice\"}");
        return folder;
    }

    /** The config.json of a session opened with this environment, the JVM user's home being {@code jvmHome}. */
    private String sessionConfig(Map<String, String> environment, Path jvmHome) throws Exception {
        LocalFiles files = new LocalFiles(jvmHome.toString());
        Session session = Session.open(LoginRequest.builder("registry.example:5000", LoginCredential.apiKey(KEY),
                Files.createDirectories(dir.resolve("base")).toString()).verifyKey(false).environment(environment)
                .outer(environment.get("DOCKER_CONFIG"), environment.get("REGISTRY_AUTH_FILE")).build(), commands,
                files, SessionLog.SILENT);
        try {
            return Files.readString(Path.of(session.folder(), "config.json"));
        } finally {
            session.close(commands, files, SessionLog.SILENT);
        }
    }

    @Test
    void homeFromTheClientsEnvironmentWinsOverTheJvmsHome() throws Exception {
        Path buildHome = config("build-home/.docker", "build-home").getParent();
        Path jvmHome = config("jvm-home/.docker", "jvm").getParent();

        String config = sessionConfig(Map.of("HOME", buildHome.toString()), jvmHome);
        assertTrue(config.contains("\"X-Found-In\" : \"build-home\""), config);
        assertFalse(config.contains("build-home.example") || config.contains("credsStore"), config);

        assertTrue(sessionConfig(Map.of(), jvmHome).contains("\"X-Found-In\" : \"jvm\""), "no HOME: the JVM's");
    }

    @Test
    void aDockerConfigOfTheUsersOwnIsTheirSettingsNotAnOuterSession() throws Exception {
        Path mine = config("mine", "mine");
        Path jvmHome = config("jvm-home/.docker", "jvm").getParent();

        String config = sessionConfig(Map.of("DOCKER_CONFIG", mine.toString(), "HOME", jvmHome.toString()), jvmHome);
        assertTrue(config.contains("\"X-Found-In\" : \"mine\""), config);
        assertFalse(config.contains("mine.example"), "its logins stay out, as ~/.docker's do: " + config);
    }

    @Test
    void anEnclosingSessionsFolderKeepsItsLogins() throws Exception {
        Path jvmHome = Files.createDirectories(dir.resolve("jvm-home"));
        LocalFiles files = new LocalFiles(jvmHome.toString());
        Session outer = Session.open(LoginRequest.builder("outer.example:5000", LoginCredential.apiKey(KEY),
                Files.createDirectories(dir.resolve("base")).toString()).verifyKey(false).build(), commands, files,
                SessionLog.SILENT);
        try {
            Map<String, String> env = new HashMap<>(outer.environment());
            assertTrue(sessionConfig(env, jvmHome).contains("outer.example:5000"));
        } finally {
            outer.close(commands, files, SessionLog.SILENT);
        }
    }
}
