package io.jenkins.plugins.icr.jenkins.credentials;

import com.cloudbees.plugins.credentials.CredentialsMatcher;
import com.cloudbees.plugins.credentials.CredentialsMatchers;
import com.cloudbees.plugins.credentials.CredentialsProvider;
import com.cloudbees.plugins.credentials.common.StandardCredentials;
import com.cloudbees.plugins.credentials.common.StandardUsernamePasswordCredentials;
import edu.umd.cs.findbugs.annotations.CheckForNull;
import hudson.AbortException;
import hudson.model.Run;
import hudson.remoting.VirtualChannel;
import hudson.util.Secret;
import io.jenkins.plugins.icr.FrontEnd;
import io.jenkins.plugins.icr.block.BlockOptions;
import io.jenkins.plugins.icr.block.Mode;
import io.jenkins.plugins.icr.iam.AccessToken;
import io.jenkins.plugins.icr.iam.IamEndpoints;
import io.jenkins.plugins.icr.iam.IamException;
import io.jenkins.plugins.icr.jenkins.agent.AgentProfileTokens;
import io.jenkins.plugins.icr.jenkins.Messages;
import io.jenkins.plugins.icr.login.LoginCredential;
import io.jenkins.plugins.icr.login.LoginRenewal;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jenkinsci.plugins.plaincredentials.StringCredentials;

/**
 * Finds the credentials a block names and turns them into what the agent logs in with. Four kinds are taken: the
 * "IBM Cloud API key" type, "Secret text" holding a key, "Username with password" with username {@code
 * iamapikey} or {@code iambearer}, and the keyless "IBM Cloud trusted profile", whose IAM tokens the agent makes.
 */
public final class CredentialLookup {

    /** The credentials a block can use, for the drop-down: other usernames would only fail at the login. */
    public static final CredentialsMatcher USABLE = CredentialsMatchers.anyOf(
            CredentialsMatchers.instanceOf(StringCredentials.class),
            CredentialsMatchers.instanceOf(IbmCloudTrustedProfileCredentials.class),
            CredentialsMatchers.allOf(CredentialsMatchers.instanceOf(StandardUsernamePasswordCredentials.class),
                    CredentialsMatchers.anyOf(CredentialsMatchers.withUsername(LoginCredential.API_KEY_USER),
                            CredentialsMatchers.withUsername(LoginCredential.BEARER_USER))));

    private CredentialLookup() {}

    /**
     * What the block logs in with, and the API key when the agent may have it ({@code exposeApiKeyAs}); in bearer
     * mode it may not, and {@code apiKey} is empty while {@code token} is the IAM token the login was made with.
     *
     * @param keyless whether the token is a trusted profile's, made on the agent: no key exists anywhere
     */
    public record Found(LoginCredential login, Optional<String> apiKey, Optional<AccessToken> token, boolean keyless) {

        /** Whose key it is, where that is known without another IAM call: in bearer mode, from the token. */
        public Optional<String> identity() {
            return token.map(t -> t.identity().describe());
        }
    }

    /**
     * The credential for this build, looked up as the build's authentication may (folder credentials, user
     * credentials with USE_ITEM/USE_OWN) and tracked for fingerprints. In bearer mode the key is exchanged for an IAM
     * token here, on the controller, so that only the token goes to the agent. A trusted profile's token is made on
     * the agent, which holds the compute resource token (docs/security.md).
     *
     * @param options the block's options, which a trusted profile narrows (no pull secret, nothing to expose)
     * @param agent the block's agent
     * @param environment the block's, for the proxy the agent reaches IAM through
     */
    public static Found find(Run<?, ?> run, String credentialsId, BlockOptions options, VirtualChannel agent,
            Map<String, String> environment) throws IOException, InterruptedException {
        StandardCredentials found = lookup(run, credentialsId);
        if (found instanceof IbmCloudTrustedProfileCredentials profile) {
            try {
                options.forTrustedProfile(FrontEnd.JENKINS);
            } catch (IllegalArgumentException e) {
                throw new AbortException(e.getMessage());
            }
            CredentialsProvider.track(run, found);
            AccessToken token = profileTokens(profile, credentialsId, agent, environment).after(null);
            return new Found(LoginCredential.bearer(token.token()), Optional.empty(), Optional.of(token), true);
        }
        LoginCredential credential = credential(found, credentialsId);
        CredentialsProvider.track(run, found);
        if (options.mode() != Mode.BEARER) {
            boolean isKey = credential.username().equals(LoginCredential.API_KEY_USER);
            return new Found(credential, isKey ? Optional.of(credential.secret()) : Optional.empty(), Optional.empty(),
                    false);
        }
        if (!credential.username().equals(LoginCredential.API_KEY_USER)) {
            throw new AbortException(Messages.lookup_bearerNeedsKey(credentialsId));
        }
        AccessToken token = new IamKey(found, credential).token(null);
        return new Found(LoginCredential.bearer(token.token()), Optional.empty(), Optional.of(token), false);
    }

