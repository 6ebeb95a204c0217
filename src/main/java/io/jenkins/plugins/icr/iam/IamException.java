package io.jenkins.plugins.icr.iam;

import java.io.IOException;
import java.util.Optional;

/**
 * IBM Cloud IAM did not give a token, with a message that says what to do. It never holds a key or a token; it
 * names IAM's request id when IAM sent one, because IBM support asks for it.
 */
public class IamException extends IOException {

    private static final long serialVersionUID = 1L;

    /** Why, for callers that act on it and for tests. */
    public enum Reason {
        /** BXNIM0415E: IAM does not know the key (deleted, mistyped, another endpoint's). */
        KEY_NOT_FOUND,
        /** Any other refusal of the request (400, 401, 403 with an IAM error). */
        REJECTED,
        RATE_LIMITED,
        UNAVAILABLE,
        TIMEOUT,
        UNTRUSTED_CERTIFICATE,
        UNREACHABLE,
        MALFORMED_ANSWER
    }

    private final Reason reason;
    private final String requestId;

    IamException(Reason reason, String message, String requestId, Throwable cause) {
        super(message, cause);
        this.reason = reason;
        this.requestId = requestId;
    }

    public Reason reason() {
        return reason;
    }

    public Optional<String> requestId() {
        return Optional.ofNullable(requestId);
    }
}
