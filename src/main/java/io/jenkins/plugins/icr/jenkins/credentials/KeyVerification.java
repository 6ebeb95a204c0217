package io.jenkins.plugins.icr.jenkins.credentials;

import com.cloudbees.plugins.credentials.Credentials;
import com.cloudbees.plugins.credentials.CredentialsProvider;
import com.cloudbees.plugins.credentials.CredentialsStore;
import com.cloudbees.plugins.credentials.domains.Domain;
import hudson.model.ModelObject;
import hudson.util.FormValidation;
import hudson.util.Secret;
import io.jenkins.plugins.icr.iam.IamEndpoints;
import io.jenkins.plugins.icr.jenkins.Messages;
import io.jenkins.plugins.icr.login.LoginCredential;
import java.io.IOException;

/**
 * What the Verify button does: asks IAM, from the controller, whose the key on the form is.
 *
 * <p>A key the user typed may be checked against any endpoint a key may go to. A key that comes back from the form
 * encrypted was not typed: it is a stored key, which the user may be unable to read. It is checked only against
 * the endpoint stored with it, so that editing the endpoint field cannot send a stored key somewhere new.
 */
final class KeyVerification {

    private KeyVerification() {}

    /**
     * @param context where the form is (a folder, a user, Jenkins), whose stores hold the credentials it edits
     * @param submittedKey the key field as the form sent it: typed text, or the stored key's encrypted value
     */
    static FormValidation verify(ModelObject context, String submittedKey, String endpoint)
            throws InterruptedException {
        String key = Secret.toString(Secret.fromString(submittedKey));
        if (key.isEmpty()) {
            return FormValidation.error(Messages.IbmCloudApiKeyCredentials_keyRequired());
        }
        try {
            LoginCredential credential = LoginCredential.apiKey(key);
            boolean stored = Secret.decrypt(submittedKey) != null;
            if (stored && !storedWith(context, credential.secret(), endpoint)) {
                return FormValidation.error(Messages.verify_storedKeyElsewhere(IamEndpoints.canonical(endpoint)));
            }
            String whose = Messages.IbmCloudApiKeyCredentials_verified(
                    Iam.client(endpoint).verify(credential.secret()).describe());
            return credential.warnings().isEmpty() ? FormValidation.ok(whose)
                    : FormValidation.warning(whose + " " + String.join(" ", credential.warnings()));
        } catch (IllegalArgumentException | IOException e) {
            return FormValidation.error(e.getMessage()); // IAM's words and what to do; never the key
        }
    }

    /** Whether a credential of the context's stores holds this key with this endpoint. */
    private static boolean storedWith(ModelObject context, String key, String endpoint) {
        String wanted = IamEndpoints.canonical(endpoint);
        for (CredentialsStore store : CredentialsProvider.lookupStores(context)) {
            for (Domain domain : store.getDomains()) {
                for (Credentials c : store.getCredentials(domain)) {
                    if (c instanceof IbmCloudApiKeyCredentials k && key.equals(Secret.toString(k.getApiKey()).strip())
                            && wanted.equals(IamEndpoints.canonical(k.getIamEndpoint()))) {
                        return true;
                    }
                }
            }
        }
        return false;
    }
}
