package io.jenkins.plugins.icr.iam;

import io.jenkins.plugins.icr.Text;
import java.time.Instant;
import java.util.Optional;

/**
 * Whose an API key is, read from the claims of the access token IAM gave for it. For display only: the claims are
 * not verified, and nothing is decided on them.
 */
public record Identity(Kind kind, String iamId, Optional<String> name, Optional<String> email,
        Optional<String> accountId, Instant expiresAt) {

    public enum Kind {
        USER,
        SERVICE_ID,
        /** A trusted profile or another IAM identity: shown by its IAM id. */
        OTHER
    }

    /** One sentence for an administrator: "service ID ci-pusher (iam-ServiceId-...) in account 1a2b...". */
    public String describe() {
        String account = accountId.orElse("?");
        return switch (kind) {
            case USER -> Text.get("iam.identity.user", name.orElse(iamId), email.orElse(iamId), iamId, account);
            case SERVICE_ID -> Text.get("iam.identity.serviceId", name.orElse(iamId), iamId, account);
            case OTHER -> Text.get("iam.identity.other", iamId, account);
        };
    }

    @Override
    public String toString() {
        return describe();
    }
}
