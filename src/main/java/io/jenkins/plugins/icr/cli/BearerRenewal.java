package io.jenkins.plugins.icr.cli;

import io.jenkins.plugins.icr.agent.AgentFiles;
import io.jenkins.plugins.icr.agent.Commands;
import io.jenkins.plugins.icr.iam.AccessToken;
import io.jenkins.plugins.icr.login.LoginCredential;
import io.jenkins.plugins.icr.login.LoginRenewal;
import io.jenkins.plugins.icr.login.LoginRequest;
import io.jenkins.plugins.icr.login.Session;
import io.jenkins.plugins.icr.login.SessionLog;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Keeps a bearer-mode login fresh while the command runs, as a Jenkins block's is: {@link LoginRenewal} asks IAM for
 * a new token when the current one nears its end and logs the session in again with it, saying so in one line. It
 * runs on a daemon thread of its own, so that it can never keep icr-login alive, and {@link #close} stops it before
 * the logout, so that no renewal writes into a folder being deleted or logs the client in again after its logout.
 */
final class BearerRenewal implements AutoCloseable {

    private final ScheduledThreadPoolExecutor timer;
    private final LoginRenewal renewal;

    private BearerRenewal(ScheduledThreadPoolExecutor timer, LoginRenewal renewal) {
        this.timer = timer;
        this.renewal = renewal;
    }

    /**
     * Renews the login that {@code session} made with {@code first} until {@link #close}.
     *
     * @param tokens the next token: an API key's from IAM, or a trusted profile's (its token file read anew)
     * @param request the session's login request with another credential, as the first login was made
     */
    static BearerRenewal start(LoginRenewal.Tokens tokens, AccessToken first, Session session,
            Function<LoginCredential, LoginRequest> request, Commands clients, AgentFiles files, SessionLog log) {
        ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, task -> {
            Thread thread = new Thread(task, "icr-login renewal");
            thread.setDaemon(true);
            return thread;
        });
        timer.setRemoveOnCancelPolicy(true);
        // IAM directly, not the TokenCache: one process renews one login, so a single flight would have no one to
        // share its call with, and a token cached here is never fresh when its own renewal is due.
        LoginRenewal renewal = LoginRenewal.start(timer, first, tokens,
                token -> session.refresh(request.apply(LoginCredential.bearer(token.token())), clients, files,
                        SessionLog.SILENT), // the renewal's own line says it all
                session.host(), log);
        return new BearerRenewal(timer, renewal);
    }

    /**
     * Stops the renewals for good: one under way finishes its login first, an IAM call under way is abandoned, and
     * when this returns nothing of them runs, is scheduled, or has anything left to say.
     */
    @Override
    public void close() {
        renewal.close();
        timer.shutdownNow();
        try {
            timer.awaitTermination(SignalRelay.GRACE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // only a signal during the login interrupts icr-login, not now
        }
    }
}
