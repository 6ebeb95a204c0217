package io.jenkins.plugins.icr.jenkins.step;

import hudson.AbortException;
import hudson.EnvVars;
import hudson.FilePath;
import hudson.Launcher;
import hudson.model.Computer;
import hudson.model.Run;
import hudson.model.TaskListener;
import hudson.remoting.ChannelClosedException;
import hudson.remoting.VirtualChannel;
import hudson.security.ACL;
import hudson.security.ACLContext;
import hudson.slaves.WorkspaceList;
import hudson.util.Secret;
import io.jenkins.plugins.icr.block.BlockOptions;
import io.jenkins.plugins.icr.block.Mode;
import io.jenkins.plugins.icr.jenkins.Messages;
import io.jenkins.plugins.icr.jenkins.agent.AgentKeyCheck;
import io.jenkins.plugins.icr.jenkins.agent.FilePathFiles;
import io.jenkins.plugins.icr.jenkins.agent.LauncherCommands;
import io.jenkins.plugins.icr.jenkins.credentials.CredentialLookup;
import io.jenkins.plugins.icr.jenkins.masking.MaskingFilter;
import io.jenkins.plugins.icr.login.LoginException;
import io.jenkins.plugins.icr.login.LoginRequest;
import io.jenkins.plugins.icr.login.Session;
import io.jenkins.plugins.icr.login.SessionLog;
import io.jenkins.plugins.icr.login.SessionSweeper;
import java.io.IOException;
import java.io.Serializable;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import jenkins.model.Jenkins;

/**
 * One block's login and cleanup, shared by {@code withIcrLogin} and the freestyle wrapper: Jenkins objects in,
 * engine calls, and back. It runs on the controller, off the CPS thread; every file and process goes through the
 * agent's channel and launcher.
 */
final class BlockLogin {

    static final String PREFIX = "[withIcrLogin] ";
    private static final String OWNER = "jenkins ";

    private BlockLogin() {}

    /**
     * What the body runs with and what the cleanup needs. Each part is kept by a Pipeline context that is saved with
     * the program: only strings, the session (strings too) and secrets as {@link Secret}.
     */
    record Opened(Cleanup cleanup, Map<String, String> variables, Map<String, Secret> secretVariables,
            MaskingFilter filter) {}

    /**
     * What the end of a block needs, kept by the step's callback and the wrapper's disposer: the session (strings)
     * and the agent's name, nothing that holds a channel.
     */
    static final class Cleanup implements Serializable {

        private static final long serialVersionUID = 1L;

        private final Session session;
        private final String node;
        private final IcrLoginsAction.Login record;
        private final BearerLogin bearer;
        private boolean ended;

        Cleanup(Session session, String node, IcrLoginsAction.Login record, BearerLogin bearer) {
            this.session = session;
            this.node = node;
            this.record = record;
            this.bearer = bearer;
        }

        /** After a restart, a bearer block's login is renewed again, unless the block had ended. */
        synchronized void resume(BlockSite site) {
            if (bearer != null && !ended) {
                bearer.resume(site);
            }
        }

        /**
         * Logs out and deletes the session's folder, and says so on the build page. When the agent is gone (a
         * restart, a lost connection), the folder is noted and deleted as soon as the agent is back.
         */
        void run(Run<?, ?> run, FilePath workspace, Launcher launcher, EnvVars env, TaskListener listener)
                throws IOException, InterruptedException {
            synchronized (this) {
                ended = true;
                if (bearer != null) {
                    bearer.stop();
                }
            }
            VirtualChannel channel = workspace == null ? null : workspace.getChannel();
            try {
                if (channel != null && launcher != null) {
                    session.close(new LauncherCommands(launcher, env == null ? new EnvVars() : env, listener),
                            new FilePathFiles(channel), log(listener));
                    IcrLoginsAction.of(run).record(record.closed(IcrLoginsAction.Cleanup.DONE, null));
                    return;
                }
            } catch (ChannelClosedException agentGone) {
                // noted below
            } catch (IOException e) {
                IcrLoginsAction.of(run).record(record.closed(IcrLoginsAction.Cleanup.FAILED, e.getMessage()));
                throw e;
            }
            LeftBehind.get().note(node, session.folder());
            String deferred = Messages.cleanup_agentGone(node, session.folder());
            log(listener).warn(deferred);
            IcrLoginsAction.of(run).record(record.closed(IcrLoginsAction.Cleanup.DEFERRED, deferred));
        }
    }

