package io.jenkins.plugins.icr.http;

import io.jenkins.plugins.icr.Text;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import okhttp3.OkHttpClient;

/**
 * TLS trust for the engine's HTTPS calls: the JVM's CAs, plus a CA a user gives for a registry or IAM of their own.
 *
 * <p>The trust made for a CA is kept (a deliberate cache, bounded, thread-safe): building it reads every JVM CA,
 * and OkHttp reuses a kept-alive connection only for the same socket factory, so one factory per CA lets the
 * logins of many builds share connections instead of each paying a key store and a handshake.
 */
public final class Tls {

    private static final int KEPT = 16;
    private static final Map<String, Trust> TRUST = new ConcurrentHashMap<>();

    private record Trust(SSLSocketFactory factory, X509TrustManager manager) {}

    private Tls() {}

    /** A client like {@code base} that also trusts the PEM certificates given. */
    public static OkHttpClient trusting(OkHttpClient base, String caPem) throws IOException {
        Trust trust = TRUST.get(caPem);
        if (trust == null) {
            if (TRUST.size() >= KEPT) {
                TRUST.clear();
            }
            Trust made = trust(caPem);
            Trust raced = TRUST.putIfAbsent(caPem, made);
            trust = raced != null ? raced : made; // one factory per CA, so that connections are shared
        }
        return base.newBuilder().sslSocketFactory(trust.factory(), trust.manager()).build();
    }

    private static Trust trust(String caPem) throws IOException {
        X509TrustManager manager = trustManager(caPem);
        try {
            SSLContext tls = SSLContext.getInstance("TLS");
            tls.init(null, new TrustManager[] {manager}, null);
            return new Trust(tls.getSocketFactory(), manager);
        } catch (GeneralSecurityException e) {
            throw new IOException(Text.get("ca.invalid"), e);
        }
    }

    private static X509TrustManager trustManager(String pem) throws IOException {
        try {
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            int n = 0;
            for (var ca : x509(jvmTrust()).getAcceptedIssuers()) {
                store.setCertificateEntry("jvm-" + n++, ca);
            }
            var certificates = CertificateFactory.getInstance("X.509")
                    .generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
            if (certificates.isEmpty()) {
                throw new IOException(Text.get("ca.invalid"));
            }
            for (Certificate c : certificates) {
                store.setCertificateEntry("given-" + n++, c);
            }
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(store);
            return x509(factory);
        } catch (GeneralSecurityException e) {
            throw new IOException(Text.get("ca.invalid"), e);
        }
    }

    private static TrustManagerFactory jvmTrust() throws GeneralSecurityException {
        TrustManagerFactory jvm = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        jvm.init((KeyStore) null);
        return jvm;
    }

    private static X509TrustManager x509(TrustManagerFactory factory) throws GeneralSecurityException {
        for (TrustManager tm : factory.getTrustManagers()) {
            if (tm instanceof X509TrustManager x) {
                return x;
            }
        }
        throw new GeneralSecurityException("no X.509 trust manager");
    }
}
