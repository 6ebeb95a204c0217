package io.jenkins.plugins.icr.region;

/** The region a user gave names no ICR registry; the message lists the valid ones and the closest match. */
public class UnknownRegionException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    public UnknownRegionException(String message) {
        super(message);
    }
}
