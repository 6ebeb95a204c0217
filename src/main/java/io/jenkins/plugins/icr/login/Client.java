package io.jenkins.plugins.icr.login;

import io.jenkins.plugins.icr.FrontEnd;
import io.jenkins.plugins.icr.Text;
import java.util.Arrays;
import java.util.Locale;

/** How a session logs in: with one of the container clients, or by writing the auth files itself. */
public enum Client {
    DOCKER("docker", "docker.io (or Docker's docker-ce-cli)", true),
    PODMAN("podman", "podman", false),
    SKOPEO("skopeo", "skopeo", false),
    BUILDAH("buildah", "buildah", false),
    /**
     * No client process: the session writes both auth files itself and proves the key with the registry's own
     * token request. It needs nothing installed and no standard input, so it works for kaniko, crane, helm and
     * oras and inside container launchers that drop stdin.
     */
    AUTH_FILE(null, null, false);

    private final String program;
    private final String debianPackage;
    private final boolean dockerFamily;

    Client(String program, String debianPackage, boolean dockerFamily) {
        this.program = program;
        this.debianPackage = debianPackage;
        this.dockerFamily = dockerFamily;
    }

    /** The program to run, or {@code null} for {@link #AUTH_FILE}. */
    public String program() {
        return program;
    }

    /** Where to get the program on Debian and Ubuntu, for the "not installed" message. */
    public String debianPackage() {
        return debianPackage;
    }

    /** docker reads {@code $DOCKER_CONFIG/config.json}; the containers tools read {@code --authfile}. */
    public boolean isDockerFamily() {
        return dockerFamily;
    }

    /** The name users write: {@code docker}, {@code auth-file}. */
    public String id() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /**
     * Parses {@link #id()}, any case; {@code null} or blank is {@link #AUTH_FILE}, the default.
     *
     * @param frontEnd whose option names an error uses
     */
    public static Client fromId(String id, FrontEnd frontEnd) {
        if (id == null || id.isBlank()) {
            return AUTH_FILE;
        }
        String wanted = id.strip().toLowerCase(Locale.ROOT).replace('_', '-');
        for (Client c : values()) {
            if (c.id().equals(wanted) || c.id().replace("-", "").equals(wanted)) {
                return c;
            }
        }
        throw new IllegalArgumentException(Text.get(frontEnd, "client.unknown", id.strip(), ids()));
    }

    public static String ids() {
        return String.join(", ", Arrays.stream(values()).map(Client::id).toList());
    }
}