    /**
     * Where the credentials' IAM tokens come from, looked up anew for each use so that credentials changed meanwhile
     * apply: an API key's from the controller, a trusted profile's from {@code agent}, which has its token.
     *
     * @param agent the agent the build runs on, or {@code null} outside a node block: a trusted profile is refused
     */
    public static LoginRenewal.Tokens tokens(Run<?, ?> run, String credentialsId, @CheckForNull VirtualChannel agent,
            Map<String, String> environment) throws IOException {
        StandardCredentials found = lookup(run, credentialsId);
        if (found instanceof IbmCloudTrustedProfileCredentials profile) {
            CredentialsProvider.track(run, found);
            return profileTokens(profile, credentialsId, agent, environment)::after;
        }
        return iamKey(run, credentialsId)::token;
    }

    /**
     * The profile's tokens from the agent, its IAM endpoint checked here, against the controller's allow-list,
     * before anything is read there.
     */
    private static LoginRenewal.Tokens profileTokens(IbmCloudTrustedProfileCredentials profile, String credentialsId,
            @CheckForNull VirtualChannel agent, Map<String, String> environment) throws AbortException {
        if (agent == null) {
            throw new AbortException(Messages.lookup_profileNeedsAgent(credentialsId));
        }
        Iam.checkAllowed(profile.getIamEndpoint());
        AgentProfileTokens tokens = new AgentProfileTokens(agent, profile.trustedProfile(),
                IamEndpoints.canonical(profile.getIamEndpoint()), environment);
        return old -> {
            try {
                return tokens.after(old);
            } catch (AbortException e) {
                throw new AbortException(Messages.lookup_profileFailed(credentialsId, e.getMessage()));
            }
        };
    }

    /**
     * The API key of the credentials, for the IAM tokens the controller makes of it: a bearer login's renewals
     * (looked up anew each time, so that a key rotated meanwhile is used) and Vulnerability Advisor's calls.
     * Credentials that hold an IAM token are refused: only a key makes new ones.
     */
    public static IamKey iamKey(Run<?, ?> run, String credentialsId) throws IOException {
        StandardCredentials found = lookup(run, credentialsId);
        LoginCredential credential = credential(found, credentialsId);
        if (!credential.username().equals(LoginCredential.API_KEY_USER)) {
            throw new AbortException(Messages.lookup_keyNeeded(credentialsId));
        }
        CredentialsProvider.track(run, found);
        return new IamKey(found, credential);
    }

    /** An API key and the IAM endpoint its credentials name; it makes tokens on the controller, never shows the key. */
    public static final class IamKey {

        private final String endpoint;
        private final String apiKey;

        private IamKey(StandardCredentials found, LoginCredential credential) {
            this.endpoint = found instanceof IbmCloudApiKeyCredentials key ? key.getIamEndpoint() : null;
            this.apiKey = credential.secret();
        }

        /**
         * A fresh IAM access token: the controller's cached one while it is, else one IAM call shared by all who
         * wait; with {@code old}, one that outlives it (see {@link Iam#token}).
         */
        public AccessToken token(AccessToken old) throws IOException, InterruptedException {
            try {
                return Iam.token(endpoint, apiKey, old);
            } catch (IamException e) {
                throw new AbortException(e.getMessage()); // says what to do; a stack trace would not
            }
        }

        @Override
        public String toString() {
            return "IBM Cloud API key";
        }
    }

    private static StandardCredentials lookup(Run<?, ?> run, String credentialsId) throws AbortException {
        StandardCredentials found = CredentialsProvider.findCredentialById(credentialsId, StandardCredentials.class,
                run, List.of());
        if (found == null) {
            throw new AbortException(Messages.lookup_notFound(credentialsId));
        }
        return found;
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
