package io.jenkins.plugins.icr.testbed;

import io.jenkins.plugins.icr.agent.Command;
import io.jenkins.plugins.icr.agent.CommandResult;
import io.jenkins.plugins.icr.agent.LocalCommands;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * The testbed's certificates, made with the real {@code openssl} in a folder of the test's own: a CA, a server
 * certificate for {@code 127.0.0.1} and {@code localhost} signed by it, and a self-signed certificate whose key
 * signs the registry's tokens (the registry trusts that one certificate only).
 */
public final class TestPki {

    private final Path dir;

    private TestPki(Path dir) {
        this.dir = dir;
    }

    /**
     * A name the testbed's certificate holds but no resolver knows: only {@link TunnelProxy} maps it to loopback, so
     * a client reaches the registry by this name only through the proxy (clients never proxy loopback addresses).
     */
    public static final String PROXIED_NAME = "registry.icr.test";

    public static TestPki create(Path dir) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("server.ext"), String.join("\n",
                "basicConstraints=CA:FALSE",
                "keyUsage=critical,digitalSignature,keyEncipherment",
                "extendedKeyUsage=serverAuth",
                "subjectAltName=IP:127.0.0.1,DNS:localhost,DNS:" + PROXIED_NAME, ""));
        openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=ICR testbed CA",
                "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign",
                "-keyout", dir.resolve("ca.key").toString(), "-out", dir.resolve("ca.crt").toString());
        openssl("req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=localhost",
                "-keyout", dir.resolve("server.key").toString(), "-out", dir.resolve("server.csr").toString());
        openssl("x509", "-req", "-days", "2", "-in", dir.resolve("server.csr").toString(),
                "-CA", dir.resolve("ca.crt").toString(), "-CAkey", dir.resolve("ca.key").toString(),
                "-CAcreateserial", "-extfile", dir.resolve("server.ext").toString(),
                "-out", dir.resolve("server.crt").toString());
        openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=ICR testbed token signer",
                "-keyout", dir.resolve("token.key").toString(), "-out", dir.resolve("token.crt").toString());
        return new TestPki(dir);
    }

    private static void openssl(String... args) throws IOException, InterruptedException {
        List<String> argv = new java.util.ArrayList<>(List.of("openssl"));
        argv.addAll(List.of(args));
        CommandResult result = new LocalCommands().run(Command.of(argv, Map.of()));
        if (!result.succeeded()) {
            throw new IOException("openssl " + args[0] + " failed: " + result.output());
        }
    }

    public Path caCertificate() {
        return dir.resolve("ca.crt");
    }

    public String caPem() throws IOException {
        return Files.readString(caCertificate());
    }

    public Path serverCertificate() {
        return dir.resolve("server.crt");
    }

    public Path serverKey() {
        return dir.resolve("server.key");
    }

    public Path tokenCertificate() {
        return dir.resolve("token.crt");
    }

    public PrivateKey tokenKey() throws IOException, GeneralSecurityException {
        return privateKey(dir.resolve("token.key"));
    }

    public X509Certificate tokenCertificateX509() throws IOException, GeneralSecurityException {
        return certificate(tokenCertificate());
    }

    /** A key the registry does not trust, chained to the CA: tokens it signs must be refused. */
    public PrivateKey untrustedKey() throws IOException, GeneralSecurityException {
        return privateKey(serverKey());
    }

    public X509Certificate untrustedCertificate() throws IOException, GeneralSecurityException {
        return certificate(serverCertificate());
    }

    /** The TLS context of the testbed's own HTTPS servers. */
    public SSLContext serverContext() throws IOException, GeneralSecurityException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        char[] password = "testbed".toCharArray();
        store.setKeyEntry("server", privateKey(serverKey()), password,
                new Certificate[] {certificate(serverCertificate()), certificate(caCertificate())});
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(store, password);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keys.getKeyManagers(), null, null);
        return context;
    }

    /** A TLS context that trusts the testbed's CA and nothing else. */
    public SSLContext clientContext() throws IOException, GeneralSecurityException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setCertificateEntry("ca", certificate(caCertificate()));
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(store);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        return context;
    }

    private static X509Certificate certificate(Path pem) throws IOException, GeneralSecurityException {
        return (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(Files.readAllBytes(pem)));
    }

    private static PrivateKey privateKey(Path pem) throws IOException, GeneralSecurityException {
        String base64 = Files.readString(pem, StandardCharsets.US_ASCII)
                .replaceAll("-----[A-Z ]+-----", "")
                .replaceAll("\\s", "");
        return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64)));
    }
}
