package io.jenkins.plugins.icr.login;

import io.jenkins.plugins.icr.FrontEnd;
import io.jenkins.plugins.icr.Text;
import java.io.IOException;

/**
 * A login that did not happen, with a message that says what to do about it. The message never holds a key, a
 * token or an auth value.
 */
public class LoginException extends IOException {

    private static final long serialVersionUID = 1L;

    /** Why, for callers that act on it (and tests that assert on it). */
    public enum Reason {
        WRONG_CREDENTIALS,
        CLIENT_NOT_INSTALLED,
        UNTRUSTED_CERTIFICATE,
        REGISTRY_UNREACHABLE,
        CLIENT_FAILED
    }

    private final Reason reason;

    public LoginException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public LoginException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }

    static LoginException wrongCredentials(String host, LoginCredential credential) {
        return new LoginException(Reason.WRONG_CREDENTIALS, Text.get(
                credential.username().equals(LoginCredential.API_KEY_USER) ? "login.wrongKey" : "login.wrongToken",
                host));
    }

    static LoginException untrusted(String host, FrontEnd frontEnd, Throwable cause) {
        return new LoginException(Reason.UNTRUSTED_CERTIFICATE, Text.get(frontEnd, "login.untrusted", host), cause);
    }

    /** @param detail what the client or the connection said, without secrets */
    static LoginException unreachable(String host, String detail, Throwable cause) {
        return new LoginException(Reason.REGISTRY_UNREACHABLE, Text.get("registry.unreachable", host, detail), cause);
    }
}
