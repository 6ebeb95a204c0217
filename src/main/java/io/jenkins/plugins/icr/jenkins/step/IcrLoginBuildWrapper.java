package io.jenkins.plugins.icr.jenkins.step;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.EnvVars;
import hudson.Extension;
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

/**
 * "Log in to IBM Cloud Container Registry" for freestyle jobs: the same login, variables, masking and cleanup as
 * {@code withIcrLogin}, the cleanup run by the wrapper's disposer. (In Pipeline, use {@code withIcrLogin}.)
 */
public final class IcrLoginBuildWrapper extends SimpleBuildWrapper {

    /**
     * Each build's mask filter. Freestyle asks for the log filter before {@link #setUp} knows the secrets, so its
     * filter looks them up here as lines come; weak keys let a finished build's entry go.
     */
    private static final Map<Run<?, ?>, MaskingFilter> FILTERS = new WeakHashMap<>();

    private final IcrLoginStep login;

    /** @param login the options, exactly as {@code withIcrLogin} takes them (and shown by the same form) */
    @DataBoundConstructor
    public IcrLoginBuildWrapper(IcrLoginStep login) {
        this.login = login;
    }

    public IcrLoginStep getLogin() {
        return login;
    }

    @Override
    public void setUp(Context context, Run<?, ?> build, FilePath workspace, Launcher launcher, TaskListener listener,
            EnvVars initialEnvironment) throws IOException, InterruptedException {
        BlockLogin.Opened opened = BlockLogin.open(login, build, workspace, launcher, initialEnvironment, listener);
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
        if (login.getExposeApiKeyAs() != null) {
            sensitiveVariables.add(login.getExposeApiKeyAs());
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
            cleanup.run(workspace, launcher, null, listener);
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
    }
}
