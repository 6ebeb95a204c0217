package io.jenkins.plugins.icr.iam;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.icr.testbed.IamEmulator;
import io.jenkins.plugins.icr.testbed.IamEmulator.Fault;
import io.jenkins.plugins.icr.testbed.KeyTrap;
import io.jenkins.plugins.icr.testbed.TestPki;
import io.jenkins.plugins.icr.testbed.TestProxy;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The IAM client against the IAM emulator: tokens, identities, and every error and fault IAM can give. */
class IamClientTest {

    /** Fast backoff, so that retry tests take milliseconds; counts and bounds are what is checked. */
    static final Retry QUICK = new Retry(4, Duration.ofMillis(5), Duration.ofMillis(40), Duration.ofSeconds(5));

    private IamEmulator iam;
    private IamClient client;

    @BeforeEach
    void start() throws Exception {
        iam = IamEmulator.start();
        client = IamClient.builder().endpoint(iam.baseUrl()).retry(QUICK).build();
    }

    @AfterEach
    void stop() {
        iam.close();
    }

    @Test
    void aServiceIdKeyGivesATokenAndSaysWhoseItIs() throws Exception {
        String key = iam.createApiKey(IamEmulator.Identity.serviceId("ci-pusher", "acct-0a1b"));
        Instant before = Instant.now();
        AccessToken token = client.exchange(key);
        assertTrue(token.token().startsWith("eyJ"));
        assertFalse(token.toString().contains(token.token()));
        assertTrue(token.expiresAt().isAfter(before.plusSeconds(3590)), token.toString());
        Identity whose = token.identity();
        assertEquals(Identity.Kind.SERVICE_ID, whose.kind());
        assertTrue(whose.iamId().startsWith("iam-ServiceId-"));
        assertEquals("service ID ci-pusher (" + whose.iamId() + ") in account acct-0a1b", whose.describe());
        assertEquals(1, iam.requestCount(key));
    }

    @Test
    void aUsersKeyShowsTheirNameAndEmail() throws Exception {
        String key = iam.createApiKey(IamEmulator.Identity.user("Ada Lovelace", "ada@example.com", "acct-7"));
        var whose = client.verify(key);
        assertEquals(Identity.Kind.USER, whose.kind());
        assertEquals("user Ada Lovelace <ada@example.com> (" + whose.iamId() + ") in account acct-7", whose.describe());
    }

    @Test
    void anUnknownKeyIsNamedWithIamsRequestIdAndWithoutTheKey() throws Exception {
        String key = iam.createApiKey(IamEmulator.Identity.serviceId("gone", "acct"));
        iam.deleteApiKey(key);
        IamException e = assertThrows(IamException.class, () -> client.exchange(key));
        assertEquals(IamException.Reason.KEY_NOT_FOUND, e.reason());
        assertTrue(e.getMessage().contains("BXNIM0415E") && e.getMessage().contains("api-key-create"), e.getMessage());
        assertTrue(e.requestId().isPresent());
        assertTrue(e.getMessage().endsWith("and store it. IAM request id: " + e.requestId().get() + "."), e.getMessage());
        assertFalse(e.getMessage().contains(key));
        assertEquals(1, iam.requestCount(key), "a refusal is not retried");
    }

    @Test
    void theErrorsArrayShapeAnd401AreReadToo() throws Exception {
        iam.enqueue(new Fault.Canned(401, "{\"errors\":[{\"code\":\"BXNIM0407E\",\"message\":\"Invalid token.\"}],"
                + "\"trace\":\"trace-42\",\"status_code\":401}", Map.of()));
        IamException e = assertThrows(IamException.class, () -> client.exchange("some-key"));
        assertEquals(IamException.Reason.REJECTED, e.reason());
        assertTrue(e.getMessage().contains("HTTP 401 (BXNIM0407E: Invalid token.)"), e.getMessage());
        assertEquals("trace-42", e.requestId().orElseThrow());
    }

