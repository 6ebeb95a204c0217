package io.jenkins.plugins.icr.va;

import java.util.Locale;
import java.util.Optional;

/**
 * Vulnerability Advisor's overall status of an image, as its v4 API names it ({@code status} of {@code
 * ScanreportSummary} and {@code ScanReport} in IBM's SDK).
 */
public enum VaStatus {
    OK,
    WARN,
    FAIL,
    /** No operating system VA can scan was found in the image: nothing was checked. */
    UNSUPPORTED,
    /** The scan has not finished. */
    INCOMPLETE,
    /** The image has not been scanned yet. */
    UNSCANNED;

    /** Whether VA may still change its mind: the gate waits while it is. */
    public boolean pending() {
        return this == INCOMPLETE || this == UNSCANNED;
    }

    static Optional<VaStatus> of(String status) {
        if (status == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(valueOf(status.strip().toUpperCase(Locale.ROOT)));
        } catch (IllegalArgumentException unknown) {
            return Optional.empty();
        }
    }
}
