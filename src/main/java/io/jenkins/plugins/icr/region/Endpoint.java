package io.jenkins.plugins.icr.region;

/** Which of a region's registry hosts to use. */
public enum Endpoint {
    /** The host on the public internet, {@code us.icr.io}. */
    PUBLIC,
    /** The host reached over IBM Cloud's private network, {@code private.us.icr.io}; the account needs VRF. */
    PRIVATE
}
