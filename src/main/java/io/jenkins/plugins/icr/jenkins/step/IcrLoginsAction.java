package io.jenkins.plugins.icr.jenkins.step;

import hudson.model.Run;
import io.jenkins.plugins.icr.jenkins.Messages;
import java.io.IOException;
import java.io.Serializable;
import java.util.Date;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Level;
import java.util.logging.Logger;
import jenkins.model.RunAction2;
import jenkins.util.Timer;
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

    /**
     * Shows a block's login, or its new state. The build record is saved, off the block's way, when a login closes;
     * an open one is shown from memory (its cleanup carries it, and records it again after a restart).
     */
    synchronized void record(Login login) {
        for (int i = 0; i < logins.size(); i++) {
            if (logins.get(i).id.equals(login.id)) {
                logins.set(i, login);
                save(login);
                return;
            }
        }
        logins.add(login);
        save(login);
    }

    private void save(Login login) {
        if (login.cleanup == Cleanup.OPEN) {
            return;
        }
        Timer.get().execute(() -> {
            try {
                run.save();
            } catch (IOException e) {
                LOGGER.log(Level.WARNING, "Could not save the registry logins of " + run, e);
            }
        });
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

    /** One block's login: a value, kept by the block's cleanup until it closes. */
    @ExportedBean(defaultVisibility = 2)
    public static final class Login implements Serializable {
        private static final long serialVersionUID = 1L;

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

        /** A block that has just logged in. */
        static Login opened(String registry, String client, String mode, String identity) {
            return new Login(UUID.randomUUID().toString(), registry, client, mode, identity,
                    System.currentTimeMillis(), 0, Cleanup.OPEN, null);
        }

        /** The same login, its cleanup ended so. */
        Login closed(Cleanup outcome, String detail) {
            return new Login(id, registry, client, mode, identity, opened, System.currentTimeMillis(), outcome, detail);
        }

        /** Which block, for the renewal of its login. */
        public String getId() {
            return id;
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
