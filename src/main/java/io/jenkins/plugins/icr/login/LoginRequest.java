package io.jenkins.plugins.icr.login;

import io.jenkins.plugins.icr.FrontEnd;
import io.jenkins.plugins.icr.Text;
import io.jenkins.plugins.icr.agent.Command;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Everything a session needs to open: where to log in, with what, with which client, and where its folder goes.
 * Build one with {@link #builder(String, LoginCredential, String)}.
 */
public final class LoginRequest {

    private final String host;
    private final LoginCredential credential;
    private final String baseFolder;
    private final Client client;
    private final String caCertificatePem;
    private final boolean verifyKey;
    private final KeyCheck keyCheck;
    private final String outerDockerConfig;
    private final String outerAuthFile;
    private final Map<String, String> environment;
    private final String owner;
    private final Duration timeout;
    private final FrontEnd frontEnd;
    private final PullSecret pullSecret;

    private LoginRequest(Builder b) {
        this.host = b.host;
        this.credential = b.credential;
        this.baseFolder = b.baseFolder;
        this.client = b.client;
        this.caCertificatePem = b.caCertificatePem;
        this.verifyKey = b.verifyKey;
        this.keyCheck = b.keyCheck != null ? b.keyCheck : KeyCheck.here(b.frontEnd);
        this.outerDockerConfig = b.outerDockerConfig;
        this.outerAuthFile = b.outerAuthFile;
        this.environment = Map.copyOf(b.environment);
        this.owner = b.owner;
        this.timeout = b.timeout;
        this.frontEnd = b.frontEnd;
        this.pullSecret = b.pullSecret;
    }

    /**
     * @param host the registry host, {@code us.icr.io} or {@code host:port}
     * @param baseFolder the folder the session folder is made in; in Jenkins, the workspace's temporary folder
     */
    public static Builder builder(String host, LoginCredential credential, String baseFolder) {
        return new Builder(host, credential, baseFolder);
    }

    public String host() {
        return host;
    }

    public LoginCredential credential() {
        return credential;
    }

    public String baseFolder() {
        return baseFolder;
    }

    public Client client() {
        return client;
    }

    public Optional<String> caCertificatePem() {
        return Optional.ofNullable(caCertificatePem);
    }

    public boolean verifyKey() {
        return verifyKey;
    }

    public KeyCheck keyCheck() {
        return keyCheck;
    }

    public Optional<String> outerDockerConfig() {
        return Optional.ofNullable(outerDockerConfig);
    }

    public Optional<String> outerAuthFile() {
        return Optional.ofNullable(outerAuthFile);
    }

    public Map<String, String> environment() {
        return environment;
    }

    public String owner() {
        return owner;
    }

    public Duration timeout() {
        return timeout;
    }

    /** Whose words the session's errors use to name an option. */
    public FrontEnd frontEnd() {
        return frontEnd;
    }

    /** The Kubernetes pull secret the session writes beside its auth files, if one was asked for. */
    public Optional<PullSecret> pullSecret() {
        return Optional.ofNullable(pullSecret);
    }

    /**
     * Every form of this login's secrets that a log could show: the credential's, and the pull secret's data, which
     * spells the key in a form of its own.
     */
    public Set<String> secretsToMask() {
        Set<String> forms = new LinkedHashSet<>(credential.secretsToMask());
        pullSecret().ifPresent(secret -> forms.add(secret.data(host, credential)));
        return forms;
    }

    /** Names the host and client only. */
    @Override
    public String toString() {
        return client.id() + " login to " + host;
    }

    public static final class Builder {
        private final String host;
        private final LoginCredential credential;
        private final String baseFolder;
        private Client client = Client.AUTH_FILE;
        private String caCertificatePem;
        private boolean verifyKey = true;
        private KeyCheck keyCheck;
        private String outerDockerConfig;
        private String outerAuthFile;
        private Map<String, String> environment = Map.of();
        private String owner = SessionSweeper.localOwner();
        private Duration timeout = Command.DEFAULT_TIMEOUT;
        private FrontEnd frontEnd = FrontEnd.JENKINS;
        private PullSecret pullSecret;

        private Builder(String host, LoginCredential credential, String baseFolder) {
            this.host = Objects.requireNonNull(host, "host");
            this.credential = Objects.requireNonNull(credential, "credential");
            this.baseFolder = Objects.requireNonNull(baseFolder, "baseFolder");
        }

        public Builder client(Client value) {
            this.client = Objects.requireNonNull(value);
            return this;
        }

        /** A PEM CA certificate (or bundle) for a registry behind a custom CA; every client is given it. */
        public Builder caCertificatePem(String pem) {
            this.caCertificatePem = pem == null || pem.isBlank() ? null : pem;
            return this;
        }

        /** Whether the auth-file mode proves the key with the registry's token request first (it does by default). */
        public Builder verifyKey(boolean value) {
            this.verifyKey = value;
            return this;
        }

        /** Where the key is proven; by default from this JVM ({@link KeyCheck#here(FrontEnd)}). */
        public Builder keyCheck(KeyCheck value) {
            this.keyCheck = Objects.requireNonNull(value);
            return this;
        }

        /**
         * The {@code DOCKER_CONFIG} and {@code REGISTRY_AUTH_FILE} the clients would otherwise use. When they are an
         * enclosing session's (nested blocks, two registries), the new session keeps its logins; a {@code
         * DOCKER_CONFIG} of the user's own gives only its settings, as {@code ~/.docker} would.
         */
        public Builder outer(String dockerConfigFolder, String authFile) {
            this.outerDockerConfig = dockerConfigFolder == null || dockerConfigFolder.isBlank() ? null : dockerConfigFolder;
            this.outerAuthFile = authFile == null || authFile.isBlank() ? null : authFile;
            return this;
        }

        /** Variables the clients run with (the build's environment in Jenkins), besides the session's own. */
        public Builder environment(Map<String, String> value) {
            this.environment = Objects.requireNonNull(value);
            return this;
        }

        /** Who opened the session, written into its marker so that a sweep can tell whether it still runs. */
        public Builder owner(String value) {
            this.owner = Objects.requireNonNull(value);
            return this;
        }

        public Builder timeout(Duration value) {
            this.timeout = Objects.requireNonNull(value);
            return this;
        }

        /** Whose words errors use to name an option: Jenkins' by default. */
        public Builder frontEnd(FrontEnd value) {
            this.frontEnd = Objects.requireNonNull(value);
            return this;
        }

        /** A Kubernetes pull secret for {@code kubectl apply -f}, made from the login's API key. */
        public Builder pullSecret(PullSecret value) {
            this.pullSecret = Objects.requireNonNull(value);
            return this;
        }

        /** @throws IllegalArgumentException when a pull secret is asked for with anything but an API key */
        public LoginRequest build() {
            if (pullSecret != null && !credential.username().equals(LoginCredential.API_KEY_USER)) {
                // A token dies within the hour, and a pull secret made of one would stop pulling images then.
                throw new IllegalArgumentException(Text.get(frontEnd, "pullSecret.notAKey", pullSecret));
            }
            return new LoginRequest(this);
        }
    }
}
