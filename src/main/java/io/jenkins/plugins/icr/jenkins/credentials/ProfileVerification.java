package io.jenkins.plugins.icr.jenkins.credentials;

import hudson.util.FormValidation;
import io.jenkins.plugins.icr.FrontEnd;
import io.jenkins.plugins.icr.iam.IamEndpoints;
import io.jenkins.plugins.icr.iam.ProfileTokens;
import io.jenkins.plugins.icr.iam.TrustedProfile;
import io.jenkins.plugins.icr.jenkins.Messages;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import jenkins.model.Jenkins;

/**
 * What the trusted profile's Verify button does. A profile's token belongs to the machine it runs on: the
 * controller can try one only when it runs in a pod with a projected token itself. Everywhere else it says that the
 * token exists only on the agents, rather than fail as if the profile were wrong.
 */
final class ProfileVerification {

    private ProfileVerification() {}

    static FormValidation verify(TrustedProfile profile) throws InterruptedException {
        if (!(profile.source() instanceof TrustedProfile.TokenFile file)) {
            // The metadata service answers only the server it runs on, and a controller off VPC would wait for it.
            return FormValidation.warning(Messages.verifyProfile_vpcOnAgents());
        }
        List<String> present = file.candidates().stream().filter(f -> Files.isRegularFile(Path.of(f))).toList();
        if (present.isEmpty()) {
            return FormValidation.warning(Messages.verifyProfile_onlyOnAgents(String.join(" or ", file.candidates())));
        }
        if (!Jenkins.get().hasPermission(Jenkins.ADMINISTER)) {
            // Reading a file of the controller's own is an administrator's business, even to send it to IAM only.
            return FormValidation.warning(Messages.verifyProfile_administratorsOnly());
        }
        try {
            Iam.checkAllowed(profile.iamEndpoint());
            ProfileTokens tokens = ProfileTokens.builder(profile).iam(Iam.clientBuilder())
                    .allowed(IamEndpoints.allowing(List.of(IamEndpoints.canonical(profile.iamEndpoint()))))
                    .frontEnd(FrontEnd.JENKINS).build();
            return FormValidation.ok(Messages.verifyProfile_verified(tokens.token().identity().describe()));
        } catch (IllegalArgumentException | IOException e) {
            return FormValidation.error(e.getMessage()); // IAM's words and what to do; never a token
        }
    }
}
