package io.jenkins.plugins.icr.va;

import io.jenkins.plugins.icr.Text;
import java.util.Locale;

/** What a verdict does to the build, named as Jenkins names build results. */
public enum Outcome {
    SUCCESS,
    UNSTABLE,
    FAILURE;

    /** @param option the option's name, for the error message */
    static Outcome parse(String option, String value) {
        try {
            return valueOf(value.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(Text.get("va.policy.badOutcome", option, value.strip()), e);
        }
    }
}
