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

    @Test
    @WithJenkinsConfiguredWithCode
    @ConfiguredWithCode("casc-trusted-profile.yaml")
    void aTrustedProfileIsImportedFromYamlAndExportedAsItIs(JenkinsConfiguredWithCodeRule j) throws Exception {
        var profiles = CredentialsProvider.lookupCredentialsInItemGroup(IbmCloudTrustedProfileCredentials.class,
                Jenkins.get(), null, List.of());
        assertEquals(2, profiles.size());
        IbmCloudTrustedProfileCredentials pods = profiles.stream().filter(p -> p.getId().equals("icr-pods"))
                .findFirst().orElseThrow();
        assertEquals("Profile-0c6e8f0a-3c1e-4d2a-9f44-6f0b5a1c2d3e", pods.getProfile());
        assertEquals("/var/run/secrets/tokens/sa-token", pods.getTokenFile());
        assertEquals("https://private.iam.cloud.ibm.com", pods.getIamEndpoint());
        IbmCloudTrustedProfileCredentials vpc = profiles.stream().filter(p -> p.getId().equals("icr-vpc"))
                .findFirst().orElseThrow();
        assertTrue(vpc.isVpcMetadata());

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ConfigurationAsCode.get().export(out);
        String yaml = out.toString(StandardCharsets.UTF_8);
        assertTrue(yaml.contains("ibmCloudTrustedProfile:"), yaml);
        assertTrue(yaml.contains("tokenFile: \"/var/run/secrets/tokens/sa-token\""), yaml);
        assertTrue(yaml.contains("vpcMetadata: true"), yaml);
    }
}
