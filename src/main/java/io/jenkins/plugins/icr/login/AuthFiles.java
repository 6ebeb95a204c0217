package io.jenkins.plugins.icr.login;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Optional;

/**
 * What goes into a session's two auth files: docker's {@code config.json} and the containers tools' {@code
 * auth.json}. Both use the same {@code {"auths":{"HOST":{"auth":"base64(user:secret)"}}}} form, but they are kept
 * apart because the containers tools rewrite their file keeping only {@code auths} and {@code credHelpers}.
 */
final class AuthFiles {

    static final String DOCKER_CONFIG = "config.json";
    static final String CONTAINERS_AUTH = "auth.json";

    /** What may never reach a session's file from another one: helpers would take the key out of the session. */
    private static final List<String> HELPERS = List.of("credsStore", "credHelpers");

    private AuthFiles() {}

    /**
     * The session's docker config. It starts from the enclosing session's config when there is one (so that its
     * logins stay), otherwise from the user's own {@code config.json} without its logins (so that proxies and
     * {@code HttpHeaders} carry over); never with credential helpers. Then {@code host} gets {@code entry}.
     */
    static byte[] dockerConfig(Optional<byte[]> outerConfig, Optional<byte[]> userConfig, String host, ObjectNode entry) {
        ObjectNode config = outerConfig.flatMap(Json::parseObject).orElseGet(() -> {
            ObjectNode user = userConfig.flatMap(Json::parseObject).orElseGet(Json::object);
            user.remove("auths");
            return user;
        });
        config.remove(HELPERS);
        return withEntry(config, host, entry);
    }

    /** The session's containers auth file: the enclosing session's logins, if any, and {@code host}. */
    static byte[] containersAuth(Optional<byte[]> outerAuth, String host, ObjectNode entry) {
        ObjectNode auth = Json.object();
        outerAuth.flatMap(Json::parseObject).map(o -> o.get("auths"))
                .filter(ObjectNode.class::isInstance)
                .ifPresent(auths -> auth.set("auths", auths));
        return withEntry(auth, host, entry);
    }

    /** A session's own file with {@code host}'s entry replaced, everything else kept. */
    static byte[] replaced(Optional<byte[]> current, String host, ObjectNode entry) {
        return withEntry(current.flatMap(Json::parseObject).orElseGet(Json::object), host, entry);
    }

    /** A logged-in entry, as every client writes it. */
    static ObjectNode loggedIn(LoginCredential credential) {
        return Json.object().put("auth", credential.basicAuth());
    }

    /**
     * An entry with no login in it. docker keeps a host it finds in {@code auths} in the file; given a file with no
     * auth data at all, it would hand the key to whatever {@code docker-credential-*} helper is on the PATH.
     */
    static ObjectNode placeholder() {
        return Json.object();
    }

    private static byte[] withEntry(ObjectNode file, String host, ObjectNode entry) {
        ObjectNode auths = file.get("auths") instanceof ObjectNode existing ? existing : file.putObject("auths");
        auths.set(host, entry);
        return Json.bytes(file);
    }
}
