package io.jenkins.plugins.icr.jenkins.step;

import edu.umd.cs.findbugs.annotations.NonNull;
import edu.umd.cs.findbugs.annotations.SuppressFBWarnings;
import hudson.EnvVars;
import hudson.Extension;
import hudson.FilePath;
import hudson.Launcher;
import hudson.Util;
import hudson.console.ConsoleLogFilter;
import hudson.model.Item;
import hudson.model.Run;
import hudson.model.TaskListener;
import hudson.util.ComboBoxModel;
import hudson.util.FormValidation;
import hudson.util.ListBoxModel;
import io.jenkins.plugins.icr.jenkins.Messages;
import io.jenkins.plugins.icr.jenkins.masking.MaskingFailureHandler;
import java.io.IOException;
import java.util.Set;
import org.jenkinsci.plugins.workflow.steps.BodyInvoker;
import org.jenkinsci.plugins.workflow.steps.EnvironmentExpander;
import org.jenkinsci.plugins.workflow.steps.FailureHandler;
import org.jenkinsci.plugins.workflow.steps.GeneralNonBlockingStepExecution;
import org.jenkinsci.plugins.workflow.steps.MissingContextVariableException;
import org.jenkinsci.plugins.workflow.steps.Step;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepDescriptor;
import org.jenkinsci.plugins.workflow.steps.StepExecution;
import org.kohsuke.accmod.Restricted;
import org.kohsuke.accmod.restrictions.NoExternalUse;
import org.kohsuke.stapler.AncestorInPath;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.verb.POST;

/**
 * {@code withIcrLogin(credentialsId: 'icr-key', region: 'us-south') { ... }}: logs in to IBM Cloud Container
 * Registry in a folder of the block's own, runs the body with {@code DOCKER_CONFIG} and {@code REGISTRY_AUTH_FILE}
 * pointing at it and its secrets masked, then logs out and deletes the folder, whatever happens to the body.
 */
public final class IcrLoginStep extends Step implements IcrLoginSettings {

    private final String credentialsId;
    private final String region;
    private String client;
    private boolean privateEndpoint;
    private String mode;
    private String caCertificate;
    private String exposeApiKeyAs;
    private String pullSecret;
    private String pullSecretNamespace;

    @DataBoundConstructor
    public IcrLoginStep(String credentialsId, String region) {
        this.credentialsId = Util.fixEmptyAndTrim(credentialsId);
        this.region = Util.fixEmptyAndTrim(region);
    }

    @Override
    public String getCredentialsId() {
        return credentialsId;
    }

    @Override
    public String getRegion() {
        return region;
    }

    @Override
    public String getClient() {
        return client;
    }

    @DataBoundSetter
    public void setClient(String client) {
        this.client = IcrLoginSettings.storedClient(client);
    }

    @Override
    public boolean isPrivateEndpoint() {
        return privateEndpoint;
    }

    @DataBoundSetter
    public void setPrivateEndpoint(boolean privateEndpoint) {
        this.privateEndpoint = privateEndpoint;
    }

    @Override
    public String getMode() {
        return mode;
    }

    @DataBoundSetter
    public void setMode(String mode) {
        this.mode = IcrLoginSettings.storedMode(mode);
    }

    @Override
    public String getCaCertificate() {
        return caCertificate;
    }

    @DataBoundSetter
    public void setCaCertificate(String caCertificate) {
        this.caCertificate = Util.fixEmptyAndTrim(caCertificate);
    }

    @Override
    public String getExposeApiKeyAs() {
        return exposeApiKeyAs;
    }

    @DataBoundSetter
    public void setExposeApiKeyAs(String exposeApiKeyAs) {
        this.exposeApiKeyAs = Util.fixEmptyAndTrim(exposeApiKeyAs);
    }

    @Override
    public String getPullSecret() {
        return pullSecret;
    }

    @DataBoundSetter
    public void setPullSecret(String pullSecret) {
        this.pullSecret = Util.fixEmptyAndTrim(pullSecret);
    }

    @Override
    public String getPullSecretNamespace() {
        return pullSecretNamespace;
    }

    @DataBoundSetter
    public void setPullSecretNamespace(String pullSecretNamespace) {
        this.pullSecretNamespace = Util.fixEmptyAndTrim(pullSecretNamespace);
    }

    @Override
    public StepExecution start(StepContext context) {
        return new Execution(this, context);
    }

    /** Logs in off the CPS thread, then runs the body; a {@link TailCall} cleans up. */
    private static final class Execution extends GeneralNonBlockingStepExecution {

        private static final long serialVersionUID = 1L;