    @Test
    void errorDetailsArePreferredAndAnEchoedKeyIsRedacted() throws Exception {
        iam.enqueue(new Fault.Canned(400, "{\"errorCode\":\"BXNIM0109E\",\"errorMessage\":\"Property missing.\","
                + "\"errorDetails\":\"apikey 'echoed-key' has a bad form\"}", Map.of("Transaction-Id", "tx-9")));
        IamException e = assertThrows(IamException.class, () -> client.exchange("echoed-key"));
        assertTrue(e.getMessage().contains("BXNIM0109E: apikey '****' has a bad form"), e.getMessage());
        assertEquals("tx-9", e.requestId().orElseThrow());
    }

    @Test
    void rateLimitingIsRetriedHonouringRetryAfter() throws Exception {
        String key = iam.createApiKey(IamEmulator.Identity.serviceId("busy", "acct"));
        iam.enqueue(new Fault.RateLimited(0), new Fault.RateLimited(null));
        client.exchange(key);
        assertEquals(3, iam.requestCount(key));
    }

    @Test
    void rateLimitingThatLastsFailsAfterTheLastAttempt() throws Exception {
        iam.enqueue(new Fault.RateLimited(null), new Fault.RateLimited(null), new Fault.RateLimited(null),
                new Fault.RateLimited(null), new Fault.RateLimited(null));
        IamException e = assertThrows(IamException.class, () -> client.exchange("k"));
        assertEquals(IamException.Reason.RATE_LIMITED, e.reason());
        assertTrue(e.getMessage().contains("after 4 attempts"), e.getMessage());
        assertEquals(4, iam.requestCount("k"));
    }

    @Test
    void aRetryAfterBeyondTheBudgetFailsAtOnceInsteadOfWaiting() throws Exception {
        iam.enqueue(new Fault.RateLimited(600));
        long start = System.nanoTime();
        IamException e = assertThrows(IamException.class, () -> client.exchange("k"));
        assertTrue(e.getMessage().contains("IAM asked to wait 600 seconds"), e.getMessage());
        assertEquals(1, iam.requestCount("k"));
        assertTrue(Duration.ofNanos(System.nanoTime() - start).toSeconds() < 60, "it did not wait the 600 s");
    }

    @Test
    void serverErrorsAreRetriedWithBackoffThenReported() throws Exception {
        String key = iam.createApiKey(IamEmulator.Identity.serviceId("flaky", "acct"));
        iam.enqueue(new Fault.ServerError(503), new Fault.ServerError(502));
        client.exchange(key);
        assertEquals(3, iam.requestCount(key));

        iam.enqueue(new Fault.ServerError(500), new Fault.ServerError(503), new Fault.ServerError(503),
                new Fault.ServerError(504));
        IamException e = assertThrows(IamException.class, () -> client.exchange(key));
        assertEquals(IamException.Reason.UNAVAILABLE, e.reason());
        assertTrue(e.getMessage().contains("HTTP 504, 4 times in a row"), e.getMessage());
        assertEquals(7, iam.requestCount(key));
    }

    @Test
    void aSlowIamTimesOut() throws Exception {
        IamClient impatient = IamClient.builder().endpoint(iam.baseUrl()).retry(QUICK)
                .timeouts(Duration.ofSeconds(5), Duration.ofMillis(200)).build();
        iam.enqueue(new Fault.Slow(Duration.ofSeconds(2)));
        IamException e = assertThrows(IamException.class, () -> impatient.exchange("k"));
        assertEquals(IamException.Reason.TIMEOUT, e.reason());
        assertTrue(e.getMessage().contains("did not answer in time"), e.getMessage());
    }

