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
import hudson.util.Secret;
import io.jenkins.plugins.icr.jenkins.Messages;
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
import org.kohsuke.stapler.DataBoundConstructor;

/**
 * "Log in to IBM Cloud Container Registry" for freestyle jobs: the same login, variables, masking and cleanup as
 * {@code withIcrLogin}, the cleanup run by the wrapper's disposer. (In Pipeline, use {@code withIcrLogin}.)
 */
public final class IcrLoginBuildWrapper extends SimpleBuildWrapper {

    /**
     * Each build's mask pattern. Freestyle asks for the log filter before {@link #setUp} knows the secrets, so the
     * filter looks them up here as lines come; weak keys let a finished build's entry go.
     */
    private static final Map<Run<?, ?>, Pattern> PATTERNS = new WeakHashMap<>();

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
        synchronized (PATTERNS) {
            PATTERNS.put(build, opened.filter().pattern());
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

    @Override
    public ConsoleLogFilter createLoggerDecorator(@NonNull Run<?, ?> build) {
        return new Filter(patternOf(build), build.getCharset().name());
    }

    private static Pattern patternOf(Run<?, ?> build) {
        synchronized (PATTERNS) {
            return PATTERNS.get(build);
        }
    }

    /**
     * Masks with the build's pattern. Pipeline's {@code wrap} sets up first and may decorate on the agent, so the
     * pattern travels with the filter, encrypted; freestyle makes the filter first, so it looks the pattern up later.
     */
    private static final class Filter extends ConsoleLogFilter implements Serializable {
        private static final long serialVersionUID = 1L;
        private final Secret known;
        private final String charsetName;

        Filter(Pattern known, String charsetName) {
            this.known = known == null ? null : Secret.fromString(known.pattern());
            this.charsetName = charsetName;
        }

        @Override
        public OutputStream decorateLogger(Run build, OutputStream logger) {
            return new SecretPatterns.MaskingOutputStream(logger,
                    () -> known != null ? Pattern.compile(known.getPlainText()) : patternOf(build), charsetName);
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
