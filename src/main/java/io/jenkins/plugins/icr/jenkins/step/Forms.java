package io.jenkins.plugins.icr.jenkins.step;

import com.cloudbees.plugins.credentials.common.StandardCredentials;
import com.cloudbees.plugins.credentials.common.StandardListBoxModel;
import hudson.Util;
import hudson.model.Item;
import hudson.security.ACL;
import hudson.util.ComboBoxModel;
import hudson.util.FormValidation;
import hudson.util.ListBoxModel;
import io.jenkins.plugins.icr.FrontEnd;
import io.jenkins.plugins.icr.block.BlockOptions;
import io.jenkins.plugins.icr.block.Mode;
import io.jenkins.plugins.icr.jenkins.Messages;
import io.jenkins.plugins.icr.jenkins.credentials.CredentialLookup;
import io.jenkins.plugins.icr.login.Client;
import io.jenkins.plugins.icr.login.PullSecret;
import io.jenkins.plugins.icr.region.Region;
import java.util.List;
import java.util.function.BiConsumer;
import jenkins.model.Jenkins;

/** The drop-downs of the step's and the wrapper's forms (and so of the snippet generator). */
public final class Forms {

    private Forms() {}

    /**
     * The credentials a block can use, for those who may configure the item: others see only the current value,
     * so that the list tells nobody which credentials exist.
     */
    public static ListBoxModel credentials(Item item, String current) {
        StandardListBoxModel model = new StandardListBoxModel();
        if (!mayConfigure(item)) {
            return model.includeCurrentValue(current);
        }
        model.includeEmptyValue();
        if (item == null) {
            model.includeMatchingAs(ACL.SYSTEM2, Jenkins.get(), StandardCredentials.class, List.of(), CredentialLookup.USABLE);
        } else {
            model.includeMatchingAs(ACL.SYSTEM2, item, StandardCredentials.class, List.of(), CredentialLookup.USABLE);
        }
        return model.includeCurrentValue(current);
    }

    /**
     * Whether the user may see the form of a job's block (or, with no job, is an administrator): the one rule of every
     * form of the plugin, the credentials drop-downs and the checks of withIcrLogin, the wrapper and
     * icrVulnerabilityCheck alike.
     */
    public static boolean mayConfigure(Item item) {
        return item == null ? Jenkins.get().hasPermission(Jenkins.ADMINISTER)
                : item.hasPermission(Item.EXTENDED_READ) || item.hasPermission(Item.CONFIGURE);
    }

    /**
     * Says, as the user types, whether the region is one the block will accept. No network: names only, and only to
     * those who may see the form.
     */
    static FormValidation checkRegion(Item item, String value) {
        if (!mayConfigure(item)) {
            return FormValidation.ok();
        }
        if (Util.fixEmptyAndTrim(value) == null) {
            return FormValidation.error(Messages.form_region_required());
        }
        try {
            var warnings = BlockOptions.of(value, false, IcrLoginSettings.customHostsAllowed(), null, null, null, null)
                    .registry().warnings();
            return warnings.isEmpty() ? FormValidation.ok() : FormValidation.warning(String.join(" ", warnings));
        } catch (IllegalArgumentException e) {
            return FormValidation.error(e.getMessage());
        }
    }

    /** Says, as the user types, whether Kubernetes takes the pull secret's name; blank asks for no pull secret. */
    static FormValidation checkPullSecret(Item item, String value) {
        return checkKubernetesName(item, value, PullSecret::checkName);
    }

    /** The same for the pull secret's namespace; blank is the namespace kubectl is set to. */
    static FormValidation checkPullSecretNamespace(Item item, String value) {
        return checkKubernetesName(item, value, PullSecret::checkNamespace);
    }

    private static FormValidation checkKubernetesName(Item item, String value, BiConsumer<String, FrontEnd> check) {
        String name = Util.fixEmptyAndTrim(value);
        if (name == null || !mayConfigure(item)) {
            return FormValidation.ok();
        }
        try {
            check.accept(name, FrontEnd.JENKINS);
            return FormValidation.ok();
        } catch (IllegalArgumentException e) {
            return FormValidation.error(e.getMessage());
        }
    }

    /** Suggestions, not a closed list: a host or a former name typed in stays as typed. */
    static ComboBoxModel regions() {
        ComboBoxModel model = new ComboBoxModel();
        for (Region region : Region.values()) {
            model.add(region.id());
        }
        return model;
    }

    static ListBoxModel clients() {
        ListBoxModel model = new ListBoxModel();
        model.add(Client.AUTH_FILE.id()); // the default comes first, so that an untouched form keeps it
        for (Client client : Client.values()) {
            if (client != Client.AUTH_FILE) {
                model.add(client.id());
            }
        }
        return model;
    }

    static ListBoxModel modes() {
        ListBoxModel model = new ListBoxModel();
        for (Mode mode : Mode.values()) {
            model.add(mode.id());
        }
        return model;
    }
}
