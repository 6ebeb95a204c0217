package io.jenkins.plugins.icr.testbed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The end-of-suite check finds a secret in any of its forms, and passes clean output. */
class SecretsInOutputTest {

    @Test
    void findsEachFormAndNamesItWithoutTheSecret(@TempDir Path dir) throws Exception {
        String secret = "k3y-" + System.nanoTime();
        Path clean = Files.writeString(dir.resolve("clean.txt"), "Logged in to us.icr.io as iamapikey.");
        Path base64 = Files.writeString(dir.resolve("b.xml"),
                "auth: " + SecretsInOutput.forms(secret).get("base64 iamapikey:secret"));
        Path raw = Files.writeString(dir.resolve("r.txt"), "-p " + secret);
        List<String> hits = SecretsInOutput.search(Set.of(secret), List.of(clean, base64, raw));
        assertEquals(List.of(base64 + ": base64 iamapikey:secret of secret #1", raw + ": the secret of secret #1"), hits);

        Path ledger = Files.writeString(Files.createTempFile("ledger", ".txt"), secret + "\n");
        try {
            assertThrows(AssertionError.class, () -> SecretsInOutput.main(new String[] {ledger.toString(), dir.toString()}));
            Files.delete(base64);
            Files.delete(raw);
            SecretsInOutput.main(new String[] {ledger.toString(), dir.toString()});
        } finally {
            Files.delete(ledger);
        }
    }
}
