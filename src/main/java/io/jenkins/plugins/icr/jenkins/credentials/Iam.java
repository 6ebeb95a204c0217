package io.jenkins.plugins.icr.jenkins.credentials;

import hudson.AbortException;
import hudson.ProxyConfiguration;
import hudson.Util;
import hudson.cli.CLICommand;
import hudson.util.Secret;
import io.jenkins.plugins.icr.iam.AccessToken;
import io.jenkins.plugins.icr.iam.IamClient;
import io.jenkins.plugins.icr.iam.IamEndpoints;
import io.jenkins.plugins.icr.iam.TokenCache;
import io.jenkins.plugins.icr.jenkins.Messages;
import java.io.IOException;
import java.net.ProxySelector;
import java.net.SocketAddress;
import java.net.URI;
import java.util.List;
import jenkins.model.Jenkins;
import org.kohsuke.stapler.Stapler;

/**
 * IBM Cloud IAM as the controller reaches it: through Jenkins' proxy settings, with one token cache for the whole
 * controller (the deliberate static state: IAM rate-limits per account, and every build of every job shares it).
 */
public final class Iam {

    private static final TokenCache TOKENS = new TokenCache();

    private Iam() {}

    /**
     * A client for the endpoint, or the public one when it is empty.
     *
     * @throws AbortException when a key may not be sent there: not IBM's, and not allowed by an administrator
     */
    public static IamClient client(String endpoint) throws IOException {
        checkAllowed(endpoint);
        return clientBuilder().endpoint(Util.fixEmptyAndTrim(endpoint)).build();
    }

    /** An IAM client's settings as the controller reaches IAM: through Jenkins' proxy. */
    static IamClient.Builder clientBuilder() {
        Proxy proxy = proxy();
        IamClient.Builder iam = IamClient.builder().proxy(proxy.selector());
        if (proxy.user() != null) {
            iam.proxyCredentials(proxy.user(), proxy.password());
        }
        return iam;
    }

    /**
     * The endpoint as a credential stores it (empty as {@code null}), for a {@code @DataBoundSetter}.
     *
     * @throws IllegalArgumentException when no secret may be sent there (see {@link #checkAllowed}): a form, a
     *     Configuration as Code file or a script cannot store such an endpoint
     */
    static String storable(String endpoint) {
        String value = Util.fixEmptyAndTrim(endpoint);
        try {
            checkAllowed(value);
        } catch (AbortException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        return value;
    }

    /**
     * For a credential's {@code readResolve}: one read from XML that a user sent (a {@code config.xml} POST, an XML
     * create, a CLI command) is held to the same rule as a form. One read from disk is kept as it is, so that
     * narrowing the allowed endpoints loses no credential; its use is refused instead.
     */
    static void checkIfSubmitted(String endpoint) throws AbortException {
        if (Stapler.getCurrentRequest2() != null || CLICommand.getCurrent() != null) {
            checkAllowed(endpoint);
        }
    }

    /** Jenkins' proxy, for the controller's other HTTPS calls too (Vulnerability Advisor). */
    public static Proxy proxy() {
        ProxyConfiguration proxy = Jenkins.get().getProxy();
        boolean named = proxy != null && Util.fixEmpty(proxy.getUserName()) != null;
        return new Proxy(named ? proxy.getUserName() : null, named ? Secret.toString(proxy.getSecretPassword()) : null);
    }

    /** Jenkins' proxy as an engine client takes it: where to connect, and the user and password it asks for. */
    public static final class Proxy {

        private final String user;
        private final String password;

        private Proxy(String user, String password) {
            this.user = user;
            this.password = password;
        }

        /** Reads Manage Jenkins › System › HTTP Proxy at each connection, so that a change applies at once. */
        public ProxySelector selector() {
            return new JenkinsProxy();
        }

        /** The proxy's user, or {@code null} when it asks for none. */
        public String user() {
            return user;
        }

        public String password() {
            return password;
        }

        @Override
        public String toString() {
            return "Jenkins' HTTP proxy" + (user == null ? "" : " as " + user);
        }
    }

    /**
     * A fresh access token for the key: the cached one while it is, else one IAM call, shared by all who wait. With
     * {@code old}, one that outlives it (see {@link TokenCache#renewal}).
     */
    public static AccessToken token(String endpoint, String apiKey, AccessToken old)
            throws IOException, InterruptedException {
        return old == null ? TOKENS.token(client(endpoint), apiKey) : TOKENS.renewal(client(endpoint), apiKey, old);
    }

    /**
     * Refuses an endpoint a stored key may not be sent to, before anything is sent: every use of a key with IAM
     * (Verify, bearer mode, the token cache) comes through here.
     *
     * @throws AbortException naming the endpoint and who can allow it
     */
    public static void checkAllowed(String endpoint) throws AbortException {
        String canonical;
        try {
            canonical = IamEndpoints.canonical(endpoint);
        } catch (IllegalArgumentException e) {
            throw new AbortException(e.getMessage());
        }
        if (!IcrGlobalConfiguration.get().iamEndpoints().allows(canonical)) {
            throw new AbortException(Messages.iam_notAllowed(canonical));
        }
    }

    /** Jenkins' proxy as configured under Manage Jenkins, read at each connection so that changes apply at once. */
    private static final class JenkinsProxy extends ProxySelector {
        @Override
        public List<java.net.Proxy> select(URI uri) {
            ProxyConfiguration proxy = Jenkins.get().getProxy();
            return List.of(proxy == null ? java.net.Proxy.NO_PROXY : proxy.createProxy(uri.getHost()));
        }

        @Override
        public void connectFailed(URI uri, SocketAddress address, IOException e) {
            // OkHttp reports and retries by itself.
        }
    }
}
