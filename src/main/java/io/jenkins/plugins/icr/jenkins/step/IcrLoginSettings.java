package io.jenkins.plugins.icr.jenkins.step;

import hudson.AbortException;
import hudson.Util;
import io.jenkins.plugins.icr.block.BlockOptions;
import io.jenkins.plugins.icr.block.Mode;
import io.jenkins.plugins.icr.jenkins.Messages;
import io.jenkins.plugins.icr.login.Client;
import jenkins.util.SystemProperties;

/**
 * The options the step and the freestyle wrapper share, as their users wrote them. Checking and mapping them is
 * the engine's ({@link BlockOptions}); this only hands them over.
 */
public interface IcrLoginSettings {

    /**
     * Lets a block name a registry host that is not ICR's, such as a test registry. Off by default: a typo in a
     * region must never send the key to some other host.
     */
    String ALLOW_CUSTOM_HOSTS = IcrLoginSettings.class.getName() + ".allowCustomHosts";

    String getCredentialsId();

    String getRegion();

    String getClient();

    boolean isPrivateEndpoint();

    String getMode();

    String getCaCertificate();

    String getExposeApiKeyAs();

    String getPullSecret();

    String getPullSecretNamespace();

    /** Whether {@link #ALLOW_CUSTOM_HOSTS} is set, read at each use so that tests and administrators can flip it. */
    static boolean customHostsAllowed() {
        return SystemProperties.getBoolean(ALLOW_CUSTOM_HOSTS);
    }

    /** A client as stored: the default as {@code null}, so that snippets and exports leave it out. */
    static String storedClient(String client) {
        String value = Util.fixEmptyAndTrim(client);
        return value == null || value.equalsIgnoreCase(Client.AUTH_FILE.id()) ? null : value;
    }

    /** A mode as stored, the default as {@code null}. */
    static String storedMode(String mode) {
        String value = Util.fixEmptyAndTrim(mode);
        return value == null || value.equalsIgnoreCase(Mode.APIKEY.id()) ? null : value;
    }

    /** The options checked, or the first mistake as an error for the build log, naming the option. */
    default BlockOptions options() throws AbortException {
        if (Util.fixEmptyAndTrim(getCredentialsId()) == null) {
            throw new AbortException(Messages.options_missing("credentialsId", Messages.options_credentialsId()));
        }
        if (Util.fixEmptyAndTrim(getRegion()) == null) {
            throw new AbortException(Messages.options_missing("region", Messages.options_region()));
        }
        try {
            return BlockOptions.of(getRegion(), isPrivateEndpoint(), customHostsAllowed(),
                    getClient(), getMode(), getCaCertificate(), getExposeApiKeyAs())
                    .withPullSecret(getPullSecret(), getPullSecretNamespace());
        } catch (IllegalArgumentException e) {
            throw new AbortException(e.getMessage());
        }
    }
}
