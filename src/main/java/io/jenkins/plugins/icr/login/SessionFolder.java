package io.jenkins.plugins.icr.login;

import io.jenkins.plugins.icr.agent.AgentFiles;
import java.io.IOException;
import java.util.Map;
import java.util.UUID;

/**
 * The private folder of one session, {@code <base>/icr-<random>}: docker's {@code config.json}, the containers
 * tools' {@code auth.json}, the CA certificates, a Kubernetes pull secret if asked for, and a marker saying who owns
 * it. Nothing else of the user's is
 * touched, so sessions on one machine never share a login.
 */
record SessionFolder(String path, AgentFiles files) {

    static final String PREFIX = "icr-";
    static final String MARKER = ".icr-session";

    static SessionFolder create(String base, AgentFiles files) {
        return new SessionFolder(files.child(base, PREFIX + UUID.randomUUID()), files);
    }

    String dockerConfig() {
        return files.child(path, AuthFiles.DOCKER_CONFIG);
    }

    String containersAuth() {
        return files.child(path, AuthFiles.CONTAINERS_AUTH);
    }

    /** The {@code --cert-dir} of the containers tools: a folder holding {@code ca.crt}. */
    String certificates() {
        return files.child(path, "certs");
    }

    /** The Kubernetes pull secret's manifest, when the session was asked for one. */
    String pullSecret() {
        return files.child(path, PullSecret.FILE);
    }

    String marker() {
        return files.child(path, MARKER);
    }

    /** Whether a folder is a session's (an enclosing block's, say), not one of the user's own. */
    static boolean isSession(String folder, AgentFiles files) throws IOException, InterruptedException {
        return files.read(files.child(folder, MARKER)).isPresent();
    }

    /** What every client run in or for the session sees. */
    Map<String, String> environment() {
        return variables(path, containersAuth());
    }

    /** The two variables that point both tool families at a session's files. */
    static Map<String, String> variables(String dockerConfigFolder, String containersAuth) {
        return Map.of("DOCKER_CONFIG", dockerConfigFolder, "REGISTRY_AUTH_FILE", containersAuth);
    }
}
