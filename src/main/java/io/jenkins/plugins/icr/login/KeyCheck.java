package io.jenkins.plugins.icr.login;

import io.jenkins.plugins.icr.FrontEnd;
import java.io.IOException;
import java.util.Map;
import java.util.Optional;

/**
 * Proves a credential with the registry's own token request, as a client's login would, before the auth-file mode
 * writes it. It is a seam because of where it should run: the machine that runs the body is the one that must
 * reach the registry (private endpoints answer only inside IBM Cloud), so the Jenkins adapter runs it on the agent.
 */
@FunctionalInterface
public interface KeyCheck {

    /**
     * @param environment the variables the clients would run with; their {@code HTTPS_PROXY} and {@code NO_PROXY}
     *     apply, as they would to docker
     * @throws LoginException saying why the registry refused, or could not be reached
     */
    void verify(String host, LoginCredential credential, Optional<String> caCertificatePem,
            Map<String, String> environment) throws IOException, InterruptedException;

    /** The check made from this JVM, with errors in Jenkins' words. */
    static KeyCheck here() {
        return here(FrontEnd.JENKINS);
    }

    /** The check made from this JVM, with errors in the words of {@code frontEnd}. */
    static KeyCheck here(FrontEnd frontEnd) {
        return (host, credential, ca, environment) -> TokenCheck.trusting(ca, environment, frontEnd)
                .verify(host, credential);
    }
}
