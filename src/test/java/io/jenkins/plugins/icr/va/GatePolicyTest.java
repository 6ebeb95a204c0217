package io.jenkins.plugins.icr.va;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The options a pipeline gives, their defaults, and what each verdict does with them. */
class GatePolicyTest {

    @Test
    void defaultsFailOnFailAndFlagWarnAndUnsupported() {
        GatePolicy policy = GatePolicy.of(null, " ", "", null);
        assertEquals(Outcome.SUCCESS, policy.outcome(VaStatus.OK));
        assertEquals(Outcome.FAILURE, policy.outcome(VaStatus.FAIL));
        assertEquals(Outcome.UNSTABLE, policy.outcome(VaStatus.WARN));
        assertEquals(Outcome.UNSTABLE, policy.outcome(VaStatus.UNSUPPORTED));
        assertEquals(Duration.ofMinutes(10), policy.timeout());
    }

    @Test
    void eachVerdictFollowsItsOwnOptionInAnyCase() {
        GatePolicy policy = GatePolicy.of("unstable", "Failure", "SUCCESS", 0);
        assertEquals(Outcome.UNSTABLE, policy.outcome(VaStatus.FAIL));
        assertEquals(Outcome.FAILURE, policy.outcome(VaStatus.WARN));
        assertEquals(Outcome.SUCCESS, policy.outcome(VaStatus.UNSUPPORTED));
        assertEquals(Outcome.SUCCESS, policy.outcome(VaStatus.OK), "no option makes OK fail");
        assertEquals(Duration.ZERO, policy.timeout());
        assertEquals("onUnsupported", GatePolicy.option(VaStatus.UNSUPPORTED));
    }

    @Test
    void aWrongValueNamesTheOptionAndTheChoices() {
        IllegalArgumentException outcome = assertThrows(IllegalArgumentException.class,
                () -> GatePolicy.of(null, "ABORTED", null, null));
        assertEquals("'ABORTED' is not a build result for onWarn: choose FAILURE, UNSTABLE or SUCCESS.",
                outcome.getMessage());
        IllegalArgumentException timeout = assertThrows(IllegalArgumentException.class,
                () -> GatePolicy.of(null, null, null, -1));
        assertEquals("timeout: -1 is not a number of minutes from 0 to 1440.", timeout.getMessage());
    }
}
