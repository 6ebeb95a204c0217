package io.jenkins.plugins.icr.jenkins.step;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.EnvVars;
import hudson.Extension;
import hudson.ExtensionList;
import hudson.Util;
import hudson.FilePath;
import hudson.Launcher;
import hudson.console.ConsoleLogFilter;
import hudson.model.AbstractBuild;
import hudson.model.AbstractProject;
import hudson.model.Run;
import hudson.model.TaskListener;
import hudson.tasks.BuildWrapperDescriptor;
import io.jenkins.plugins.icr.jenkins.Messages;
import io.jenkins.plugins.icr.jenkins.masking.MaskingFilter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.Serializable;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import jenkins.tasks.SimpleBuildWrapper;
import org.jenkinsci.Symbol;
import org.jenkinsci.plugins.credentialsbinding.masking.SecretPatterns;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;

/**
 * "Log in to IBM Cloud Container Registry" for freestyle jobs: the same options, login, variables, masking and
 * cleanup as {@code withIcrLogin}, the cleanup run by the wrapper's disposer. (In Pipeline, use {@code
 * withIcrLogin}.) Its options are {@code withIcrLogin}'s, flat: {@code icrLogin(credentialsId: ..., region: ...)}
 * in Job DSL and {@code wrap}, and the same form.
 */
public final class IcrLoginBuildWrapper extends SimpleBuildWrapper implements IcrLoginSettings {

    /**
     * Each build's mask filter. Freestyle asks for the log filter before {@link #setUp} knows the secrets, so its
     * filter looks them up here as lines come; weak keys let a finished build's entry go.
     */
    private static final Map<Run<?, ?>, MaskingFilter> FILTERS = new WeakHashMap<>();

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
    public IcrLoginBuildWrapper(String credentialsId, String region) {
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
    public void setUp(Context context, Run<?, ?> build, FilePath workspace, Launcher launcher, TaskListener listener,
            EnvVars initialEnvironment) throws IOException, InterruptedException {
        BlockLogin.Opened opened = BlockLogin.open(this,
                BlockSite.of(build, workspace, launcher, initialEnvironment, listener));
        synchronized (FILTERS) {
            FILTERS.put(build, opened.filter());
        }
        opened.variables().forEach(context::env);
        opened.secretVariables().forEach((name, value) -> context.env(name, value.getPlainText()));
        context.setDisposer(new Cleanup(opened.cleanup()));
    }

    /** Freestyle's way of masking the exposed key in build variables' displays. */
    @Override
    public void makeSensitiveBuildVariables(AbstractBuild build, Set<String> sensitiveVariables) {
        if (exposeApiKeyAs != null) {
            sensitiveVariables.add(exposeApiKeyAs);
        }
    }

    /**
     * Pipeline's {@code wrap} sets up first and may decorate the log on the agent: it gets the block's own filter,
     * which carries its pattern. Freestyle asks first, and gets a filter that finds the pattern once it exists.
     */
    @Override
    public ConsoleLogFilter createLoggerDecorator(@NonNull Run<?, ?> build) {
        MaskingFilter known = filterOf(build);
        return known != null ? known : new Later(build.getCharset().name());
    }

    private static MaskingFilter filterOf(Run<?, ?> build) {
        synchronized (FILTERS) {
            return FILTERS.get(build);
        }
    }

    /** Masks with the build's filter from the moment {@link #setUp} has made it. */
    private static final class Later extends ConsoleLogFilter implements Serializable {
        private static final long serialVersionUID = 1L;
        private final String charsetName;

        Later(String charsetName) {
            this.charsetName = charsetName;
        }

        @Override
        public OutputStream decorateLogger(Run build, OutputStream logger) {
            return new SecretPatterns.MaskingOutputStream(logger, () -> {
                MaskingFilter filter = filterOf(build);
                return filter == null ? null : filter.pattern();
            }, charsetName);
        }
    }

    private static final class Cleanup extends Disposer {
        private static final long serialVersionUID = 1L;
        private final BlockLogin.Cleanup cleanup;

        Cleanup(BlockLogin.Cleanup cleanup) {
            this.cleanup = cleanup;
        }

        @Override
        public void tearDown(Run<?, ?> build, FilePath workspace, Launcher launcher, TaskListener listener)
                throws IOException, InterruptedException {
            cleanup.run(build, workspace, launcher, null, listener);
        }
    }

    @Extension
    @Symbol("icrLogin")
    public static final class DescriptorImpl extends BuildWrapperDescriptor {

        @NonNull
        @Override
        public String getDisplayName() {
            return Messages.IcrLoginBuildWrapper_DisplayName();
        }

        @Override
        public boolean isApplicable(AbstractProject<?, ?> item) {
            return true;
        }

        /**
         * {@code withIcrLogin}'s descriptor, which serves this form: the wrapper's options are the step's, so their
         * drop-downs, checks and help are too.
         */
        public IcrLoginStep.DescriptorImpl getLoginDescriptor() {
            return ExtensionList.lookupSingleton(IcrLoginStep.DescriptorImpl.class);
        }
    }
}
