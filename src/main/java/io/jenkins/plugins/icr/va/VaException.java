package io.jenkins.plugins.icr.va;

import java.io.IOException;

/**
 * Vulnerability Advisor, or the registry behind it, gave no verdict, with a message that says what to do. It never
 * holds a key or a token.
 */
public class VaException extends IOException {

    private static final long serialVersionUID = 1L;

    /** Why, for the gate (which waits out some of them) and for tests. */
    public enum Reason {
        /** VA has no report for the image yet (HTTP 404 after the registry showed the image exists). */
        NOT_SCANNED,
        /** VA answered 429 or 5xx: worth asking again while there is time. */
        UNAVAILABLE,
        /** The IAM token was refused (HTTP 401), by VA or by the registry's token service. */
        UNAUTHORIZED,
        /** VA refused the account (HTTP 403): no Reader role, or VA not available to it. */
        FORBIDDEN,
        NO_ACCOUNT,
        NO_REPOSITORY,
        NO_TAG,
        PULL_DENIED,
        TIMEOUT,
        UNKNOWN_STATUS,
        UNREACHABLE,
        UNTRUSTED_CERTIFICATE,
        MALFORMED_ANSWER,
        REJECTED
    }

    private final Reason reason;

    VaException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    VaException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }

    /** Whether the gate should ask again while its timeout allows. */
    boolean retryable() {
        return reason == Reason.NOT_SCANNED || reason == Reason.UNAVAILABLE;
    }
}
