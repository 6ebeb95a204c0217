package io.jenkins.plugins.icr.jenkins.credentials;

import com.cloudbees.plugins.credentials.CredentialsProvider;
import com.cloudbees.plugins.credentials.common.StandardCredentials;
import com.cloudbees.plugins.credentials.common.StandardUsernamePasswordCredentials;
import com.cloudbees.plugins.credentials.CredentialsMatcher;
import com.cloudbees.plugins.credentials.CredentialsMatchers;
import hudson.AbortException;
import hudson.model.Run;
import hudson.util.Secret;
import io.jenkins.plugins.icr.block.Mode;
import io.jenkins.plugins.icr.iam.AccessToken;
import io.jenkins.plugins.icr.iam.IamException;
import io.jenkins.plugins.icr.jenkins.Messages;
import io.jenkins.plugins.icr.login.LoginCredential;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import org.jenkinsci.plugins.plaincredentials.StringCredentials;

/**
 * Finds the credentials a block names and turns them into what the agent logs in with. Three kinds are taken: the
 * "IBM Cloud API key" type, "Secret text" holding a key, and "Username with password" with username {@code
 * iamapikey} or {@code iambearer}.
 */
public final class CredentialLookup {

    /** The credentials a block can use, for the drop-down: other usernames would only fail at the login. */
    public static final CredentialsMatcher USABLE = CredentialsMatchers.anyOf(
            CredentialsMatchers.instanceOf(StringCredentials.class),
            CredentialsMatchers.allOf(CredentialsMatchers.instanceOf(StandardUsernamePasswordCredentials.class),
                    CredentialsMatchers.anyOf(CredentialsMatchers.withUsername(LoginCredential.API_KEY_USER),
                            CredentialsMatchers.withUsername(LoginCredential.BEARER_USER))));

    private CredentialLookup() {}

    /**
     * What the block logs in with, and the API key when the agent may have it ({@code exposeApiKeyAs}); in bearer
     * mode it may not, and {@code apiKey} is empty while {@code token} is the IAM token the login was made with.
     */
    public record Found(LoginCredential login, Optional<String> apiKey, Optional<AccessToken> token) {

        /** Whose key it is, where that is known without another IAM call: in bearer mode, from the token. */
        public Optional<String> identity() {
            return token.map(t -> t.identity().describe());
        }
    }

    /**
     * The credential for this build, looked up as the build's authentication may (folder credentials, user
     * credentials with USE_ITEM/USE_OWN) and tracked for fingerprints. In bearer mode the key is exchanged for an IAM
     * token here, on the controller, so that only the token goes to the agent.
     */
    public static Found find(Run<?, ?> run, String credentialsId, Mode mode)
            throws IOException, InterruptedException {
        StandardCredentials found = CredentialsProvider.findCredentialById(credentialsId, StandardCredentials.class,
                run, List.of());
        if (found == null) {
            throw new AbortException(Messages.lookup_notFound(credentialsId));
        }
        LoginCredential credential = credential(found, credentialsId);
        CredentialsProvider.track(run, found);
        if (mode != Mode.BEARER) {
            boolean isKey = credential.username().equals(LoginCredential.API_KEY_USER);
            return new Found(credential, isKey ? Optional.of(credential.secret()) : Optional.empty(), Optional.empty());
        }
        AccessToken token = token(found, credential, credentialsId, null);
        return new Found(LoginCredential.bearer(token.token()), Optional.empty(), Optional.of(token));
    }

    /**
     * A token to renew a bearer login with, made from the credential as it is now (a key rotated meanwhile is
     * used): one that outlives {@code old}, shared with every block renewing the same key, or any fresh one when
     * {@code old} is {@code null} (after a restart).
     */
    public static AccessToken renewal(Run<?, ?> run, String credentialsId, AccessToken old)
            throws IOException, InterruptedException {
        StandardCredentials found = CredentialsProvider.findCredentialById(credentialsId, StandardCredentials.class,
                run, List.of());
        if (found == null) {
            throw new AbortException(Messages.lookup_notFound(credentialsId));
        }
        return token(found, credential(found, credentialsId), credentialsId, old);
    }

    private static AccessToken token(StandardCredentials found, LoginCredential credential, String id,
            AccessToken old) throws IOException, InterruptedException {
        if (!credential.username().equals(LoginCredential.API_KEY_USER)) {
            throw new AbortException(Messages.lookup_bearerNeedsKey(id));
        }
        String endpoint = found instanceof IbmCloudApiKeyCredentials key ? key.getIamEndpoint() : null;
        try {
            return Iam.token(endpoint, credential.secret(), old);
        } catch (IamException e) {
            throw new AbortException(e.getMessage()); // says what to do; a stack trace would not
        }
    }

    private static LoginCredential credential(StandardCredentials found, String id) throws AbortException {
        try {
            if (found instanceof StandardUsernamePasswordCredentials user) {
                return LoginCredential.of(user.getUsername(), Secret.toString(user.getPassword()));
            }
            if (found instanceof StringCredentials text) {
                return LoginCredential.apiKey(Secret.toString(text.getSecret()));
            }
        } catch (IllegalArgumentException e) {
            throw new AbortException(id + ": " + e.getMessage());
        }
        throw new AbortException(Messages.lookup_wrongType(id, found.getDescriptor().getDisplayName()));
    }
}
