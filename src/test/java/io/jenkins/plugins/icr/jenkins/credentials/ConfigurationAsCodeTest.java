package io.jenkins.plugins.icr.jenkins.credentials;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cloudbees.plugins.credentials.CredentialsProvider;
import io.jenkins.plugins.casc.ConfigurationAsCode;
import io.jenkins.plugins.casc.misc.ConfiguredWithCode;
import io.jenkins.plugins.casc.misc.JenkinsConfiguredWithCodeRule;
import io.jenkins.plugins.casc.misc.junit.jupiter.WithJenkinsConfiguredWithCode;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import jenkins.model.Jenkins;
import org.junit.jupiter.api.Test;

/** A key declared in YAML is created, and the export shows it only encrypted. */
class ConfigurationAsCodeTest {

    @Test
    @WithJenkinsConfiguredWithCode
    @ConfiguredWithCode("casc.yaml")
    void aKeyIsImportedFromYamlAndExportedEncrypted(JenkinsConfiguredWithCodeRule j) throws Exception {
        var keys = CredentialsProvider.lookupCredentialsInItemGroup(IbmCloudApiKeyCredentials.class, Jenkins.get(),
                null, List.of());
        assertEquals(1, keys.size());
        IbmCloudApiKeyCredentials key = keys.get(0);
        assertEquals("icr-key", key.getId());
        assertEquals("CI pusher (service ID)", key.getDescription());
        assertEquals("casc-k3y-0123456789", key.getApiKey().getPlainText());
        assertEquals("https://private.iam.cloud.ibm.com", key.getIamEndpoint());

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ConfigurationAsCode.get().export(out);
        String yaml = out.toString(StandardCharsets.UTF_8);
        assertTrue(yaml.contains("ibmCloudApiKey:"), yaml);
        assertTrue(yaml.contains("id: \"icr-key\""), yaml);
        assertFalse(yaml.contains("casc-k3y-0123456789"), "the export never shows the key");
    }
}
