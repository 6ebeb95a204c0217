package io.jenkins.plugins.icr.jenkins.step;

import hudson.model.Run;
import io.jenkins.plugins.icr.jenkins.Messages;
import java.io.IOException;
import java.util.Date;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Level;
import java.util.logging.Logger;
import jenkins.model.RunAction2;
import org.kohsuke.stapler.export.Exported;
import org.kohsuke.stapler.export.ExportedBean;

/**
 * The build page's record of its registry logins: per block, the registry, client and mode, whose key it was where
 * that is known without asking IAM again, when the block opened and closed, and how its cleanup ended. Exported to
 * the remote API for dashboards. Nothing of a secret is in it.
 */
@ExportedBean
public final class IcrLoginsAction implements RunAction2 {

    private static final Logger LOGGER = Logger.getLogger(IcrLoginsAction.class.getName());

    /** How a block's cleanup ended. */
    public enum Cleanup {
        /** The block is still running. */
        OPEN,
        /** Logged out, folder deleted. */
        DONE,
        /** The agent was gone; the folder is deleted when it is back. */
        DEFERRED,
        /** The folder could not be deleted. */
        FAILED
    }

    private final List<Login> logins = new CopyOnWriteArrayList<>();
    private transient Run<?, ?> run;

    /** The run's record, added to it by the first block (parallel branches may race to add it). */
    static IcrLoginsAction of(Run<?, ?> run) {
        synchronized (run) {
            IcrLoginsAction action = run.getAction(IcrLoginsAction.class);
            if (action == null) {
                action = new IcrLoginsAction();
                run.addAction(action);
            }
            return action;
        }
    }

    /** Records a block that logged in; returns its id, for {@link #closed}. */
    String opened(String registry, String client, String mode, String identity) {
        Login login = new Login(UUID.randomUUID().toString(), registry, client, mode, identity,
                System.currentTimeMillis(), 0, Cleanup.OPEN, null);
        logins.add(login);
        save();
        return login.id;
    }

    /** Records how a block's cleanup ended. */
    synchronized void closed(String id, Cleanup outcome, String detail) {
        for (int i = 0; i < logins.size(); i++) {
            Login login = logins.get(i);
            if (login.id.equals(id)) {
                logins.set(i, new Login(login.id, login.registry, login.client, login.mode, login.identity,
                        login.opened, System.currentTimeMillis(), outcome, detail));
            }
        }
        save();
    }

    private void save() {
        try {
            run.save();
        } catch (IOException e) {
            LOGGER.log(Level.WARNING, "Could not save the registry logins of " + run, e);
        }
    }

    @Exported(inline = true)
    public List<Login> getLogins() {
        return List.copyOf(logins);
    }

    @Override
    public String getIconFileName() {
        return "symbol-key";
    }

    @Override
    public String getDisplayName() {
        return Messages.IcrLoginsAction_DisplayName();
    }

    @Override
    public String getUrlName() {
        return "icr-logins";
    }

    public Run<?, ?> getRun() {
        return run;
    }

    @Override
    public void onAttached(Run<?, ?> r) {
        this.run = r;
    }

    @Override
    public void onLoad(Run<?, ?> r) {
        this.run = r;
    }

    /** One block's login. */
    @ExportedBean(defaultVisibility = 2)
    public static final class Login {
        private final String id;
        private final String registry;
        private final String client;
        private final String mode;
        private final String identity;
        private final long opened;
        private final long closed;
        private final Cleanup cleanup;
        private final String detail;

        Login(String id, String registry, String client, String mode, String identity, long opened, long closed,
                Cleanup cleanup, String detail) {
            this.id = id;
            this.registry = registry;
            this.client = client;
            this.mode = mode;
            this.identity = identity;
            this.opened = opened;
            this.closed = closed;
            this.cleanup = cleanup;
            this.detail = detail;
        }

        @Exported
        public String getRegistry() {
            return registry;
        }

        @Exported
        public String getClient() {
            return client;
        }

        @Exported
        public String getMode() {
            return mode;
        }

        /** Whose key it was, where known without another IAM call (bearer mode); else {@code null}. */
        @Exported
        public String getIdentity() {
            return identity;
        }

        /** Milliseconds since the epoch. */
        @Exported
        public long getOpened() {
            return opened;
        }

        /** Milliseconds since the epoch; 0 while the block runs. */
        @Exported
        public long getClosed() {
            return closed;
        }

        @Exported
        public Cleanup getCleanup() {
            return cleanup;
        }

        /** Why a cleanup was deferred or failed. */
        @Exported
        public String getDetail() {
            return detail;
        }

        public Date getOpenedDate() {
            return new Date(opened);
        }

        public Date getClosedDate() {
            return closed == 0 ? null : new Date(closed);
        }
    }
}
