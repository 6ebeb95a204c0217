package io.jenkins.plugins.icr.login;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jenkins.plugins.icr.Text;
import io.jenkins.plugins.icr.agent.AgentFiles;
import io.jenkins.plugins.icr.agent.CommandResult;
import io.jenkins.plugins.icr.agent.Commands;
import io.jenkins.plugins.icr.agent.ExecutableNotFoundException;
import java.io.IOException;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A logged-in client in a private folder: {@link #open} makes the folder and logs in, the body runs with {@link
 * #environment()}, and {@link #close} logs out and deletes the folder. Closing always may, and must, run: after a
 * failed or half-done login, twice, or in another JVM after a restart, since a session is only three strings.
 */
public final class Session implements Serializable {

    private static final long serialVersionUID = 1L;
    private static final Duration LOGOUT_TIMEOUT = Duration.ofSeconds(30);

    private final String folder;
    private final String authFile;
    private final String host;
    private final Client client;

    private Session(SessionFolder folder, String host, Client client) {
        this.folder = folder.path();
        this.authFile = folder.containersAuth();
        this.host = host;
        this.client = client;
    }

    /** Makes the session's folder and logs in; on any failure, nothing is left behind. */
    public static Session open(LoginRequest request, Commands commands, AgentFiles files, SessionLog log)
            throws IOException, InterruptedException {
        request.credential().warnings().forEach(log::warn);
        SessionFolder folder = SessionFolder.create(request.baseFolder(), files);
        Session session = new Session(folder, request.host(), request.client());
        try {
            files.makePrivateDirectory(folder.path());
            files.writePrivate(folder.marker(), marker(request.owner()));
            Optional<String> ca = request.caCertificatePem();
            if (ca.isPresent()) {
                files.makePrivateDirectory(folder.certificates());
                files.writePrivate(files.child(folder.certificates(), "ca.crt"), ca.get().getBytes(StandardCharsets.US_ASCII));
            }
            if (request.client() == Client.AUTH_FILE || request.client() == Client.DOCKER && ca.isPresent()) {
                if (request.client() == Client.DOCKER) {
                    // docker takes a CA only from /etc/docker/certs.d; prove the key here, with the CA, instead.
                    log.info(Text.get("login.dockerWithCa", request.host()));
                }
                writeAuthFiles(request, folder, files);
            } else {
                clientLogin(request, folder, commands, files);
            }
            log.info(Text.get("login.done", request.host(), request.client().id(), request.credential().username()));
            return session;
        } catch (IOException | InterruptedException | RuntimeException e) {
            try {
                session.close(commands, files, SessionLog.SILENT);
            } catch (IOException | RuntimeException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
    }

    private static void writeAuthFiles(LoginRequest request, SessionFolder folder, AgentFiles files)
            throws IOException, InterruptedException {
        if (request.verifyKey()) {
            TokenCheck.trusting(request.caCertificatePem()).verify(request.host(), request.credential());
        }
        var entry = AuthFiles.loggedIn(request.credential());
        files.writePrivate(folder.dockerConfig(), dockerConfig(request, files, entry));
        files.writePrivate(folder.containersAuth(), containersAuth(request, files, entry));
    }

    private static void clientLogin(LoginRequest request, SessionFolder folder, Commands commands, AgentFiles files)
            throws IOException, InterruptedException {
        Client client = request.client();
        // The client fills the placeholder in its own family's file; the other family's file gets the login
        // directly, so that the body's tools of either family find it. A failed login deletes both.
        var loggedIn = AuthFiles.loggedIn(request.credential());
        boolean docker = client.isDockerFamily();
        files.writePrivate(folder.dockerConfig(),
                dockerConfig(request, files, docker ? AuthFiles.placeholder() : loggedIn));
        files.writePrivate(folder.containersAuth(),
                containersAuth(request, files, docker ? loggedIn : AuthFiles.placeholder()));
        CommandResult result;
        try {
            result = commands.run(ClientCommands.login(client, folder, request));
        } catch (ExecutableNotFoundException e) {
            throw new LoginException(LoginException.Reason.CLIENT_NOT_INSTALLED,
                    Text.get("login.clientMissing", client.program(), client.debianPackage()), e);
        }
        if (!result.succeeded()) {
            throw ClientCommands.failure(client, request, result);
        }
    }

    private static byte[] dockerConfig(LoginRequest request, AgentFiles files,
            ObjectNode entry) throws IOException, InterruptedException {
        Optional<byte[]> outer = request.outerDockerConfig().isPresent()
                ? files.read(files.child(request.outerDockerConfig().get(), AuthFiles.DOCKER_CONFIG)) : Optional.empty();
        Optional<byte[]> user = outer.isPresent() ? Optional.empty()
                : files.read(files.child(files.child(files.home(), ".docker"), AuthFiles.DOCKER_CONFIG));
        return AuthFiles.dockerConfig(outer, user, request.host(), entry);
    }

    private static byte[] containersAuth(LoginRequest request, AgentFiles files,
            ObjectNode entry) throws IOException, InterruptedException {
        Optional<byte[]> outer = request.outerAuthFile().isPresent()
                ? files.read(request.outerAuthFile().get()) : Optional.empty();
        return AuthFiles.containersAuth(outer, request.host(), entry);
    }

    private static byte[] marker(String owner) {
        var marker = Json.object().put("owner", owner).put("started", Instant.now().toString());
        return Json.bytes(marker);
    }

    /** The folder that holds the session; {@code DOCKER_CONFIG} points at it. */
    public String folder() {
        return folder;
    }

    public String host() {
        return host;
    }

    public Client client() {
        return client;
    }

    /** What the body runs with: {@code DOCKER_CONFIG}, {@code REGISTRY_AUTH_FILE} and {@code ICR_REGISTRY}. */
    public Map<String, String> environment() {
        Map<String, String> env = new HashMap<>(SessionFolder.variables(folder, authFile));
        env.put("ICR_REGISTRY", host);
        return Map.copyOf(env);
    }

    /**
     * Logs out, where a client logged in, and deletes the folder. A logout that fails is reported, not thrown: the
     * deletion that follows is what guarantees nothing is left. Only a folder that cannot be deleted is an error.
     */
    public void close(Commands commands, AgentFiles files, SessionLog log) throws IOException, InterruptedException {
        if (files.read(files.child(folder, SessionFolder.MARKER)).isEmpty() && files.list(folder).isEmpty()) {
            return; // Closed already, or never opened.
        }
        if (client != Client.AUTH_FILE) {
            logout(commands, files, log);
        }
        files.deleteRecursively(folder);
        log.info(Text.get("logout.done", host));
    }

    private void logout(Commands commands, AgentFiles files, SessionLog log) throws InterruptedException {
        SessionFolder session = new SessionFolder(folder, files);
        try {
            CommandResult result = commands.run(ClientCommands.logout(client, session, host, LOGOUT_TIMEOUT));
            if (!ClientCommands.alreadyLoggedOut(result)) {
                log.warn(Text.get("logout.failed", client.program(), host, result.exitCode()));
            }
        } catch (IOException e) {
            log.warn(Text.get("logout.error", client.program(), host, e.getMessage()));
        }
    }

    @Override
    public String toString() {
        return client.id() + " session for " + host + " in " + folder;
    }
}
