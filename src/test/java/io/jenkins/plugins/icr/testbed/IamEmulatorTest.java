package io.jenkins.plugins.icr.testbed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The IAM emulator answers as icr-facts.md says IAM does, and its faults happen when asked for. */
class IamEmulatorTest {

    @RegisterExtension
    static final TestbedExtension TESTBED = new TestbedExtension();
    private final HttpClient http = HttpClient.newHttpClient();

    private HttpResponse<String> token(String apiKey) throws Exception {
        String form = "grant_type=" + URLEncoder.encode(IamEmulator.APIKEY_GRANT, StandardCharsets.UTF_8)
                + "&apikey=" + URLEncoder.encode(apiKey, StandardCharsets.UTF_8);
        return http.send(HttpRequest.newBuilder(URI.create(TESTBED.get().iam().baseUrl() + "/identity/token"))
                .header("Content-Type", "application/x-www-form-urlencoded").header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void issuesTokensWithTheClaimsIamPutsInThem() throws Exception {
        var user = IamEmulator.Identity.user("Ada Lovelace", "ada@example.com", "acct-1");
        String key = TESTBED.get().iam().createApiKey(user);
        var response = token(key);
        assertEquals(200, response.statusCode());
        @SuppressWarnings("unchecked")
        Map<String, Object> body = Http.JSON.readValue(response.body(), Map.class);
        assertEquals("not_supported", body.get("refresh_token"));
        assertEquals(3600, body.get("expires_in"));
        Map<String, Object> claims = Jwt.claims((String) body.get("access_token"));
        assertEquals(user.iamId(), claims.get("iam_id"));
        assertEquals("ada@example.com", claims.get("email"));
        assertEquals(Map.of("valid", true, "bss", "acct-1", "frozen", true), claims.get("account"));
        assertTrue(TESTBED.get().iam().acceptsAccessToken((String) body.get("access_token")));
        assertEquals(1, TESTBED.get().iam().requestCount(key));

        var serviceId = Jwt.claims((String) Http.JSON.readValue(token(TESTBED.get().newApiKey()).body(), Map.class)
                .get("access_token"));
        assertEquals("ServiceId", serviceId.get("sub_type"));
    }

    @Test
    void anUnknownKeyGetsBxnim0415eWithARequestId() throws Exception {
        var response = token("no-such-key");
        assertEquals(400, response.statusCode());
        assertTrue(response.body().contains("\"errorCode\":\"BXNIM0415E\"") && response.body().contains("requestId"),
                response.body());
        assertTrue(response.headers().firstValue("Transaction-Id").isPresent());
    }

    @Test
    void injectedFaultsComeInOrderThenNormalAnswersResume() throws Exception {
        String key = TESTBED.get().newApiKey();
        TESTBED.get().iam().enqueue(new IamEmulator.Fault.RateLimited(7), new IamEmulator.Fault.RateLimited(null),
                new IamEmulator.Fault.ServerError(503), new IamEmulator.Fault.MalformedJson(),
                new IamEmulator.Fault.Slow(Duration.ofMillis(300)));
        var limited = token(key);
        assertEquals(429, limited.statusCode());
        assertEquals("7", limited.headers().firstValue("Retry-After").orElseThrow());
        var limitedBare = token(key);
        assertEquals(429, limitedBare.statusCode());
        assertFalse(limitedBare.headers().firstValue("Retry-After").isPresent());
        assertEquals(503, token(key).statusCode());
        var malformed = token(key);
        assertEquals(200, malformed.statusCode());
        assertFalse(malformed.body().endsWith("}"));
        long start = System.nanoTime();
        assertEquals(200, token(key).statusCode());
        assertTrue(System.nanoTime() - start >= Duration.ofMillis(300).toNanos(), "the slow answer was slow");
        assertEquals(5, TESTBED.get().iam().requestCount(key));
    }

    @Test
    void theRegistryAcceptsAnIamTokenUntilItExpires() throws Exception {
        String key = TESTBED.get().newApiKey();
        String accessToken = (String) Http.JSON.readValue(token(key).body(), Map.class).get("access_token");
        assertEquals(200, registryToken("iambearer", accessToken).statusCode());
        TESTBED.get().iam().expireIssuedTokens();
        var expired = registryToken("iambearer", accessToken);
        assertEquals(400, expired.statusCode());
        assertEquals(200, registryToken("iamapikey", key).statusCode());
        assertEquals(400, registryToken("token", key).statusCode(), "retired usernames are refused");
        for (TokenService.Request r : TESTBED.get().tokenService().requests()) {
            assertFalse(r.toString().contains(key) || r.toString().contains(accessToken), "no secret in the records");
        }
    }

    private HttpResponse<String> registryToken(String user, String secret) throws Exception {
        String basic = java.util.Base64.getEncoder().encodeToString((user + ":" + secret).getBytes(StandardCharsets.UTF_8));
        HttpClient tls = HttpClient.newBuilder().sslContext(TESTBED.get().pki().clientContext()).build();
        return tls.send(HttpRequest.newBuilder(URI.create(TESTBED.get().tokenService().realm()
                        + "?service=registry&account=" + user + "&scope=repository:ns/app:pull"))
                .header("Authorization", "Basic " + basic).build(), HttpResponse.BodyHandlers.ofString());
    }
}
