package io.jenkins.plugins.icr.jenkins.agent;

import hudson.AbortException;
import hudson.remoting.VirtualChannel;
import io.jenkins.plugins.icr.FrontEnd;
import io.jenkins.plugins.icr.http.EnvironmentProxy;
import io.jenkins.plugins.icr.iam.AccessToken;
import io.jenkins.plugins.icr.iam.IamClient;
import io.jenkins.plugins.icr.iam.IamEndpoints;
import io.jenkins.plugins.icr.iam.IamException;
import io.jenkins.plugins.icr.iam.ProfileTokens;
import io.jenkins.plugins.icr.iam.TokenCache;
import io.jenkins.plugins.icr.iam.TrustedProfile;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import jenkins.security.MasterToSlaveCallable;

/**
 * A trusted profile's IAM tokens, made on the agent (docs/security.md, "Trusted profiles: where the exchange runs"):
 * the compute resource token is read there, where the cluster put it, and never crosses the channel; only the
 * profile (no secret) goes to the agent and only the IAM token comes back. The IAM endpoint was checked against the
 * allow-list on the controller, and the agent is allowed that one endpoint and IBM's, nothing it could widen.
 */
public final class AgentProfileTokens {

    private final VirtualChannel channel;
    private final TrustedProfile profile;
    private final String checkedEndpoint;
    private final HashMap<String, String> proxy;

    /**
     * @param checkedEndpoint the profile's IAM endpoint, already allowed by the controller's allow-list
     * @param environment the build's, of which only the proxy variables travel
     */
    public AgentProfileTokens(VirtualChannel channel, TrustedProfile profile, String checkedEndpoint,
            Map<String, String> environment) {
        this.channel = channel;
        this.profile = profile;
        this.checkedEndpoint = checkedEndpoint;
        this.proxy = new HashMap<>(EnvironmentProxy.variables(environment));
    }

    /** A token that outlives {@code old} (null: a fresh one), made from the token file as it is now. */
    public AccessToken after(AccessToken old) throws IOException, InterruptedException {
        return channel.call(new Exchange(profile, checkedEndpoint, proxy, old));
    }

    private static final class Exchange extends MasterToSlaveCallable<AccessToken, IOException> {

        private static final long serialVersionUID = 1L;

        /**
         * The agent JVM's own: blocks of one pod share its token file, so they share IAM's answers; this class is
         * loaded in each agent's JVM, so no two agents share one.
         */
        private static final TokenCache CACHE = new TokenCache();

        private final TrustedProfile profile;
        private final String checkedEndpoint;
        private final HashMap<String, String> proxy;
        private final AccessToken old;

        Exchange(TrustedProfile profile, String checkedEndpoint, HashMap<String, String> proxy, AccessToken old) {
            this.profile = profile;
            this.checkedEndpoint = checkedEndpoint;
            this.proxy = proxy;
            this.old = old;
        }

        @Override
        public AccessToken call() throws IOException {
            try {
                return ProfileTokens.builder(profile).iam(IamClient.builder().proxyOf(proxy)).allowed(IamEndpoints.allowing(List.of(checkedEndpoint)))
                        .cache(CACHE).frontEnd(FrontEnd.JENKINS).build().after(old);
            } catch (IamException | IllegalArgumentException e) {
                throw new AbortException(e.getMessage()); // says what to do; the agent's stack trace would not
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException(e);
            }
        }
    }

    @Override
    public String toString() {
        return "IAM tokens of " + profile + ", made on the agent";
    }
}
