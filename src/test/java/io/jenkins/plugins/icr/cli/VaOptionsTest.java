package io.jenkins.plugins.icr.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.icr.va.Outcome;
import io.jenkins.plugins.icr.va.VaStatus;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** {@code icr-login va}'s command line: the image anywhere among the options, times as CI files write them. */
class VaOptionsTest {

    private static VaOptions parse(String... args) {
        return VaOptions.parse(List.of(args));
    }

    @Test
    void theImageMayComeBeforeOrAfterTheOptionsAndTheSharedOptionsAreALogins() {
        VaOptions options = parse("--on-warn=fail", "us.icr.io/ns/app:1", "--key-file", "/run/key", "--private",
                "--json");
        assertEquals("us.icr.io/ns/app:1", options.image());
        assertEquals(Outcome.FAILURE, options.policy().outcome(VaStatus.WARN));
        assertEquals(Outcome.FAILURE, options.policy().outcome(VaStatus.FAIL), "the default");
        assertEquals(Outcome.UNSTABLE, options.policy().outcome(VaStatus.UNSUPPORTED), "the default");
        assertEquals(Optional.of(Path.of("/run/key")), options.keyFile());
        assertTrue(options.privateEndpoint() && options.json());
        assertEquals(Options.DEFAULT_KEY_ENV, options.keyEnv());
    }

    @Test
    void timesAreSecondsMinutesOrHoursAndABareNumberIsMinutes() {
        assertEquals(Duration.ofSeconds(90), parse("i.icr.io/n/a:1", "--timeout", "90s").policy().timeout());
        assertEquals(Duration.ofMinutes(15), parse("i.icr.io/n/a:1", "--timeout", "15").policy().timeout());
        assertEquals(Duration.ofHours(2), parse("i.icr.io/n/a:1", "--timeout", "2H").policy().timeout());
        assertEquals(Duration.ZERO, parse("i.icr.io/n/a:1", "--timeout=0").policy().timeout());
        assertEquals(Duration.ofMinutes(10), parse("i.icr.io/n/a:1").policy().timeout(), "the step's default");
        for (String wrong : List.of("25h", "1441", "-1", "10 min", "1.5h", "soon")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> parse("i.icr.io/n/a:1", "--timeout", wrong), wrong);
            assertEquals("--timeout: " + wrong + " is not a time from 0 to 24h, such as 90s, 10m or 1h.",
                    e.getMessage());
        }
    }

    @Test
    void aKeyOnTheCommandLineIsRefusedHereToo() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> parse("us.icr.io/ns/app:1", "--apikey=secret"));
        assertTrue(e.getMessage().startsWith("--apikey is not accepted"), e.getMessage());
    }
}
