package io.jenkins.plugins.icr.testbed;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.util.Base64;
import java.util.Map;

/** Signs RS256 JSON Web Tokens, as the registry's token service and IBM Cloud IAM issue them. */
final class Jwt {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Base64.Encoder URL = Base64.getUrlEncoder().withoutPadding();

    private Jwt() {}

    static String sign(Map<String, ?> header, Map<String, ?> claims, PrivateKey key)
            throws IOException, GeneralSecurityException {
        String signingInput = URL.encodeToString(JSON.writeValueAsBytes(header)) + "."
                + URL.encodeToString(JSON.writeValueAsBytes(claims));
        Signature rsa = Signature.getInstance("SHA256withRSA");
        rsa.initSign(key);
        rsa.update(signingInput.getBytes(StandardCharsets.US_ASCII));
        return signingInput + "." + URL.encodeToString(rsa.sign());
    }

    /**
     * The claims of an RS256 token whose signature {@code key} verifies.
     *
     * @throws GeneralSecurityException when it is not RS256 or the signature does not verify
     */
    @SuppressWarnings("unchecked")
    static Map<String, Object> verified(String token, java.security.PublicKey key)
            throws IOException, GeneralSecurityException {
        String[] parts = token.split("\\.");
        if (parts.length != 3) {
            throw new IOException("not a JSON Web Token");
        }
        Map<String, Object> header = JSON.readValue(Base64.getUrlDecoder().decode(parts[0]), Map.class);
        if (!"RS256".equals(header.get("alg"))) {
            throw new GeneralSecurityException("not RS256: " + header.get("alg"));
        }
        Signature rsa = Signature.getInstance("SHA256withRSA");
        rsa.initVerify(key);
        rsa.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
        if (!rsa.verify(Base64.getUrlDecoder().decode(parts[2]))) {
            throw new GeneralSecurityException("the signature does not verify");
        }
        return claims(token);
    }

    /** The claims of a token, read without checking its signature. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> claims(String token) throws IOException {
        String[] parts = token.split("\\.");
        if (parts.length != 3) {
            throw new IOException("not a JSON Web Token");
        }
        return JSON.readValue(Base64.getUrlDecoder().decode(parts[1]), Map.class);
    }
}
