package io.jenkins.plugins.icr.jenkins.credentials;

import hudson.Extension;
import hudson.ExtensionList;
import hudson.Util;
import hudson.util.FormValidation;
import io.jenkins.plugins.icr.iam.IamEndpoints;
import jenkins.model.GlobalConfiguration;
import jenkins.model.Jenkins;
import net.sf.json.JSONObject;
import org.jenkinsci.Symbol;
import org.kohsuke.accmod.Restricted;
import org.kohsuke.accmod.restrictions.NoExternalUse;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.StaplerRequest2;
import org.kohsuke.stapler.verb.POST;

/**
 * Manage Jenkins › System › IBM Cloud Container Registry: the IAM endpoints, besides IBM Cloud's own, that a stored
 * API key may be sent to. Only an administrator may change it (the page's default permission), because whoever
 * names an endpoint here decides where keys may travel.
 */
@Extension
@Symbol("ibmCloudContainerRegistry")
public final class IcrGlobalConfiguration extends GlobalConfiguration {

    private String allowedIamEndpoints;

    public IcrGlobalConfiguration() {
        load();
    }

    public static IcrGlobalConfiguration get() {
        return ExtensionList.lookupSingleton(IcrGlobalConfiguration.class);
    }

    /** Other IAM endpoints, one a line; {@code #} starts a comment. */
    public String getAllowedIamEndpoints() {
        return allowedIamEndpoints;
    }

    /** @throws IllegalArgumentException naming a line that is not an endpoint a key may travel to */
    @DataBoundSetter
    public void setAllowedIamEndpoints(String allowedIamEndpoints) {
        IamEndpoints.allowingLines(allowedIamEndpoints);
        this.allowedIamEndpoints = Util.fixEmptyAndTrim(allowedIamEndpoints);
        save();
    }

    /** IBM's endpoints and the administrator's, read at each use so that a change applies to the next request. */
    public IamEndpoints iamEndpoints() {
        return IamEndpoints.allowingLines(allowedIamEndpoints);
    }

    @Override
    public boolean configure(StaplerRequest2 req, JSONObject json) throws FormException {
        try {
            return super.configure(req, json);
        } catch (IllegalArgumentException e) {
            throw new FormException(e.getMessage(), e, "allowedIamEndpoints");
        }
    }

    @POST
    @Restricted(NoExternalUse.class)
    public FormValidation doCheckAllowedIamEndpoints(@QueryParameter String value) {
        Jenkins.get().checkPermission(Jenkins.ADMINISTER);
        try {
            IamEndpoints.allowingLines(value);
            return FormValidation.ok();
        } catch (IllegalArgumentException e) {
            return FormValidation.error(e.getMessage());
        }
    }
}
