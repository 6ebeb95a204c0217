package io.jenkins.plugins.icr.login;

import io.jenkins.plugins.icr.http.EnvironmentProxy;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Remembers for a few minutes that a registry accepted a credential, so that the blocks of a busy agent (a loop, a
 * matrix, parallel branches) prove a key once rather than each paying the registry's round trips. Only successes
 * are kept, keyed by a SHA-256 of host, username, secret, CA and proxy settings (no secret is held), and a wrong or
 * deleted key is refused at every login. A key deleted within the window fails at its first push instead.
 *
 * <p>The one instance a machine needs is {@link #shared()}: a deliberate, bounded, thread-safe cache.
 */
public final class ProvenKeys implements KeyCheck {

    /** How long a proof is trusted. */
    public static final Duration REMEMBERED = Duration.ofMinutes(5);
    private static final int KEPT = 256;
    private static final ProvenKeys SHARED = new ProvenKeys(KeyCheck.here(), REMEMBERED, Clock.systemUTC());

    private final KeyCheck check;
    private final Duration remembered;
    private final Clock clock;
    private final Map<String, Instant> proven = new ConcurrentHashMap<>();

    ProvenKeys(KeyCheck check, Duration remembered, Clock clock) {
        this.check = check;
        this.remembered = remembered;
        this.clock = clock;
    }

    /** This machine's proofs, made from this JVM ({@link KeyCheck#here()}). */
    public static ProvenKeys shared() {
        return SHARED;
    }

    @Override
    public void verify(String host, LoginCredential credential, Optional<String> caCertificatePem,
            Map<String, String> environment) throws IOException, InterruptedException {
        String key = key(host, credential, caCertificatePem, environment);
        Instant until = proven.get(key);
        if (until != null && clock.instant().isBefore(until)) {
            return;
        }
        check.verify(host, credential, caCertificatePem, environment);
        if (proven.size() >= KEPT) {
            proven.clear();
        }
        proven.put(key, clock.instant().plus(remembered));
    }

    private static String key(String host, LoginCredential credential, Optional<String> ca,
            Map<String, String> environment) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            // What the check's route depends on, not BUILD_NUMBER and the like.
            String proxies = EnvironmentProxy.variables(environment).toString();
            for (String part : new String[] {host, credential.username(), credential.secret(), ca.orElse(""),
                    proxies}) {
                sha.update(part.getBytes(StandardCharsets.UTF_8));
                sha.update((byte) 0);
            }
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
