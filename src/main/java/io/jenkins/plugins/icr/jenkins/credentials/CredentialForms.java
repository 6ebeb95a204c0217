package io.jenkins.plugins.icr.jenkins.credentials;

import com.cloudbees.plugins.credentials.CredentialsProvider;
import hudson.AbortException;
import hudson.Util;
import hudson.model.Item;
import hudson.util.FormValidation;
import jenkins.model.Jenkins;

/** What the forms of both credentials types check alike. */
final class CredentialForms {

    private CredentialForms() {}

    /** Whether the user may edit credentials where the form is: checks answer no one else. */
    static boolean editable(Item item) {
        return (item != null ? item : Jenkins.get()).hasAnyPermission(CredentialsProvider.CREATE,
                CredentialsProvider.UPDATE);
    }

    /** Says as it is typed whether a secret or a token may be sent to the endpoint; local only, no network. */
    static FormValidation checkIamEndpoint(Item item, String value) {
        if (!editable(item) || Util.fixEmptyAndTrim(value) == null) {
            return FormValidation.ok();
        }
        try {
            Iam.checkAllowed(value);
            return FormValidation.ok();
        } catch (AbortException e) {
            return FormValidation.error(e.getMessage());
        }
    }
}
