package io.jenkins.plugins.icr.testbed;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Lets the testbed count and compare secrets without holding them in its records, and notes every secret the
 * suite uses in a ledger ({@code -Dicr.secrets.ledger=FILE}) so that {@link SecretsInOutput} can prove afterwards
 * that none of them reached any output of the suite.
 */
public final class Secrets {

    private static final String LEDGER = System.getProperty("icr.secrets.ledger", "");

    private Secrets() {}

    static String fingerprint(String secret) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Notes a secret a test uses; returns it, for {@code static final String KEY = Secrets.used("...")}. */
    public static synchronized String used(String secret) {
        if (!LEDGER.isEmpty()) {
            try {
                Files.writeString(Path.of(LEDGER), secret + "\n", StandardCharsets.UTF_8,
                        StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return secret;
    }
}
