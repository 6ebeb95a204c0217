package io.jenkins.plugins.icr.jenkins.step;

import hudson.EnvVars;
import hudson.FilePath;
import io.jenkins.plugins.icr.iam.AccessToken;
import io.jenkins.plugins.icr.jenkins.agent.AgentKeyCheck;
import io.jenkins.plugins.icr.jenkins.agent.FilePathFiles;
import io.jenkins.plugins.icr.jenkins.agent.LauncherCommands;
import io.jenkins.plugins.icr.jenkins.credentials.CredentialLookup;
import io.jenkins.plugins.icr.jenkins.masking.MaskingFilter;
import io.jenkins.plugins.icr.login.LoginCredential;
import io.jenkins.plugins.icr.login.LoginRenewal;
import io.jenkins.plugins.icr.login.LoginRequest;
import io.jenkins.plugins.icr.login.Session;
import io.jenkins.plugins.icr.login.SessionLog;
import java.io.IOException;
import java.io.Serializable;
import java.util.logging.Level;
import java.util.logging.Logger;
import jenkins.util.Timer;

/**
 * What it takes to keep a bearer block's login fresh, and to start doing so again after a restart: strings only
 * (the credentials id, the session, the CA), and the block's mask filter, which learns each new token. The key is
 * looked up anew at each renewal and stays on the controller; only the token goes to the agent. A trusted profile's
 * renewal asks the block's agent, which reads its (rotated) token file again.
 */
final class BearerLogin implements Serializable {

    private static final long serialVersionUID = 1L;
    private static final Logger LOGGER = Logger.getLogger(BearerLogin.class.getName());

    private final String block;
    private final String credentialsId;
    private final Session session;
    private final String caCertificatePem;
    private final MaskingFilter filter;

    BearerLogin(String block, String credentialsId, Session session, String caCertificatePem, MaskingFilter filter) {
        this.block = block;
        this.credentialsId = credentialsId;
        this.session = session;
        this.caCertificatePem = caCertificatePem;
        this.filter = filter;
    }

    /** Renews the login made with {@code token} from when it is due until {@link #stop}. */
    void start(AccessToken token, BlockSite site) {
        Renewals.get().put(block, LoginRenewal.start(Timer.get(), token, tokens(site), relogin(site),
                session.host(), log(site)));
    }

    /** After a restart: the token the agent holds is not known, so the login is renewed at once. */
    void resume(BlockSite site) {
        Renewals.get().put(block, LoginRenewal.resume(Timer.get(), tokens(site), relogin(site), session.host(),
                log(site)));
    }

    void stop() {
        Renewals.get().stop(block);
    }

    private LoginRenewal.Tokens tokens(BlockSite site) {
        // Looked up anew each time: a key rotated meanwhile is used, and a profile's agent is the block's as it is now.
        return old -> CredentialLookup.tokens(site.run(), credentialsId, site.workspace().getChannel(),
                site.environment()).after(old);
    }

    /** The session logged in again on the block's agent, as it is now; the block's log masks the new token first. */
    private LoginRenewal.Relogin relogin(BlockSite site) {
        return token -> {
            LoginCredential credential = LoginCredential.bearer(token.token());
            filter.add(credential.secretsToMask());
            FilePath workspace = site.workspace();
            EnvVars env = site.environment();
            LoginRequest.Builder request = LoginRequest.builder(session.host(), credential, session.folder())
                    .client(session.client())
                    .environment(env)
                    .keyCheck(new AgentKeyCheck(workspace.getChannel()));
            if (caCertificatePem != null) {
                request.caCertificatePem(caCertificatePem);
            }
            session.refresh(request.build(), new LauncherCommands(site.launcher(), env, site.listener()),
                    new FilePathFiles(workspace.getChannel()), SessionLog.SILENT);
        };
    }

    /** The block's log, as it is when a renewal has something to say. */
    private static SessionLog log(BlockSite site) {
        return new SessionLog() {
            @Override
            public void info(String message) {
                write(false, message);
            }

            @Override
            public void warn(String message) {
                write(true, message);
            }

            private void write(boolean warning, String message) {
                try {
                    SessionLog log = BlockLogin.log(site.listener());
                    if (warning) {
                        log.warn(message);
                    } else {
                        log.info(message);
                    }
                } catch (IOException | InterruptedException e) {
                    LOGGER.log(Level.FINE, "No log for: " + message, e); // the block has ended meanwhile
                }
            }
        };
    }
}
