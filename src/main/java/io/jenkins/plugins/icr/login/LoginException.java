package io.jenkins.plugins.icr.login;

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
}
