package io.jenkins.plugins.icr.jenkins.restricted;

import hudson.util.Secret;

/** A use of a {@code @Restricted(NoExternalUse)} field of core, which {@code AccessModifierTest} must find. */
final class UsesRestrictedApi {

    private UsesRestrictedApi() {
    }

    static boolean looksEncrypted(String value) {
        return Secret.ENCRYPTED_VALUE_PATTERN.matcher(value).matches();
    }
}
