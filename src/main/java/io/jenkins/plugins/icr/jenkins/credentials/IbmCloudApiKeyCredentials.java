package io.jenkins.plugins.icr.jenkins.credentials;

import com.cloudbees.plugins.credentials.ContextInPath;
import com.cloudbees.plugins.credentials.CredentialsNameProvider;
import com.cloudbees.plugins.credentials.CredentialsProvider;
import com.cloudbees.plugins.credentials.CredentialsScope;
import com.cloudbees.plugins.credentials.NameWith;
import com.cloudbees.plugins.credentials.common.StandardUsernamePasswordCredentials;
import com.cloudbees.plugins.credentials.impl.BaseStandardCredentials;
import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.AbortException;
import hudson.Extension;
import hudson.Util;
import hudson.model.Item;
import hudson.model.ModelObject;
import hudson.util.FormValidation;
import hudson.util.Secret;
import io.jenkins.plugins.icr.jenkins.Messages;
import io.jenkins.plugins.icr.login.LoginCredential;
import jenkins.model.Jenkins;
import org.jenkinsci.Symbol;
import org.kohsuke.accmod.Restricted;
import org.kohsuke.accmod.restrictions.NoExternalUse;
import org.kohsuke.stapler.AncestorInPath;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.StaplerRequest2;
import org.kohsuke.stapler.verb.POST;

/**
 * An IBM Cloud API key, of a user or a service ID. It is also a username/password credential, username {@code
 * iamapikey} and password the key, which is exactly how ICR takes it: so {@code docker.withRegistry}, {@code
 * withDockerRegistry}, {@code usernamePassword} bindings and Declarative {@code credentials()} accept it as it is.
 *
 * <p>The price of that fit: credentials-plugin's {@code UsernamePasswordCredentialsSnapshotTaker} snapshots any
 * {@link StandardUsernamePasswordCredentials} as a plain username/password, so a snapshot (as some plugins send to
 * agents) loses the IAM endpoint. {@code withIcrLogin} never snapshots, and the username and key survive.
 */
@NameWith(value = IbmCloudApiKeyCredentials.NameProvider.class, priority = 32)
public final class IbmCloudApiKeyCredentials extends BaseStandardCredentials implements StandardUsernamePasswordCredentials {

    private static final long serialVersionUID = 1L;

    private final @NonNull Secret apiKey;
    private @CheckForNull String iamEndpoint;

    @DataBoundConstructor
    public IbmCloudApiKeyCredentials(@CheckForNull CredentialsScope scope, @CheckForNull String id,
            @CheckForNull String description, @NonNull Secret apiKey) {
        super(scope, id, description);
        this.apiKey = apiKey;
    }

    @NonNull
    public Secret getApiKey() {
        return apiKey;
    }

    /** The IAM endpoint that knows the key; empty for the public one, {@code https://iam.cloud.ibm.com}. */
    @CheckForNull
    public String getIamEndpoint() {
        return iamEndpoint;
    }

    /**
     * @throws IllegalArgumentException when a key may not be sent there (see {@link Iam#storable})
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

    @NonNull
    @Override
    public String getUsername() {
        return LoginCredential.API_KEY_USER;
    }

    /** {@code iamapikey} is the same for everyone: masking it would only blank out harmless log lines. */
    @Override
    public boolean isUsernameSecret() {
        return false;
    }

    @NonNull
    @Override
    public Secret getPassword() {
        return apiKey;
    }

    /** The description, or the id: never anything of the key. */
    public static final class NameProvider extends CredentialsNameProvider<IbmCloudApiKeyCredentials> {
        @NonNull
        @Override
        public String getName(@NonNull IbmCloudApiKeyCredentials c) {
            String description = Util.fixEmptyAndTrim(c.getDescription());
            return description != null ? description : Messages.IbmCloudApiKeyCredentials_unnamed(c.getId());
        }
    }

    @Extension
    @Symbol("ibmCloudApiKey")
    public static final class DescriptorImpl extends BaseStandardCredentialsDescriptor {

        @NonNull
        @Override
        public String getDisplayName() {
            return Messages.IbmCloudApiKeyCredentials_DisplayName();
        }

        @Override
        public String getIconClassName() {
            return "symbol-key";
        }

        /** Warns, as the user types, about what a login would warn about or refuse. Local only: no network. */
        @POST
        @Restricted(NoExternalUse.class)
        public FormValidation doCheckApiKey(@AncestorInPath Item item, @QueryParameter Secret value) {
            String key = Secret.toString(value);
            if (!CredentialForms.editable(item) || key.isEmpty()) {
                return FormValidation.ok();
            }
            try {
                LoginCredential credential = LoginCredential.apiKey(key);
                return credential.warnings().isEmpty() ? FormValidation.ok()
                        : FormValidation.warning(String.join(" ", credential.warnings()));
            } catch (IllegalArgumentException e) {
                return FormValidation.error(e.getMessage());
            }
        }

        /** Says as it is typed whether a key may be sent to the endpoint; local only, no network. */
        @POST
        @Restricted(NoExternalUse.class)
        public FormValidation doCheckIamEndpoint(@AncestorInPath Item item, @QueryParameter String value) {
            return CredentialForms.checkIamEndpoint(item, value);
        }

        /**
         * The Verify button: asks IAM, from the controller, for a token for the key and shows whose key it is, or
         * IAM's error with what to do. Only for those who may create or update credentials where the form is.
         */
        @POST
        @Restricted(NoExternalUse.class)
        public FormValidation doVerifyKey(StaplerRequest2 request, @AncestorInPath Item item,
                @ContextInPath ModelObject context, @QueryParameter String iamEndpoint) throws InterruptedException {
            (item != null ? item : Jenkins.get()).checkAnyPermission(CredentialsProvider.CREATE,
                    CredentialsProvider.UPDATE);
            // Read raw: Stapler decrypts an encrypted value given to a String parameter, which would hide that the
            // form sent the stored key back rather than one the user typed.
            return KeyVerification.verify(context != null ? context : Jenkins.get(), request.getParameter("apiKey"),
                    iamEndpoint);
        }
    }
}
