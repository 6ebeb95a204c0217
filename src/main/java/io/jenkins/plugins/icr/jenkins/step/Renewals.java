package io.jenkins.plugins.icr.jenkins.step;

import hudson.Extension;
import hudson.ExtensionList;
import io.jenkins.plugins.icr.login.LoginRenewal;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The bearer logins this controller keeps renewing, one per running block: the deliberate state that lets a block's
 * end (or a restart's resume) find its renewal, and a test prove that a finished build leaves none behind.
 */
@Extension
public final class Renewals {

    private final Map<String, LoginRenewal> running = new ConcurrentHashMap<>();

    static Renewals get() {
        return ExtensionList.lookupSingleton(Renewals.class);
    }

    void put(String block, LoginRenewal renewal) {
        LoginRenewal replaced = running.put(block, renewal);
        if (replaced != null) {
            replaced.close();
        }
    }

    void stop(String block) {
        LoginRenewal renewal = running.remove(block);
        if (renewal != null) {
            renewal.close();
        }
    }

    /** How many blocks' logins are being renewed now. */
    public int running() {
        return running.size();
    }
}
