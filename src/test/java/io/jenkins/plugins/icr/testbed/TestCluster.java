package io.jenkins.plugins.icr.testbed;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A Kubernetes cluster of IBM Cloud Kubernetes Service, as far as IAM sees one: a service account issuer with a
 * signing key of its own, whose projected service account tokens carry the claims the kubelet puts in them. IAM
 * (the {@link IamEmulator}) trusts the clusters it is told of and checks each token's signature, expiry and audience.
 */
public final class TestCluster {

    /** The audience the projected volume asks for, and IAM accepts. */
    public static final String IAM_AUDIENCE = "iam";

    private final String id;
    private final String issuer;
    private final KeyPair key;

    private TestCluster(String id, KeyPair key) {
        this.id = id;
        this.issuer = "https://kubernetes.default.svc/" + id; // each cluster its own issuer, as IKS has
        this.key = key;
    }

    /** A new cluster with a new 2048-bit RSA signing key. */
    public static TestCluster create() throws GeneralSecurityException {
        KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
        rsa.initialize(2048);
        return new TestCluster("c" + UUID.randomUUID().toString().replace("-", "").substring(0, 19), rsa.generateKeyPair());
    }

    /** The cluster's ID, as a trusted profile's link names it. */
    public String id() {
        return id;
    }

    public String issuer() {
        return issuer;
    }

    PublicKey publicKey() {
        return key.getPublic();
    }

    /** A projected token for IAM, valid for {@code lifetime} from now; noted in the secrets' ledger. */
    public String serviceAccountToken(String namespace, String serviceAccount, Duration lifetime)
            throws IOException, GeneralSecurityException {
        return serviceAccountToken(namespace, serviceAccount, IAM_AUDIENCE, Instant.now().plus(lifetime), key.getPrivate());
    }

    /** A token of this cluster with any audience and expiry: for the tests of what IAM refuses. */
    public String serviceAccountToken(String namespace, String serviceAccount, String audience, Instant expires)
            throws IOException, GeneralSecurityException {
        return serviceAccountToken(namespace, serviceAccount, audience, expires, key.getPrivate());
    }

    /** A token with any audience and expiry, signed by any key: for the tests of what IAM refuses. */
    public String serviceAccountToken(String namespace, String serviceAccount, String audience, Instant expires,
            PrivateKey signer) throws IOException, GeneralSecurityException {
        long now = Instant.now().getEpochSecond();
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("aud", List.of(audience));
        claims.put("exp", expires.getEpochSecond());
        claims.put("iat", now);
        claims.put("nbf", now);
        claims.put("iss", issuer);
        claims.put("jti", UUID.randomUUID().toString());
        claims.put("kubernetes.io", Map.of("namespace", namespace,
                "pod", Map.of("name", "agent-" + UUID.randomUUID().toString().substring(0, 8), "uid", UUID.randomUUID().toString()),
                "serviceaccount", Map.of("name", serviceAccount, "uid", UUID.randomUUID().toString())));
        claims.put("sub", "system:serviceaccount:" + namespace + ":" + serviceAccount);
        return Secrets.used(Jwt.sign(Map.of("alg", "RS256", "kid", id), claims, signer));
    }
}