        /** Needed only to start; after a restart the cleanup has all it needs. */
        @SuppressFBWarnings(value = "SE_TRANSIENT_FIELD_NOT_RESTORED", justification = "used by start() only")
        private final transient IcrLoginStep step;

        /** What the block's end needs, and a restart to renew a bearer login again. */
        private BlockLogin.Cleanup cleanup;

        Execution(IcrLoginStep step, StepContext context) {
            super(context);
            this.step = step;
        }

        @Override
        public boolean start() {
            run(this::login);
            return false;
        }

        /**
         * A bearer block's login is renewed before the program goes on (Pipeline calls this before it resumes the
         * body), since the token the agent holds may have expired while the controller was down.
         */
        @Override
        public void onResume() {
            super.onResume();
            if (cleanup != null) {
                cleanup.resume(BlockSite.of(getContext()));
            }
        }

        private void login() throws Exception {
            StepContext context = getContext();
            if (context.get(FilePath.class) == null || context.get(Launcher.class) == null) {
                // Not required context, so that Declarative options {} accepts the step; needed all the same.
                throw new MissingContextVariableException(FilePath.class, step.getDescriptor());
            }
            BlockLogin.Opened opened = BlockLogin.open(step, BlockSite.of(context));
            cleanup = opened.cleanup();
            context.get(TaskListener.class).getLogger().println(BlockLogin.PREFIX + Messages.step_masking());
            context.newBodyInvoker()
                    .withContexts(
                            EnvironmentExpander.merge(context.get(EnvironmentExpander.class),
                                    new SessionVariables(opened.variables(), opened.secretVariables())),
                            BodyInvoker.mergeConsoleLogFilters(context.get(ConsoleLogFilter.class), opened.filter()),
                            FailureHandler.merge(context.get(FailureHandler.class),
                                    new MaskingFailureHandler(opened.filter())))
                    .withCallback(new Cleanup(cleanup))
                    .start();
        }

        /** After the body, however it ended, and after a restart too: log out and delete the folder. */
        private final class Cleanup extends TailCall {

            private static final long serialVersionUID = 1L;

            private final BlockLogin.Cleanup cleanup;

            Cleanup(BlockLogin.Cleanup cleanup) {
                this.cleanup = cleanup;
            }

            @Override
            protected void finished(StepContext context) throws Exception {
                FilePath workspace;
                Launcher launcher;
                try {
                    workspace = context.get(FilePath.class);
                    launcher = context.get(Launcher.class);
                } catch (IOException agentGone) {
                    workspace = null; // the cleanup notes the folder for when the agent is back
                    launcher = null;
                }
                cleanup.run(context.get(Run.class), workspace, launcher, context.get(EnvVars.class),
                        context.get(TaskListener.class));
            }
        }
    }

    @Extension
    public static final class DescriptorImpl extends StepDescriptor {

        @Override
        public String getFunctionName() {
            return "withIcrLogin";
        }

        @NonNull
        @Override
        public String getDisplayName() {
            return Messages.IcrLoginStep_DisplayName();
        }

        @Override
        public boolean takesImplicitBlockArgument() {
            return true;
        }

        /** FilePath and Launcher are looked up when the step runs, so that Declarative allows it in options {}. */
        @Override
        public Set<? extends Class<?>> getRequiredContext() {
            return Set.of(Run.class, TaskListener.class);
        }

        @POST
        @Restricted(NoExternalUse.class)
        public ListBoxModel doFillCredentialsIdItems(@AncestorInPath Item item, @QueryParameter String credentialsId) {
            return Forms.credentials(item, credentialsId);
        }

        @POST
        @Restricted(NoExternalUse.class)
        public FormValidation doCheckRegion(@AncestorInPath Item item, @QueryParameter String value) {
            return Forms.checkRegion(item, value);
        }

        @POST
        @Restricted(NoExternalUse.class)
        public FormValidation doCheckPullSecret(@AncestorInPath Item item, @QueryParameter String value) {
            return Forms.checkPullSecret(item, value);
        }

        @POST
        @Restricted(NoExternalUse.class)
        public FormValidation doCheckPullSecretNamespace(@AncestorInPath Item item, @QueryParameter String value) {
            return Forms.checkPullSecretNamespace(item, value);
        }

        @Restricted(NoExternalUse.class)
        public ComboBoxModel doFillRegionItems() {
            return Forms.regions();
        }

        @Restricted(NoExternalUse.class)
        public ListBoxModel doFillClientItems() {
            return Forms.clients();
        }

        @Restricted(NoExternalUse.class)
        public ListBoxModel doFillModeItems() {
            return Forms.modes();
        }
    }
}
