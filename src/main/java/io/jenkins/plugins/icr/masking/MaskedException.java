package io.jenkins.plugins.icr.masking;

import java.util.regex.Pattern;

/**
 * An error whose text held a secret, retold without it: same class name, message masked, same stack, and its
 * causes and suppressed errors retold the same way. An error that held no secret is returned as it is.
 */
public final class MaskedException extends Exception {

    private static final long serialVersionUID = 1L;

    private final String originalClass;

    private MaskedException(String originalClass, String maskedMessage) {
        super(maskedMessage);
        this.originalClass = originalClass;
    }

    public static Throwable of(Throwable failure, Pattern secrets) {
        return leaks(failure, secrets) ? mask(failure, secrets) : failure;
    }

    private static boolean leaks(Throwable t, Pattern secrets) {
        for (Throwable e = t; e != null; e = e.getCause()) {
            if (e.getMessage() != null && secrets.matcher(e.getMessage()).find()) {
                return true;
            }
            for (Throwable s : e.getSuppressed()) {
                if (leaks(s, secrets)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static MaskedException mask(Throwable t, Pattern secrets) {
        String message = t.getMessage() == null ? null : secrets.matcher(t.getMessage()).replaceAll("****");
        MaskedException masked = new MaskedException(t.getClass().getName(), message);
        masked.setStackTrace(t.getStackTrace());
        if (t.getCause() != null) {
            masked.initCause(mask(t.getCause(), secrets));
        }
        for (Throwable s : t.getSuppressed()) {
            masked.addSuppressed(mask(s, secrets));
        }
        return masked;
    }

    @Override
    public String toString() {
        String message = getLocalizedMessage();
        return message == null ? originalClass : originalClass + ": " + message;
    }
}
