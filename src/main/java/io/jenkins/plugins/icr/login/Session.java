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
 * failed or half-done login, twice, or in another JVM after a restart, since a session is only strings.
 */
public final class Session implements Serializable {

    private static final long serialVersionUID = 1L;
    private static final Duration LOGOUT_TIMEOUT = Duration.ofSeconds(30);

    private final String folder;
    private final String authFile;
    private final String host;
    private final Client client;
    /** The pull secret's manifest, or null: none was asked for (or the session predates pull secrets). */
    private final String pullSecret;

    private Session(SessionFolder folder, String host, Client client, boolean pullSecret) {
        this.folder = folder.path();
        this.authFile = folder.containersAuth();
        this.host = host;
        this.client = client;
        this.pullSecret = pullSecret ? folder.pullSecret() : null;
    }

    /** Makes the session's folder and logs in; on any failure, nothing is left behind. */
    public static Session open(LoginRequest request, Commands commands, AgentFiles files, SessionLog log)
            throws IOException, InterruptedException {
        request.credential().warnings().forEach(log::warn);
        SessionFolder folder = SessionFolder.create(request.baseFolder(), files);
        Session session = new Session(folder, request.host(), request.client(), request.pullSecret().isPresent());
        try {
            files.makePrivateDirectory(folder.path());
            files.writePrivate(folder.marker(), marker(request.owner()));
            Optional<String> ca = request.caCertificatePem();
            if (ca.isPresent() && !request.client().isDockerFamily() && request.client() != Client.AUTH_FILE) {
                // --cert-dir of the containers tools; docker and the auth-file mode check in-process instead.
                files.makePrivateDirectory(folder.certificates());
                files.writePrivate(files.child(folder.certificates(), "ca.crt"), ca.get().getBytes(StandardCharsets.US_ASCII));
            }
            logIn(request, folder, commands, files, new FirstLogin(request, files), log);
            log.info(Text.get("login.done", request.host(), request.client().id(), request.credential().username()));
            Optional<PullSecret> pullSecret = request.pullSecret();
            if (pullSecret.isPresent()) {
                // Only once the registry took the key (when it was checked): the secret is a proven login.
                files.writePrivate(folder.pullSecret(), pullSecret.get().manifest(request.host(), request.credential()));
                log.info(Text.get("pullSecret.written", pullSecret.get(), request.host(), PullSecret.VARIABLE));
            }
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

    /**
     * Logs in again in this session's folder with a new credential: a fresh IAM token when a long body outlives the
     * one it started with. {@code request} names the same host and client; its credential replaces the old one. It
     * says nothing but the credential's warnings: the renewal that calls it says in one line what it renewed and
     * until when ({@code renewal.done}), in both front ends, and a second line would only repeat it.
     */
    public void refresh(LoginRequest request, Commands commands, AgentFiles files, SessionLog log)
            throws IOException, InterruptedException {
        if (!request.host().equals(host) || request.client() != client) {
            throw new IllegalArgumentException("a session refreshes only its own host and client");
        }
        request.credential().warnings().forEach(log::warn);
        SessionFolder session = new SessionFolder(folder, files);
        logIn(request, session, commands, files, new Relogin(session, files, host), log);
    }

    /** What a session's two files hold besides its own login: see {@link FirstLogin} and {@link Relogin}. */
    private interface Contents {
        byte[] dockerConfig(ObjectNode entry) throws IOException, InterruptedException;

        byte[] containersAuth(ObjectNode entry) throws IOException, InterruptedException;
    }

    private static void logIn(LoginRequest request, SessionFolder folder, Commands commands, AgentFiles files,
            Contents contents, SessionLog log) throws IOException, InterruptedException {
        Client client = request.client();
        boolean withCa = request.caCertificatePem().isPresent();
        var loggedIn = AuthFiles.loggedIn(request.credential());
        if (client == Client.AUTH_FILE || client == Client.DOCKER && withCa) {
            if (client == Client.DOCKER) {
                // docker takes a CA only from /etc/docker/certs.d; prove the key here, with the CA, instead.
                log.info(Text.get("login.dockerWithCa", request.host()));
            }
            if (request.verifyKey()) {
                request.keyCheck().verify(request.host(), request.credential(), request.caCertificatePem(),
                        request.environment());
            }
            files.writePrivate(folder.dockerConfig(), contents.dockerConfig(loggedIn));
            files.writePrivate(folder.containersAuth(), contents.containersAuth(loggedIn));
            return;
        }
        // The client fills the placeholder in its own family's file; the other family's file gets the login
        // directly, so that the body's tools of either family find it. A failed login deletes both.
        boolean docker = client.isDockerFamily();
        files.writePrivate(folder.dockerConfig(), contents.dockerConfig(docker ? AuthFiles.placeholder() : loggedIn));
        files.writePrivate(folder.containersAuth(),
                contents.containersAuth(docker ? loggedIn : AuthFiles.placeholder()));
        CommandResult result;
        try {
            result = commands.run(ClientCommands.login(client, folder, request));
        } catch (ExecutableNotFoundException e) {
            throw new LoginException(LoginException.Reason.CLIENT_NOT_INSTALLED,
                    Text.get(request.frontEnd(), "login.clientMissing", client.program(), client.debianPackage()), e);
        }
        if (!result.succeeded()) {
            throw ClientCommands.failure(client, request, result);
        }
    }

    /** A new session's files: the enclosing session's logins, or the user's docker settings without theirs. */
    private record FirstLogin(LoginRequest request, AgentFiles files) implements Contents {

        @Override
        public byte[] dockerConfig(ObjectNode entry) throws IOException, InterruptedException {
            Optional<String> dockerConfig = request.outerDockerConfig();
            boolean nested = dockerConfig.isPresent() && SessionFolder.isSession(dockerConfig.get(), files);
            Optional<byte[]> outer = nested
                    ? files.read(files.child(dockerConfig.get(), AuthFiles.DOCKER_CONFIG)) : Optional.empty();
            // An outer config that is not JSON is worth nothing; the user's settings still are.
            Optional<byte[]> user = outer.flatMap(Json::parseObject).isPresent() ? Optional.empty()
                    : files.read(usersDockerConfig(nested ? Optional.empty() : dockerConfig));
            return AuthFiles.dockerConfig(outer, user, request.host(), entry);
        }

        /**
         * The user's own {@code config.json}, looked up as docker does in the environment the clients get (the
         * build's, on a Jenkins agent): in {@code $DOCKER_CONFIG}, else in {@code $HOME/.docker}; the home folder
         * of the user the commands run as only when {@code HOME} is not set.
         */
        private String usersDockerConfig(Optional<String> dockerConfig) throws IOException, InterruptedException {
            if (dockerConfig.isPresent()) {
                return files.child(dockerConfig.get(), AuthFiles.DOCKER_CONFIG);
            }
            String home = request.environment().get("HOME");
            String folder = home == null || home.isBlank() ? files.home() : home;
            return files.child(files.child(folder, ".docker"), AuthFiles.DOCKER_CONFIG);
        }

        @Override
        public byte[] containersAuth(ObjectNode entry) throws IOException, InterruptedException {
            Optional<byte[]> outer = request.outerAuthFile().isPresent()
                    ? files.read(request.outerAuthFile().get()) : Optional.empty();
            return AuthFiles.containersAuth(outer, request.host(), entry);
        }
    }

    /** A session's files as they are, with its host's entry replaced. */
    private record Relogin(SessionFolder folder, AgentFiles files, String host) implements Contents {

        @Override
        public byte[] dockerConfig(ObjectNode entry) throws IOException, InterruptedException {
            return AuthFiles.replaced(files.read(folder.dockerConfig()), host, entry);
        }

        @Override
        public byte[] containersAuth(ObjectNode entry) throws IOException, InterruptedException {
            return AuthFiles.replaced(files.read(folder.containersAuth()), host, entry);
        }
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

    /**
     * What the body runs with: {@code DOCKER_CONFIG}, {@code REGISTRY_AUTH_FILE} and {@code ICR_REGISTRY}, and
     * {@code ICR_PULL_SECRET} when a pull secret was asked for.
     */
    public Map<String, String> environment() {
        Map<String, String> env = new HashMap<>(SessionFolder.variables(folder, authFile));
        env.put("ICR_REGISTRY", host);
        if (pullSecret != null) {
            env.put(PullSecret.VARIABLE, pullSecret);
        }
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
