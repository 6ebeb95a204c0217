package io.jenkins.plugins.icr.iam;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Which IAM endpoints a stored key may travel to: IBM's own, and only what an administrator adds. */
class IamEndpointsTest {

    @Test
    void ibmsOwnEndpointsAreAllowedInEveryFormAUserTypesThem() {
        IamEndpoints ibm = IamEndpoints.ibm();
        for (String endpoint : List.of("https://iam.cloud.ibm.com", "https://iam.cloud.ibm.com/",
                "HTTPS://IAM.Cloud.IBM.com:443", "https://iam.cloud.ibm.com/identity/token",
                "https://private.iam.cloud.ibm.com", "https://private.eu-de.iam.cloud.ibm.com/",
                "https://private.us-south.iam.cloud.ibm.com", "https://iam.test.cloud.ibm.com")) {
            assertTrue(ibm.allows(endpoint), endpoint);
        }
        assertTrue(ibm.allows(null), "no endpoint is the public one");
        assertTrue(ibm.allows("  "), "a blank endpoint is the public one");
    }

    @Test
    void anythingElseIsRefusedUntilAnAdministratorAllowsIt() {
        IamEndpoints ibm = IamEndpoints.ibm();
        for (String endpoint : List.of("https://iam.cloud.ibm.com.evil.example", "https://evil.example",
                "https://iam.cloud.ibm.com:8443", "https://iam.cloud.ibm.com/other", "http://127.0.0.1:8080",
                "https://iam.cloud.ibm.com@evil.example", "https://user@iam.cloud.ibm.com",
                "https://private.xx-nowhere.iam.cloud.ibm.com", "http://iam.cloud.ibm.com", "not a url")) {
            assertFalse(ibm.allows(endpoint), endpoint);
        }
        IamEndpoints extended = IamEndpoints.allowingLines("""
                # the test IAM of the platform team
                https://iam.corp.example:8443/gateway/

                http://127.0.0.1:8080
                """);
        assertTrue(extended.allows("https://iam.corp.example:8443/gateway"));
        assertTrue(extended.allows("https://IAM.corp.example:8443/gateway/identity/token"));
        assertTrue(extended.allows("http://127.0.0.1:8080/"));
        assertFalse(extended.allows("https://iam.corp.example:8443"), "another path is another endpoint");
        assertFalse(extended.allows("http://127.0.0.1:8081"));
        assertTrue(extended.allows("https://iam.cloud.ibm.com"), "IBM's stay allowed");
    }

    @Test
    void anAdministratorsEntryMustBeAnEndpointAKeyMayTravelTo() {
        for (String bad : List.of("http://iam.corp.example", "ftp://iam.corp.example", "https://iam.corp.example?x=1",
                "https://u:p@iam.corp.example")) {
            var e = assertThrows(IllegalArgumentException.class, () -> IamEndpoints.allowing(List.of(bad)), bad);
            assertTrue(e.getMessage().contains(bad), e.getMessage());
        }
    }

    @Test
    void theCanonicalFormIsWhatTheClientCalls() throws Exception {
        assertEquals("https://iam.cloud.ibm.com", IamEndpoints.canonical(null));
        assertEquals("https://iam.cloud.ibm.com", IamEndpoints.canonical("https://IAM.cloud.ibm.com:443/identity/token/"));
        assertEquals("http://[::1]:9000/x", IamEndpoints.canonical("http://[::1]:9000/x/"));
        assertEquals("https://private.iam.cloud.ibm.com",
                IamClient.builder().endpoint("https://private.iam.cloud.ibm.com/").build().endpoint());
    }
}
