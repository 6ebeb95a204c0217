package io.jenkins.plugins.icr.jenkins.agent;

import hudson.remoting.VirtualChannel;
import hudson.util.Secret;
import io.jenkins.plugins.icr.http.EnvironmentProxy;
import io.jenkins.plugins.icr.login.KeyCheck;
import io.jenkins.plugins.icr.login.LoginCredential;
import io.jenkins.plugins.icr.login.ProvenKeys;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import jenkins.security.MasterToSlaveCallable;

/**
 * The registry's token request, made from the agent: the machine that will push is the one that must reach the
 * registry (private endpoints answer only inside IBM Cloud). The secret crosses the agent channel as a {@link
 * Secret}, as it would in the auth file. The agent remembers a proof for a few minutes ({@link ProvenKeys}), so
 * that its blocks do not each pay the registry's round trips.
 */
public final class AgentKeyCheck implements KeyCheck {

    private final VirtualChannel channel;

    public AgentKeyCheck(VirtualChannel channel) {
        this.channel = channel;
    }

    @Override
    public void verify(String host, LoginCredential credential, Optional<String> caCertificatePem,
            Map<String, String> environment) throws IOException, InterruptedException {
        channel.call(new Check(host, credential.username(), Secret.fromString(credential.secret()),
                caCertificatePem.orElse(null), proxyVariables(environment)));
    }

    /** Only what the check reads of the build's environment travels: its proxy settings. */
    private static HashMap<String, String> proxyVariables(Map<String, String> environment) {
        return new HashMap<>(EnvironmentProxy.variables(environment));
    }

    private static final class Check extends MasterToSlaveCallable<Void, IOException> {
        private static final long serialVersionUID = 1L;
        private final String host;
        private final String username;
        private final Secret secret;
        private final String caPem;
        private final HashMap<String, String> environment;

        Check(String host, String username, Secret secret, String caPem, HashMap<String, String> environment) {
            this.host = host;
            this.username = username;
            this.secret = secret;
            this.caPem = caPem;
            this.environment = environment;
        }

        @Override
        public Void call() throws IOException {
            try {
                ProvenKeys.shared().verify(host, LoginCredential.of(username, secret.getPlainText()),
                        Optional.ofNullable(caPem), environment);
                return null;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException(e);
            }
        }
    }
}
