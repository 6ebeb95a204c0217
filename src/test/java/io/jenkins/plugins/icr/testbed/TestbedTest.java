package io.jenkins.plugins.icr.testbed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The testbed must behave like ICR: in particular it must not accept everything. */
class TestbedTest {

    @RegisterExtension
    static final TestbedExtension TESTBED = new TestbedExtension();

    @Test
    void challengesLikeIcr() throws Exception {
        var response = TESTBED.get().get("/v2/", null);
        assertEquals(401, response.statusCode());
        assertEquals("Bearer realm=\"" + TESTBED.get().tokenService().realm() + "\",service=\"registry\"",
                response.headers().firstValue("WWW-Authenticate").orElseThrow());
    }

    @Test
    void refusesAnonymousAndWronglySignedTokens() throws Exception {
        String path = "/v2/ns/app/tags/list";
        assertEquals(401, TESTBED.get().get(path, null).statusCode());
        String forged = TokenService.registryToken("ns/app", TESTBED.get().pki().untrustedKey(),
                TESTBED.get().pki().untrustedCertificate());
        assertEquals(401, TESTBED.get().get(path, forged).statusCode());
        String signed = TokenService.registryToken("ns/app", TESTBED.get().pki().tokenKey(),
                TESTBED.get().pki().tokenCertificateX509());
        int status = TESTBED.get().get(path, signed).statusCode();
        assertTrue(status == 404 || status == 200, "a token signed by the trusted key is accepted: " + status);
    }
}
