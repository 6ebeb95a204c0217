package io.jenkins.plugins.icr.jenkins.step;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.EnvVars;
import hudson.Extension;
import hudson.ExtensionList;
import hudson.FilePath;
import hudson.Launcher;
import hudson.Util;
import hudson.console.ConsoleLogFilter;
import hudson.model.AbstractBuild;
import hudson.model.AbstractProject;
import hudson.model.Run;
import hudson.model.TaskListener;
import hudson.tasks.BuildWrapperDescriptor;
import io.jenkins.plugins.icr.jenkins.Messages;
import io.jenkins.plugins.icr.login.Session;
import java.io.IOException;
import java.io.OutputStream;
import java.io.Serializable;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.regex.Pattern;
import jenkins.tasks.SimpleBuildWrapper;
import org.jenkinsci.Symbol;
import org.jenkinsci.plugins.credentialsbinding.masking.SecretPatterns;
import org.kohsuke.accmod.Restricted;
import org.kohsuke.accmod.restrictions.NoExternalUse;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;

/**
 * "Log in to IBM Cloud Container Registry" for freestyle jobs: the same login, variables, masking and cleanup as
 * {@code withIcrLogin}, the cleanup run by the wrapper's disposer. (In Pipeline, use {@code withIcrLogin}.)
 */
public final class IcrLoginBuildWrapper extends SimpleBuildWrapper implements IcrLoginSettings {

    /**
     * Each build's mask pattern. Freestyle asks for the log filter before {@link #setUp} knows the secrets, so the
     * filter looks them up here as lines come; weak keys let a finished build's entry go.
     */
    private static final Map<Run<?, ?>, Pattern> PATTERNS = new WeakHashMap<>();

    private final String credentialsId;
    private final String region;
    private String client;
    private boolean privateEndpoint;
    private String mode;
    private String caCertificate;
    private String exposeApiKeyAs;

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
    public void setUp(Context context, Run<?, ?> build, FilePath workspace, Launcher launcher, TaskListener listener,
            EnvVars initialEnvironment) throws IOException, InterruptedException {
        BlockLogin.Opened opened = BlockLogin.open(this, build, workspace, launcher, initialEnvironment, listener);
        synchronized (PATTERNS) {
            PATTERNS.put(build, opened.filter().pattern());
        }
        opened.variables().forEach(context::env);
        opened.secretVariables().forEach((name, value) -> context.env(name, value.getPlainText()));
        context.setDisposer(new Cleanup(opened.session(), opened.node()));
    }

    /** Freestyle's way of masking the exposed key in build variables' displays. */
    @Override
    public void makeSensitiveBuildVariables(AbstractBuild build, Set<String> sensitiveVariables) {
        if (exposeApiKeyAs != null) {
            sensitiveVariables.add(exposeApiKeyAs);
        }
    }

    @Override
    public ConsoleLogFilter createLoggerDecorator(@NonNull Run<?, ?> build) {
        return new Filter(build.getCharset().name());
    }

    private static Pattern patternOf(Run<?, ?> build) {
        synchronized (PATTERNS) {
            return PATTERNS.get(build);
        }
    }

    /** Masks with the build's pattern once {@link #setUp} has made it. */
    private static final class Filter extends ConsoleLogFilter implements Serializable {
        private static final long serialVersionUID = 1L;
        private final String charsetName;

        Filter(String charsetName) {
            this.charsetName = charsetName;
        }

        @Override
        public OutputStream decorateLogger(Run build, OutputStream logger) {
            return new SecretPatterns.MaskingOutputStream(logger, () -> patternOf(build), charsetName);
        }
    }

    private static final class Cleanup extends Disposer {
        private static final long serialVersionUID = 1L;
        private final Session session;
        private final String node;

        Cleanup(Session session, String node) {
            this.session = session;
            this.node = node;
        }

        @Override
        public void tearDown(Run<?, ?> build, FilePath workspace, Launcher launcher, TaskListener listener)
                throws IOException, InterruptedException {
            BlockLogin.close(session, node, workspace, launcher, null, listener);
        }
    }

    /** Its form is the step's, whose descriptor fills, checks and explains the fields (see config.jelly). */
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

        @Restricted(NoExternalUse.class) // for config.jelly
        public IcrLoginStep.DescriptorImpl getStepDescriptor() {
            return ExtensionList.lookupSingleton(IcrLoginStep.DescriptorImpl.class);
        }
    }
}
