package io.jenkins.plugins.icr.jenkins;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * The access-modifier check of a jenkinsci {@code mvn verify}, over the plugin's classes, for the offline build (see
 * {@link AccessRestrictions}). In the root build the real checker runs instead, so this is skipped there.
 */
@EnabledIfSystemProperty(named = "icr.plugin.classes", matches = ".+")
class AccessModifierTest {

    private static AccessRestrictions restrictions;

    @BeforeAll
    static void load() throws Exception {
        restrictions = AccessRestrictions.load(AccessModifierTest.class.getClassLoader(), classes());
    }

    private static Path classes() {
        return Path.of(System.getProperty("icr.plugin.classes"));
    }

    @Test
    void thePluginUsesNoRestrictedApiOfJenkinsOrItsPlugins() throws Exception {
        assertEquals(List.of(), restrictions.violations(classes()));
    }

    @Test
    void theCheckFindsAUseOfARestrictedField() throws Exception {
        assertTrue(restrictions.size() > 500, "restricted elements read: " + restrictions.size());
        Path fixture = Path.of(System.getProperty("icr.plugin.testClasses"), "io/jenkins/plugins/icr/jenkins/restricted");
        List<String> violations = restrictions.violations(fixture);
        assertEquals(1, violations.size(), violations::toString);
        assertTrue(violations.get(0).startsWith("io.jenkins.plugins.icr.jenkins.restricted.UsesRestrictedApi:12 uses "
                + "hudson/util/Secret.ENCRYPTED_VALUE_PATTERN (NoExternalUse)"), violations.get(0));
    }
}
