package io.jenkins.plugins.icr.login;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.icr.agent.AgentFiles;
import io.jenkins.plugins.icr.agent.Command;
import io.jenkins.plugins.icr.agent.CommandResult;
import io.jenkins.plugins.icr.agent.Commands;
import io.jenkins.plugins.icr.testbed.Secrets;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A Windows agent, as the Jenkins adapter presents one: paths are {@code C:\...} strings made by the agent's own
 * {@link AgentFiles#child}, and a key may hold {@code %}, which {@code cmd.exe} would expand on a command line.
 * The engine must build every path through the seam and keep the key out of every argument.
 */
class WindowsAgentTest {

    private static final String KEY = Secrets.used("Ab%PATH%-x%%y-%USERNAME%_9");
    private static final String BASE = "C:\\Jenkins\\workspace\\app@tmp";

    @ParameterizedTest
    @EnumSource(Client.class)
    void pathsAreTheAgentsOwnAndThePercentKeyTravelsOnlyOnStdin(Client client) throws Exception {
        WindowsFiles files = new WindowsFiles();
        files.files.put("C:\\Users\\jenkins\\.docker\\config.json",
                "{\"proxies\":{\"default\":{\"httpsProxy\":\"http://proxy:3128\"}}}".getBytes(StandardCharsets.UTF_8));
        List<Command> ran = new ArrayList<>();
        Commands commands = command -> {
            ran.add(command);
            return new CommandResult(0, "Login Succeeded", "");
        };
        var request = LoginRequest.builder("us.icr.io", LoginCredential.apiKey(KEY), BASE).client(client)
                .verifyKey(false).caCertificatePem(client == Client.AUTH_FILE ? null : "-----BEGIN CERTIFICATE-----")
                .build();
        Session session = Session.open(request, commands, files, SessionLog.SILENT);

        String folder = session.folder();
        assertTrue(folder.startsWith(BASE + "\\icr-") && !folder.contains("/"), folder);
        assertEquals(folder, session.environment().get("DOCKER_CONFIG"));
        assertEquals(folder + "\\auth.json", session.environment().get("REGISTRY_AUTH_FILE"));
        // A containers client writes its own auth.json (not here: it is simulated); the engine writes the rest.
        boolean clientWrites = client.program() != null && !client.isDockerFamily();
        for (String file : clientWrites ? List.of("config.json") : List.of("config.json", "auth.json")) {
            String content = new String(files.files.get(folder + "\\" + file), StandardCharsets.UTF_8);
            String auth = content.replaceAll("(?s).*\"auth\" : \"([^\"]+)\".*", "$1");
            assertEquals("iamapikey:" + KEY, new String(Base64.getDecoder().decode(auth), StandardCharsets.UTF_8));
        }
        assertTrue(new String(files.files.get(folder + "\\config.json"), StandardCharsets.UTF_8).contains("proxy:3128"));
        for (Command command : ran) {
            assertFalse(command.toString().contains(KEY) || command.env().containsValue(KEY), command.toString());
            assertTrue(command.argv().stream().filter(a -> a.startsWith("C:")).allMatch(a -> a.startsWith(folder)),
                    command.toString());
            assertEquals(folder, command.env().get("DOCKER_CONFIG"));
        }
        if (client.program() != null && client != Client.DOCKER) {
            Command login = ran.get(0);
            assertEquals(KEY, new String(login.stdin(), StandardCharsets.UTF_8));
            assertTrue(login.argv().containsAll(List.of("--authfile", folder + "\\auth.json", "--cert-dir",
                    folder + "\\certs")), login.toString());
        }

        session.close(commands, files, SessionLog.SILENT);
        assertEquals(List.of("C:\\Users\\jenkins\\.docker\\config.json"), List.copyOf(files.files.keySet()));
    }

    /** An agent's files in memory, with Windows path strings. */
    private static final class WindowsFiles implements AgentFiles {
        final Map<String, byte[]> files = new TreeMap<>();
        final List<String> folders = new ArrayList<>();

        @Override
        public String child(String parent, String name) {
            return parent + "\\" + name;
        }

        @Override
        public void makePrivateDirectory(String path) {
            folders.add(path);
        }

        @Override
        public void writePrivate(String path, byte[] content) {
            files.put(path, content.clone());
        }

        @Override
        public Optional<byte[]> read(String path) {
            return Optional.ofNullable(files.get(path));
        }

        @Override
        public List<String> list(String directory) {
            return files.keySet().stream().filter(p -> p.startsWith(directory + "\\"))
                    .map(p -> p.substring(directory.length() + 1)).toList();
        }

        @Override
        public void deleteRecursively(String path) {
            files.keySet().removeIf(p -> p.equals(path) || p.startsWith(path + "\\"));
            folders.removeIf(p -> p.equals(path) || p.startsWith(path + "\\"));
        }

        @Override
        public String home() {
            return "C:\\Users\\jenkins";
        }
    }
}