    static Opened open(IcrLoginSettings settings, BlockSite site) throws IOException, InterruptedException {
        Run<?, ?> run = site.run();
        FilePath workspace = site.workspace();
        Launcher launcher = site.launcher();
        EnvVars env = site.environment();
        TaskListener listener = site.listener();
        BlockOptions options = settings.options();
        options.registry().warnings().forEach(w -> log(listener).warn(w));
        FilePath base = WorkspaceList.tempDir(workspace);
        if (base == null) {
            throw new AbortException(Messages.step_noWorkspace());
        }
        VirtualChannel channel = workspace.getChannel();
        CredentialLookup.Found found = CredentialLookup.find(run, settings.getCredentialsId(), options, channel, env);
        base.mkdirs();
        FilePathFiles files = new FilePathFiles(channel);
        for (String left : SessionSweeper.sweep(base.getRemote(), BlockLogin::ownerRuns, files)) {
            log(listener).info(Messages.sweep_removed(left));
        }
        LoginRequest.Builder request = LoginRequest.builder(options.registry().host(), found.login(), base.getRemote())
                .client(options.client())
                .outer(env.get("DOCKER_CONFIG"), env.get("REGISTRY_AUTH_FILE"))
                .environment(env)
                .owner(owner(run))
                .keyCheck(new AgentKeyCheck(channel));
        options.caCertificatePem().ifPresent(request::caCertificatePem);
        options.pullSecret().ifPresent(request::pullSecret);
        LoginRequest login;
        try {
            login = request.build();
        } catch (IllegalArgumentException e) {
            throw new AbortException(settings.getCredentialsId() + ": " + e.getMessage());
        }
        // Made here, on the controller, from what the session will write: credentials-binding allows no other way.
        Set<String> secrets = new LinkedHashSet<>(login.secretsToMask());
        found.apiKey().ifPresent(secrets::add);
        MaskingFilter filter = new MaskingFilter(secrets, run.getCharset().name());
        if (found.keyless()) {
            listener.getLogger().println(PREFIX + Messages.step_trustedProfile());
        } else if (options.mode() == Mode.BEARER) {
            listener.getLogger().println(PREFIX + Messages.step_bearer());
        }
        Session session;
        try {
            session = Session.open(login, new LauncherCommands(launcher, env, listener), files,
                    log(listener));
        } catch (LoginException e) {
            throw new AbortException(PREFIX + Messages.step_loginFailed(options.registry().host(), e.getMessage()));
        }
        Map<String, Secret> secretVariables = new HashMap<>();
        options.exposeApiKeyAs().ifPresent(name -> secretVariables.put(name, Secret.fromString(found.apiKey().orElseThrow())));
        IcrLoginsAction.Login record = IcrLoginsAction.Login.opened(session.host(), session.client().id(),
                (found.keyless() ? Mode.BEARER : options.mode()).id(), found.identity().orElse(null));
        IcrLoginsAction.of(run).record(record);
        BearerLogin bearer = null;
        if (found.token().isPresent()) {
            bearer = new BearerLogin(record.getId(), settings.getCredentialsId(), session,
                    options.caCertificatePem().orElse(null), filter);
            bearer.start(found.token().get(), site);
        }
        Computer computer = workspace.toComputer();
        return new Opened(new Cleanup(session, computer == null ? null : computer.getName(), record, bearer),
                session.environment(), secretVariables, filter);
    }

    /** Who a session folder belongs to: this controller (by its instance id) and the build. */
    private static String owner(Run<?, ?> run) {
        return OWNER + Jenkins.get().getLegacyInstanceId() + " " + run.getExternalizableId();
    }

    /**
     * Whether the build that made a folder may still use it. Only this controller's builds are judged; a folder of
     * another controller sharing the agent, or of the command line, is taken as live and never touched.
     */
    static boolean ownerRuns(String owner) {
        String ours = OWNER + Jenkins.get().getLegacyInstanceId() + " ";
        if (!owner.startsWith(ours)) {
            return true;
        }
        try (ACLContext system = ACL.as2(ACL.SYSTEM2)) {
            Run<?, ?> run = Run.fromExternalizableId(owner.substring(ours.length()));
            return run != null && run.isBuilding();
        } catch (IllegalArgumentException malformed) {
            return true;
        }
    }

    static SessionLog log(TaskListener listener) {
        return new SessionLog() {
            @Override
            public void info(String message) {
                listener.getLogger().println(PREFIX + message);
            }

            @Override
            public void warn(String message) {
                listener.getLogger().println(PREFIX + "WARNING: " + message);
            }
        };
    }
}
