package io.jenkins.plugins.icr.va;

import io.jenkins.plugins.icr.FrontEnd;
import io.jenkins.plugins.icr.Text;
import java.util.Locale;

/** What a verdict does to the build, named as Jenkins names build results. */
public enum Outcome {
    SUCCESS,
    UNSTABLE,
    FAILURE;

    /**
     * A result as Jenkins names it, or as icr-login does ({@code fail}, {@code warn}, {@code pass}: a CI job has no
     * "unstable"), in any case.
     *
     * @param option the option's name as the step has it ({@code onFail}), for the error message
     */
    static Outcome parse(FrontEnd frontEnd, String option, String value) {
        String word = value.strip().toUpperCase(Locale.ROOT);
        switch (word) {
            case "FAIL" -> {
                return FAILURE;
            }
            case "WARN" -> {
                return UNSTABLE;
            }
            case "PASS" -> {
                return SUCCESS;
            }
            default -> {
                try {
                    return valueOf(word);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(Text.get(frontEnd, "va.policy.badOutcome",
                            Text.option(frontEnd, option), value.strip()), e);
                }
            }
        }
    }
}