    @Test
    void somethingThatIsNotAnIamAnswerSaysToCheckTheEndpoint() throws Exception {
        iam.enqueue(new Fault.MalformedJson());
        IamException e = assertThrows(IamException.class, () -> client.exchange("k"));
        assertEquals(IamException.Reason.MALFORMED_ANSWER, e.reason());
        assertTrue(e.getMessage().contains("Check the IAM endpoint setting"), e.getMessage());

        iam.enqueue(new Fault.Canned(404, "<html>not here</html>", Map.of()));
        assertEquals(IamException.Reason.MALFORMED_ANSWER,
                assertThrows(IamException.class, () -> client.exchange("k")).reason());
    }

    @Test
    void itGoesThroughAProxyThatAsksForCredentials() throws Exception {
        String key = iam.createApiKey(IamEmulator.Identity.serviceId("behind-proxy", "acct"));
        try (TestProxy proxy = new TestProxy("jenkins", "pr0xy-pw")) {
            IamClient noCredentials = IamClient.builder().endpoint(iam.baseUrl()).proxy(proxy.selector()).build();
            IamException e = assertThrows(IamException.class, () -> noCredentials.exchange(key));
            assertTrue(e.getMessage().contains("asks for credentials (HTTP 407)"), e.getMessage());
            assertEquals(0, iam.requestCount(key), "nothing got past the proxy");
            IamClient withCredentials = IamClient.builder().endpoint(iam.baseUrl()).proxy(proxy.selector())
                    .proxyCredentials("jenkins", "pr0xy-pw").build();
            assertEquals("behind-proxy", withCredentials.verify(key).name().orElseThrow());
            assertEquals(1, proxy.relayed());
            assertEquals(1, iam.requestCount(key));
        }
    }

    @Test
    void anUnreachableEndpointIsNamed() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        IamClient nowhere = IamClient.builder().endpoint("http://127.0.0.1:" + closed).build();
        IamException e = assertThrows(IamException.class, () -> nowhere.exchange("k"));
        assertEquals(IamException.Reason.UNREACHABLE, e.reason());
        assertTrue(e.getMessage().contains("http://127.0.0.1:" + closed), e.getMessage());
    }

    @Test
    void anUntrustedCertificateIsNamedAndTheCaFixesIt(@TempDir Path dir) throws Exception {
        TestPki pki = TestPki.create(dir);
        try (IamEmulator tls = IamEmulator.startTls(pki)) {
            String key = tls.createApiKey(IamEmulator.Identity.serviceId("tls", "acct"));
            IamClient jvmTrust = IamClient.builder().endpoint(tls.baseUrl()).build();
            IamException e = assertThrows(IamException.class, () -> jvmTrust.exchange(key));
            assertEquals(IamException.Reason.UNTRUSTED_CERTIFICATE, e.reason(), e.getMessage());
            assertTrue(e.getMessage().contains("trust store"), e.getMessage());
            var identity = IamClient.builder().endpoint(tls.baseUrl()).trusting(pki.caPem()).build().verify(key);
            assertEquals("tls", identity.name().orElseThrow());
        }
    }

    @Test
    void anIamThatRedirectsDoesNotGetToSendTheKeyOn() throws Exception {
        String key = iam.createApiKey(IamEmulator.Identity.serviceId("ci", "acct"));
        try (KeyTrap trap = KeyTrap.start()) {
            for (int status : new int[] {307, 308, 301, 302}) {
                iam.enqueue(new Fault.Canned(status, "{}", Map.of("Location", trap.url() + "/identity/token")));
                IamException e = assertThrows(IamException.class, () -> client.exchange(key));
                assertTrue(e.getMessage().contains("redirect (HTTP " + status + ") to " + trap.url()), e.getMessage());
            }
            assertEquals(0, trap.requests(), "nothing followed a redirect");
            assertFalse(trap.received(key));
        }
    }

    @Test
    void theKeyIsNeverSentInClearBeyondThisMachine() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> IamClient.builder().endpoint("http://iam.example.com").build());
        assertTrue(e.getMessage().contains("https URL"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> client.exchange(" "));
    }
}
