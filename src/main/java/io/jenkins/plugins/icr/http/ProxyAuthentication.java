package io.jenkins.plugins.icr.http;

import okhttp3.Authenticator;

/** Answers a proxy's 407 with Basic credentials, once: a proxy that refuses them again gets no second try. */
public final class ProxyAuthentication {

    private ProxyAuthentication() {}

    /** @param basic the {@code Proxy-Authorization} value, as {@code okhttp3.Credentials.basic} makes it */
    public static Authenticator basic(String basic) {
        return (route, response) -> response.request().header("Proxy-Authorization") != null ? null
                : response.request().newBuilder().header("Proxy-Authorization", basic).build();
    }
}
