package io.jenkins.plugins.icr.block;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.icr.FrontEnd;
import io.jenkins.plugins.icr.login.Client;
import io.jenkins.plugins.icr.region.UnknownRegionException;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What a pipeline author writes in withIcrLogin, checked before anything logs in. */
class BlockOptionsTest {

    @Test
    void theDefaultsAreTheAuthFileClientAndApiKeyMode() {
        BlockOptions options = BlockOptions.of("us-south", false, false, null, null, null, null);
        assertEquals("us.icr.io", options.registry().host());
        assertEquals(Client.AUTH_FILE, options.client());
        assertEquals(Mode.APIKEY, options.mode());
        assertEquals(Optional.empty(), options.caCertificatePem());
        assertEquals(Optional.empty(), options.exposeApiKeyAs());
        assertEquals(Optional.empty(), options.pullSecret());
    }

    @Test
    void everyOptionIsReadAsWritten() {
        BlockOptions options = BlockOptions.of(" eu-de ", true, false, "Podman", "BEARER",
                "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n", null);
        assertEquals("private.de.icr.io", options.registry().host());
        assertEquals(Client.PODMAN, options.client());
        assertEquals(Mode.BEARER, options.mode());
        assertTrue(options.caCertificatePem().orElseThrow().startsWith("-----BEGIN"));
        assertEquals(Optional.of("CF_DOCKER_PASSWORD"),
                BlockOptions.of("us-south", false, false, "", "", "", " CF_DOCKER_PASSWORD ").exposeApiKeyAs());
    }

    @Test
    void aTestRegistryNeedsCustomHostsAllowed() {
        assertThrows(UnknownRegionException.class, () -> BlockOptions.of("127.0.0.1:5000", false, false, null, null, null, null));
        assertEquals("127.0.0.1:5000", BlockOptions.of("127.0.0.1:5000", false, true, null, null, null, null).registry().host());
    }

    @Test
    void mistakesSayWhatToWriteInstead() {
        assertTrue(message(() -> BlockOptions.of("us-sout", false, false, null, null, null, null)).contains("region. Did you mean 'us-south'?"));
        assertTrue(message(() -> BlockOptions.of("us-south", false, false, "kaniko", null, null, null)).contains("docker, podman"));
        assertTrue(message(() -> BlockOptions.of("us-south", false, false, null, "token", null, null)).contains("apikey, bearer"));
        assertTrue(message(() -> BlockOptions.of("us-south", false, false, null, null, "not a pem", null)).contains("BEGIN CERTIFICATE"));
        assertTrue(message(() -> BlockOptions.of("us-south", false, false, null, null, null, "MY-KEY")).contains("CF_DOCKER_PASSWORD"));
        assertTrue(message(() -> BlockOptions.of("us-south", false, false, null, null, null, "DOCKER_CONFIG")).contains("other than"));
        assertTrue(message(() -> BlockOptions.of("us-south", false, false, null, "bearer", null, "CF_DOCKER_PASSWORD"))
                .contains("bearer mode keeps back"));
    }

    @Test
    void eachFrontEndReadsItsOwnOptionNames() {
        String step = message(() -> BlockOptions.of(FrontEnd.JENKINS, "us-south", false, false, null, "bearer", null,
                "CF_DOCKER_PASSWORD"));
        assertTrue(step.contains("Use mode: 'apikey', or drop exposeApiKeyAs."), step);
        String cli = message(() -> BlockOptions.of(FrontEnd.CLI, "us-south", false, false, null, "bearer", null,
                "CF_DOCKER_PASSWORD"));
        assertTrue(cli.contains("Use --mode apikey, or drop --expose-api-key-as."), cli);
        assertTrue(message(() -> BlockOptions.of(FrontEnd.CLI, "registry.example", false, false, null, null, null, null))
                .contains("accepted only with --custom-host"));
        assertTrue(message(() -> BlockOptions.of(FrontEnd.CLI, "us-south", false, false, "kaniko", null, null, null))
                .contains("Set --client to one of"));
        assertEquals(step, message(() -> BlockOptions.of("us-south", false, false, null, "bearer", null,
                "CF_DOCKER_PASSWORD")), "Jenkins' words by default, so that the adapter need not say");
    }

    @Test
    void aPullSecretIsMadeFromTheKeySoBearerModeIsRefusedWithTheReason() {
        BlockOptions options = BlockOptions.of("us-south", false, false, null, null, null, null)
                .withPullSecret(" icr-pull ", " apps ");
        assertEquals("apps/icr-pull", options.pullSecret().orElseThrow().toString());
        assertEquals(Optional.empty(), BlockOptions.of("us-south", false, false, null, "bearer", null, null)
                .withPullSecret("", null).pullSecret(), "no name, no pull secret, in any mode");

        String step = message(() -> BlockOptions.of("us-south", false, false, null, "bearer", null, null)
                .withPullSecret("icr-pull", null));
        assertTrue(step.contains("tokens expire within the hour") && step.contains("use mode: 'apikey'")
                && step.contains("or drop pullSecret"), step);
        assertTrue(message(() -> BlockOptions.of("us-south", false, false, null, null, null, "ICR_PULL_SECRET"))
                .contains("other than"), "the variable the manifest's path is in cannot hold the key");
    }

    @Test
    void aTrustedProfileIsAlwaysBearerWithNoPullSecretAndNoKeyToExpose() {
        BlockOptions plain = BlockOptions.of("us-south", false, false, null, null, null, null);
        assertEquals(Mode.BEARER, plain.forTrustedProfile(FrontEnd.JENKINS).mode());

        String pull = message(() -> plain.withPullSecret("icr-pull", null).forTrustedProfile(FrontEnd.JENKINS));
        assertTrue(pull.contains("trusted profile's IAM token, which expires within the hour")
                && pull.contains("service ID's API key") && pull.contains("or drop pullSecret"), pull);
        String expose = message(() -> BlockOptions.of("us-south", false, false, null, null, null, "IBMCLOUD_API_KEY")
                .forTrustedProfile(FrontEnd.JENKINS));
        assertTrue(expose.contains("none to expose as IBMCLOUD_API_KEY") && expose.contains("Drop exposeApiKeyAs"),
                expose);
    }

    private static String message(org.junit.jupiter.api.function.Executable executable) {
        return assertThrows(IllegalArgumentException.class, executable).getMessage();
    }
}
