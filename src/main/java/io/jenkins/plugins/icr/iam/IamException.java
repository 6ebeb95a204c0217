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
        MALFORMED_ANSWER,
        /** A trusted profile's compute resource token: no file where it should be. */
        NO_TOKEN_FILE,
        /** A trusted profile's compute resource token: a file that cannot be read, or holds no token. */
        UNREADABLE_TOKEN,
        /** A trusted profile's compute resource token that expired before it was sent (nothing renews the file). */
        EXPIRED_TOKEN,
        /** BXNIM0407E for a compute resource token: IAM does not accept its signature, audience or expiry. */
        TOKEN_REFUSED,
        /** IAM would not give this compute resource the profile: no such profile, or no link that matches. */
        PROFILE_NOT_TRUSTED,
        /** The IAM endpoint is not one the caller allows: nothing was read or sent. */
        ENDPOINT_NOT_ALLOWED,
        /** The VPC instance metadata service did not answer, or refused. */
        METADATA_FAILED
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
