package io.jenkins.plugins.icr.testbed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The testbed must behave like ICR: in particular it must not accept everything. */
class TestbedTest {

    private static IcrTestbed testbed;

    @BeforeAll
    static void start() throws Exception {
        testbed = IcrTestbed.start();
    }

    @AfterAll
    static void stop() throws Exception {
        if (testbed != null) {
            testbed.close();
        }
    }

    @Test
    void challengesLikeIcr() throws Exception {
        var response = testbed.get("/v2/", null);
        assertEquals(401, response.statusCode());
        assertEquals("Bearer realm=\"" + testbed.tokenService().realm() + "\",service=\"registry\"",
                response.headers().firstValue("WWW-Authenticate").orElseThrow());
    }

    @Test
    void refusesAnonymousAndWronglySignedTokens() throws Exception {
        String path = "/v2/ns/app/tags/list";
        assertEquals(401, testbed.get(path, null).statusCode());
        String forged = TokenService.registryToken("ns/app", testbed.pki().untrustedKey(),
                testbed.pki().untrustedCertificate());
        assertEquals(401, testbed.get(path, forged).statusCode());
        String signed = TokenService.registryToken("ns/app", testbed.pki().tokenKey(),
                testbed.pki().tokenCertificateX509());
        int status = testbed.get(path, signed).statusCode();
        assertTrue(status == 404 || status == 200, "a token signed by the trusted key is accepted: " + status);
    }
}
