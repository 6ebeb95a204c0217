package io.jenkins.plugins.icr.jenkins.credentials;

import com.cloudbees.plugins.credentials.CredentialsProvider;
import com.cloudbees.plugins.credentials.CredentialsScope;
import com.cloudbees.plugins.credentials.impl.BaseStandardCredentials;
import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.AbortException;
import hudson.Extension;
import hudson.Util;
import hudson.model.Item;
import hudson.util.FormValidation;
import io.jenkins.plugins.icr.iam.TrustedProfile;
import io.jenkins.plugins.icr.jenkins.Messages;
import jenkins.model.Jenkins;
import org.jenkinsci.Symbol;
import org.kohsuke.accmod.Restricted;
import org.kohsuke.accmod.restrictions.NoExternalUse;
import org.kohsuke.stapler.AncestorInPath;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.verb.POST;

/**
 * An IBM Cloud IAM trusted profile, for logins with no API key at all: the agent exchanges the compute resource
 * token it was given (a pod's projected service account token, or a VPC server's instance identity) for an IAM
 * token of the profile. It holds no secret, only names, a path and URLs: what makes a build a profile holder is
 * where it runs, not anything Jenkins stores.
 */
public final class IbmCloudTrustedProfileCredentials extends BaseStandardCredentials {

    private static final long serialVersionUID = 1L;

    private final @NonNull String profile;
    private @CheckForNull String tokenFile;
    private boolean vpcMetadata;
    private @CheckForNull String vpcMetadataUrl;
    private @CheckForNull String iamEndpoint;

    /**
     * @param profile the profile's ID ({@code Profile-...}) or its name (a CRN too, for the VPC metadata service)
     * @throws IllegalArgumentException when no profile is named: such credentials could never log in
     */
    @DataBoundConstructor
    public IbmCloudTrustedProfileCredentials(@CheckForNull CredentialsScope scope, @CheckForNull String id,
            @CheckForNull String description, @CheckForNull String profile) {
        super(scope, id, description);
        String named = Util.fixEmptyAndTrim(profile);
        if (named == null) {
            throw new IllegalArgumentException(Messages.IbmCloudTrustedProfileCredentials_profileRequired());
        }
        this.profile = named;
    }

    @NonNull
    public String getProfile() {
        return profile;
    }

    /** The token file on the agent; empty for IBM's SDKs' defaults ({@link TrustedProfile#DEFAULT_TOKEN_FILES}). */
    @CheckForNull
    public String getTokenFile() {
        return tokenFile;
    }

    @DataBoundSetter
    public void setTokenFile(@CheckForNull String tokenFile) {
        this.tokenFile = Util.fixEmptyAndTrim(tokenFile);
    }

    /** Whether the token comes from the VPC instance metadata service rather than a file. */
    public boolean isVpcMetadata() {
        return vpcMetadata;
    }

    @DataBoundSetter
    public void setVpcMetadata(boolean vpcMetadata) {
        this.vpcMetadata = vpcMetadata;
    }

    /** The metadata service's URL; empty for its link-local address. */
    @CheckForNull
    public String getVpcMetadataUrl() {
        return vpcMetadataUrl;
    }

    @DataBoundSetter
    public void setVpcMetadataUrl(@CheckForNull String vpcMetadataUrl) {
        this.vpcMetadataUrl = Util.fixEmptyAndTrim(vpcMetadataUrl);
    }

    /** The IAM endpoint the token file's grant goes to; empty for the public one. */
    @CheckForNull
    public String getIamEndpoint() {
        return iamEndpoint;
    }

    /**
     * The same rule as an API key's: a service account token is a credential too, and is sent only where a key
     * may be.
     *
     * @throws IllegalArgumentException when a token may not be sent there (see {@link Iam#storable})
     */
    @DataBoundSetter
    public void setIamEndpoint(@CheckForNull String iamEndpoint) {
        this.iamEndpoint = Iam.storable(iamEndpoint);
    }

    /** A credential a user sent as XML is held to a form's rule (see {@link Iam#checkIfSubmitted}). */
    private Object readResolve() throws AbortException {
        Iam.checkIfSubmitted(iamEndpoint);
        return this;
    }

    /** The engine's value of these credentials: what the agent is sent. */
    public TrustedProfile trustedProfile() {
        TrustedProfile.Source source = vpcMetadata ? new TrustedProfile.VpcMetadata(vpcMetadataUrl)
                : new TrustedProfile.TokenFile(tokenFile);
        return new TrustedProfile(profile, source, iamEndpoint);
    }

    @Extension
    @Symbol("ibmCloudTrustedProfile")
    public static final class DescriptorImpl extends BaseStandardCredentialsDescriptor {

        @NonNull
        @Override
        public String getDisplayName() {
            return Messages.IbmCloudTrustedProfileCredentials_DisplayName();
        }

        @Override
        public String getIconClassName() {
            return "symbol-person";
        }

        @POST
        @Restricted(NoExternalUse.class)
        public FormValidation doCheckProfile(@AncestorInPath Item item, @QueryParameter String value) {
            return CredentialForms.editable(item) && Util.fixEmptyAndTrim(value) == null
                    ? FormValidation.error(Messages.IbmCloudTrustedProfileCredentials_profileRequired())
                    : FormValidation.ok();
        }

        @POST
        @Restricted(NoExternalUse.class)
        public FormValidation doCheckIamEndpoint(@AncestorInPath Item item, @QueryParameter String value) {
            return CredentialForms.checkIamEndpoint(item, value);
        }

        /**
         * The Verify button. The token is the agents', so it can be tried here only where the controller itself has
         * a token file (it runs in a pod); otherwise it says so, and the first block on an agent is the check.
         */
        @POST
        @Restricted(NoExternalUse.class)
        public FormValidation doVerifyProfile(@AncestorInPath Item item, @QueryParameter String profile,
                @QueryParameter String tokenFile, @QueryParameter boolean vpcMetadata,
                @QueryParameter String vpcMetadataUrl, @QueryParameter String iamEndpoint)
                throws InterruptedException {
            (item != null ? item : Jenkins.get()).checkAnyPermission(CredentialsProvider.CREATE,
                    CredentialsProvider.UPDATE);
            IbmCloudTrustedProfileCredentials form;
            try {
                form = new IbmCloudTrustedProfileCredentials(null, null, null, profile);
                form.setTokenFile(tokenFile);
                form.setVpcMetadata(vpcMetadata);
                form.setVpcMetadataUrl(vpcMetadataUrl);
                form.setIamEndpoint(iamEndpoint);
            } catch (IllegalArgumentException e) {
                return FormValidation.error(e.getMessage());
            }
            return ProfileVerification.verify(form.trustedProfile());
        }
    }
}
