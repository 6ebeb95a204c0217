package io.jenkins.plugins.icr.va;

import io.jenkins.plugins.icr.FrontEnd;
import io.jenkins.plugins.icr.Text;
import java.time.Duration;
import java.util.Objects;

/**
 * What each of Vulnerability Advisor's verdicts does to the build, and how long to wait for one.
 *
 * @param onFail the result when VA's status is {@code FAIL}
 * @param onWarn the result when it is {@code WARN}
 * @param onUnsupported the result when VA cannot scan the image's operating system ({@code UNSUPPORTED})
 * @param timeout how long to wait for a scan to finish; zero asks once
 */
public record GatePolicy(Outcome onFail, Outcome onWarn, Outcome onUnsupported, Duration timeout) {

    public static final Outcome DEFAULT_ON_FAIL = Outcome.FAILURE;
    public static final Outcome DEFAULT_ON_WARN = Outcome.UNSTABLE;
    /** An image nobody checked is not a passed image: unstable, so that it shows. */
    public static final Outcome DEFAULT_ON_UNSUPPORTED = Outcome.UNSTABLE;
    public static final int DEFAULT_TIMEOUT_MINUTES = 10;
    static final int MAX_TIMEOUT_MINUTES = 24 * 60;

    public GatePolicy {
        Objects.requireNonNull(onFail, "onFail");
        Objects.requireNonNull(onWarn, "onWarn");
        Objects.requireNonNull(onUnsupported, "onUnsupported");
        if (timeout.isNegative()) {
            throw new IllegalArgumentException("a negative timeout");
        }
    }

    /**
     * The options as a pipeline wrote them; {@code null} or blank takes the default.
     *
     * @throws IllegalArgumentException naming the option that is wrong and what it takes
     */
    public static GatePolicy of(String onFail, String onWarn, String onUnsupported, Integer timeoutMinutes) {
        int minutes = timeoutMinutes == null ? DEFAULT_TIMEOUT_MINUTES : timeoutMinutes;
        return of(FrontEnd.JENKINS, onFail, onWarn, onUnsupported, Duration.ofMinutes(minutes),
                String.valueOf(minutes));
    }

    /**
     * The options as icr-login's command line wrote them, with a timeout of any length up to a day.
     *
     * @param timeout {@code null} takes the default
     * @param written the timeout as the user wrote it, for the error message
     * @throws IllegalArgumentException naming the option that is wrong, in {@code frontEnd}'s words
     */
    public static GatePolicy of(FrontEnd frontEnd, String onFail, String onWarn, String onUnsupported,
            Duration timeout, String written) {
        Duration wait = timeout == null ? Duration.ofMinutes(DEFAULT_TIMEOUT_MINUTES) : timeout;
        if (wait.isNegative() || wait.compareTo(Duration.ofMinutes(MAX_TIMEOUT_MINUTES)) > 0) {
            throw new IllegalArgumentException(Text.get(frontEnd, "va.policy.badTimeout", written));
        }
        return new GatePolicy(outcome(frontEnd, "onFail", onFail, DEFAULT_ON_FAIL),
                outcome(frontEnd, "onWarn", onWarn, DEFAULT_ON_WARN),
                outcome(frontEnd, "onUnsupported", onUnsupported, DEFAULT_ON_UNSUPPORTED), wait);
    }

    private static Outcome outcome(FrontEnd frontEnd, String option, String value, Outcome fallback) {
        return value == null || value.isBlank() ? fallback : Outcome.parse(frontEnd, option, value);
    }

    /** The build result for a finished scan's status. */
    public Outcome outcome(VaStatus status) {
        return switch (status) {
            case OK -> Outcome.SUCCESS;
            case WARN -> onWarn;
            case UNSUPPORTED -> onUnsupported;
            case FAIL, INCOMPLETE, UNSCANNED -> onFail; // the gate never asks for a pending one; be strict if it did
        };
    }

    /** The option that decided a status's outcome, for the message that explains it. */
    static String option(VaStatus status) {
        return switch (status) {
            case WARN -> "onWarn";
            case UNSUPPORTED -> "onUnsupported";
            default -> "onFail";
        };
    }
}
