package io.jenkins.plugins.icr.login;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.jenkins.plugins.icr.testbed.TestbedExtension;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A registry's acceptance of a key is remembered for a while; its refusal never is. */
class ProvenKeysTest {

    @RegisterExtension
    static final TestbedExtension TESTBED = new TestbedExtension();

    private Instant now = Instant.parse("2026-11-25T12:00:00Z");
    private final ProvenKeys proofs = new ProvenKeys(KeyCheck.here(), Duration.ofMinutes(5), new Clock() {
        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    });

    @Test
    void aKeyIsProvenOnceAWhileAndAgainAfterThat() throws Exception {
        String key = TESTBED.get().newApiKey();
        LoginCredential credential = LoginCredential.apiKey(key);
        for (int i = 0; i < 5; i++) {
            verify(credential, Map.of("BUILD_NUMBER", Integer.toString(i)));
        }
        assertEquals(1, TESTBED.get().tokenService().requestCount(key), "one token request for five logins");
        verify(credential, Map.of("HTTPS_PROXY", "http://127.0.0.1:1/"));
        assertEquals(2, TESTBED.get().tokenService().requestCount(key), "another route is another proof");
        now = now.plus(Duration.ofMinutes(5));
        verify(credential, Map.of());
        assertEquals(3, TESTBED.get().tokenService().requestCount(key), "proven again after five minutes");
    }

    @Test
    void aRefusedKeyIsRefusedEveryTime() throws Exception {
        String key = TESTBED.get().newApiKey();
        TESTBED.get().iam().deleteApiKey(key);
        LoginCredential credential = LoginCredential.apiKey(key);
        for (int i = 0; i < 3; i++) {
            LoginException e = assertThrows(LoginException.class, () -> verify(credential, Map.of()));
            assertEquals(LoginException.Reason.WRONG_CREDENTIALS, e.reason());
        }
        assertEquals(3, TESTBED.get().tokenService().requestCount(key));
    }

    private void verify(LoginCredential credential, Map<String, String> environment) throws Exception {
        proofs.verify(TESTBED.get().host(), credential, Optional.of(TESTBED.get().pki().caPem()), environment);
    }
}
