package io.jenkins.plugins.icr.http;

import java.io.IOException;
import java.net.ProxySelector;
import java.time.Duration;
import java.util.Objects;
import okhttp3.Credentials;
import okhttp3.OkHttpClient;

/**
 * How an engine client of the controller reaches its service: the proxy (with Basic credentials if it asks for
 * them), a CA to trust besides the JVM's, and timeouts. Immutable; {@link #toString()} never shows the password.
 *
 * @param proxy {@code null} for the JVM's proxies
 * @param proxyUser {@code null} when the proxy asks for no credentials
 * @param caPem {@code null} for the JVM's CAs only
 */
public record HttpSettings(ProxySelector proxy, String proxyUser, String proxyPassword, String caPem,
        Duration connectTimeout, Duration readTimeout) {

    public HttpSettings {
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(readTimeout, "readTimeout");
        caPem = caPem == null || caPem.isBlank() ? null : caPem;
    }

    /** The JVM's proxies and CAs, and the given timeouts. */
    public static HttpSettings timeouts(Duration connect, Duration read) {
        return new HttpSettings(null, null, null, null, connect, read);
    }

    public HttpSettings withProxy(ProxySelector selector, String user, String password) {
        return new HttpSettings(selector, user, password, caPem, connectTimeout, readTimeout);
    }

    /** Also trusting these PEM CA certificates: a server of your own, or a proxy that inspects TLS. */
    public HttpSettings trusting(String pem) {
        return new HttpSettings(proxy, proxyUser, proxyPassword, pem, connectTimeout, readTimeout);
    }

    /** A client like {@code base} (sharing its pool and dispatcher) with these settings. */
    public OkHttpClient apply(OkHttpClient base) throws IOException {
        OkHttpClient.Builder http = base.newBuilder().connectTimeout(connectTimeout).readTimeout(readTimeout);
        if (proxy != null) {
            http.proxySelector(proxy);
        }
        if (proxyUser != null) {
            http.proxyAuthenticator(ProxyAuthentication.basic(
                    Credentials.basic(proxyUser, proxyPassword == null ? "" : proxyPassword)));
        }
        OkHttpClient client = http.build();
        return caPem == null ? client : Tls.trusting(client, caPem);
    }

    @Override
    public String toString() {
        return "HTTP settings (proxy " + (proxy == null ? "of the JVM" : proxy) + (proxyUser == null ? ""
                : " as " + proxyUser) + (caPem == null ? "" : ", a CA of your own") + ", timeouts " + connectTimeout
                + "/" + readTimeout + ")";
    }
}
