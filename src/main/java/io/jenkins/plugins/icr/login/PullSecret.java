package io.jenkins.plugins.icr.login;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jenkins.plugins.icr.FrontEnd;
import io.jenkins.plugins.icr.Text;
import java.util.Base64;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A Kubernetes image pull secret made from a session's login, written as a manifest for {@code kubectl apply -f}: a
 * Secret of type {@code kubernetes.io/dockerconfigjson} whose {@code .dockerconfigjson} holds exactly one login,
 * {@code iamapikey} and the key, for the session's host. It is made from the credential and the host alone, never
 * from the session's files, so an enclosing session's logins and the user's own settings ({@code auths}, helpers,
 * proxies) cannot reach a cluster through it.
 *
 * @param name the Secret's name
 * @param namespace its Kubernetes namespace; without one, {@code kubectl} uses the namespace it is set to
 */
public record PullSecret(String name, Optional<String> namespace) {

    /** The variable that holds the manifest's path in the body. */
    public static final String VARIABLE = "ICR_PULL_SECRET";

    static final String FILE = "pull-secret.json";
    static final String TYPE = "kubernetes.io/dockerconfigjson";
    static final String DATA_KEY = ".dockerconfigjson";

    /** What Kubernetes takes as a namespace's name: a DNS-1123 label. */
    private static final String LABEL = "[a-z0-9]([-a-z0-9]*[a-z0-9])?";
    /** What Kubernetes takes as a Secret's name: a DNS-1123 subdomain, labels joined by dots. */
    private static final Pattern SUBDOMAIN = Pattern.compile(LABEL + "(\\." + LABEL + ")*");
    private static final Pattern NAMESPACE = Pattern.compile(LABEL);

    public PullSecret {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(namespace, "namespace");
    }

    /**
     * The pull secret a block asks for, or none when no name is given.
     *
     * @param frontEnd whose option names an error uses
     * @throws IllegalArgumentException when a name is not one Kubernetes takes, or a namespace has no secret's name
     */
    public static Optional<PullSecret> of(String name, String namespace, FrontEnd frontEnd) {
        Optional<String> secret = present(name);
        Optional<String> space = present(namespace);
        if (secret.isEmpty()) {
            if (space.isPresent()) {
                throw new IllegalArgumentException(Text.get(frontEnd, "pullSecret.namespaceWithoutName"));
            }
            return Optional.empty();
        }
        checkName(secret.get(), frontEnd);
        space.ifPresent(n -> checkNamespace(n, frontEnd));
        return Optional.of(new PullSecret(secret.get(), space));
    }

    /** @throws IllegalArgumentException unless Kubernetes takes the name for a Secret */
    public static void checkName(String name, FrontEnd frontEnd) {
        if (name.length() > 253 || !SUBDOMAIN.matcher(name).matches()) {
            throw new IllegalArgumentException(Text.get(frontEnd, "pullSecret.badName", name));
        }
    }

    /** @throws IllegalArgumentException unless Kubernetes takes the name for a namespace */
    public static void checkNamespace(String namespace, FrontEnd frontEnd) {
        if (namespace.length() > 63 || !NAMESPACE.matcher(namespace).matches()) {
            throw new IllegalArgumentException(Text.get(frontEnd, "pullSecret.badNamespace", namespace));
        }
    }

    private static Optional<String> present(String value) {
        return Optional.ofNullable(value).map(String::strip).filter(s -> !s.isEmpty());
    }

    /** The Secret as {@code kubectl apply -f} reads it (JSON is YAML too). */
    byte[] manifest(String host, LoginCredential credential) {
        ObjectNode manifest = Json.object().put("apiVersion", "v1").put("kind", "Secret");
        ObjectNode metadata = manifest.putObject("metadata").put("name", name);
        namespace.ifPresent(n -> metadata.put("namespace", n));
        manifest.put("type", TYPE);
        manifest.putObject("data").put(DATA_KEY, data(host, credential));
        return Json.bytes(manifest);
    }

    /**
     * The Secret's data, base64 of {@code {"auths":{HOST:{"username":...,"password":...,"auth":...}}}} written as
     * {@code kubectl create secret docker-registry} writes it. It spells the key out in a form of its own, which a
     * log must mask whole.
     */
    String data(String host, LoginCredential credential) {
        ObjectNode config = Json.object();
        config.putObject("auths").putObject(host)
                .put("username", credential.username())
                .put("password", credential.secret())
                .put("auth", credential.basicAuth());
        return Base64.getEncoder().encodeToString(Json.compact(config));
    }

    /** For the log: {@code icr-pull}, or {@code apps/icr-pull} with a namespace. */
    @Override
    public String toString() {
        return namespace.map(n -> n + "/").orElse("") + name;
    }
}
