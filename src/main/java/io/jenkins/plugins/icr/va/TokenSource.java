package io.jenkins.plugins.icr.va;

import io.jenkins.plugins.icr.iam.AccessToken;
import java.io.IOException;

/**
 * Where the gate gets an IAM access token for each request: in Jenkins and {@code icr-login}, the single-flight
 * {@link io.jenkins.plugins.icr.iam.TokenCache}, so that a long wait renews its token and many builds share one.
 */
@FunctionalInterface
public interface TokenSource {

    AccessToken token() throws IOException, InterruptedException;
}
