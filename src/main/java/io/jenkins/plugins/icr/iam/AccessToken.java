package io.jenkins.plugins.icr.iam;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;

/**
 * An IAM access token and when it stops being worth using. It never shows the token in {@link #toString()}.
 *
 * <p>Serializable, so that a token made where its proof is (a trusted profile's token file on an agent) can be
 * carried to where its renewals are scheduled and its mask is made.
 *
 * <p>As IBM's SDKs do, a token is renewed after 80% of its life and treated as expired 10 seconds before its
 * {@code expiration}, so that a login made with it never races its expiry.
 */
public final class AccessToken implements Serializable {

    private static final long serialVersionUID = 1L;
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Duration EXPIRY_MARGIN = Duration.ofSeconds(10);

    private final String token;
    private final Instant obtained;
    private final Instant expiresAt;

    AccessToken(String token, Instant obtained, Instant expiresAt) {
        this.token = token;
        this.obtained = obtained;
        this.expiresAt = expiresAt;
    }

    /** The bearer token: for {@code iambearer} logins only. */
    public String token() {
        return token;
    }

    public Instant expiresAt() {
        return expiresAt;
    }

    /** Whether a new login should still use this token rather than ask IAM for another. */
    public boolean freshAt(Instant now) {
        return now.isBefore(renewAt());
    }

    /**
     * When to ask IAM for the next token: after 80% of this one's life, and 10 seconds before it expires at the
     * latest; but never before half its life, so that a token of a few seconds (a test IAM's) is not renewed at once.
     */
    public Instant renewAt() {
        long life = Duration.between(obtained, expiresAt).toMillis();
        Instant eighty = obtained.plusMillis(life * 8 / 10);
        Instant margin = expiresAt.minus(EXPIRY_MARGIN);
        Instant half = obtained.plusMillis(life / 2);
        Instant renew = eighty.isBefore(margin) ? eighty : margin;
        return renew.isBefore(half) ? half : renew;
    }

    /** Whose key gave this token, from the token's claims. */
    public Identity identity() {
        JsonNode claims = claims(token).orElse(MAPPER.createObjectNode());
        String iamId = text(claims, "iam_id").or(() -> text(claims, "id")).orElse("?");
        boolean serviceId = "ServiceId".equals(claims.path("sub_type").asText())
                || iamId.startsWith("iam-ServiceId-");
        Optional<String> email = text(claims, "email");
        Identity.Kind kind = serviceId ? Identity.Kind.SERVICE_ID
                : email.isPresent() || iamId.startsWith("IBMid-") ? Identity.Kind.USER : Identity.Kind.OTHER;
        return new Identity(kind, iamId, text(claims, "name"), email, text(claims.path("account"), "bss"),
                expiresAt);
    }

    private static Optional<JsonNode> claims(String jwt) {
        String[] parts = jwt.split("\\.");
        if (parts.length < 2) {
            return Optional.empty();
        }
        try {
            byte[] payload = Base64.getUrlDecoder().decode(parts[1]);
            return Optional.of(MAPPER.readTree(new String(payload, StandardCharsets.UTF_8)));
        } catch (IllegalArgumentException | IOException e) {
            return Optional.empty(); // Display only: a token we cannot read still works for a login.
        }
    }

    private static Optional<String> text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || !value.isValueNode() || value.asText().isEmpty()
                ? Optional.empty() : Optional.of(value.asText());
    }

    @Override
    public String toString() {
        return "IAM access token, expires " + expiresAt;
    }
}
