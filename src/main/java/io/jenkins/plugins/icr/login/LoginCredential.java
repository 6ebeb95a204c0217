package io.jenkins.plugins.icr.login;

import io.jenkins.plugins.icr.FrontEnd;
import io.jenkins.plugins.icr.Text;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * What a session logs in with: {@code iamapikey} and an IBM Cloud API key, or {@code iambearer} and an IAM access
 * token. It never shows its secret: not in {@link #toString()}, not in an error.
 */
public final class LoginCredential {

    public static final String API_KEY_USER = "iamapikey";
    public static final String BEARER_USER = "iambearer";

    private final String username;
    private final String secret;
    private final List<String> warnings;

    private LoginCredential(String username, String secret, List<String> warnings) {
        this.username = username;
        this.secret = secret;
        this.warnings = List.copyOf(warnings);
    }

    /** An IBM Cloud API key, user or service ID. */
    public static LoginCredential apiKey(String key) {
        return of(API_KEY_USER, key);
    }

    /** An IBM Cloud API key, with errors in the words of {@code frontEnd}. */
    public static LoginCredential apiKey(String key, FrontEnd frontEnd) {
        return of(API_KEY_USER, key, frontEnd);
    }

    /** An IAM access token, which the registry accepts until it expires (an hour at most). */
    public static LoginCredential bearer(String accessToken) {
        return of(BEARER_USER, accessToken);
    }

    /**
     * A username and secret as a user stored them, for instance in a "Username with password" credential. Only the
     * usernames ICR accepts today are taken; {@code token} and UAA tokens were retired and get an explanation.
     */
    public static LoginCredential of(String username, String secret) {
        return of(username, secret, FrontEnd.JENKINS);
    }

    private static LoginCredential of(String username, String secret, FrontEnd frontEnd) {
        String user = username == null ? "" : username.strip();
        if (!user.equals(API_KEY_USER) && !user.equals(BEARER_USER)) {
            String lower = user.toLowerCase(Locale.ROOT);
            throw new IllegalArgumentException(lower.equals("token") || lower.equals("bearer")
                    ? Text.get("credential.retiredUsername", user)
                    : Text.get("credential.unknownUsername", user));
        }
        if (secret == null || secret.isBlank()) {
            throw new IllegalArgumentException(Text.get(frontEnd, user.equals(API_KEY_USER)
                    ? "credential.emptyKey" : "credential.emptyToken"));
        }
        List<String> warnings = new ArrayList<>();
        String trimmed = secret.strip();
        if (!trimmed.equals(secret)) {
            warnings.add(Text.get("credential.trimmed"));
        }
        if (trimmed.chars().anyMatch(Character::isWhitespace)) {
            throw new IllegalArgumentException(Text.get("credential.innerWhitespace"));
        }
        if (user.equals(API_KEY_USER) && looksLikeUaaToken(trimmed)) {
            throw new IllegalArgumentException(Text.get("credential.uaaToken"));
        }
        return new LoginCredential(user, trimmed, warnings);
    }

    /** UAA tokens were JWTs issued by Cloud Foundry's UAA; an API key is never a JWT. */
    private static boolean looksLikeUaaToken(String secret) {
        return secret.startsWith("eyJ") && secret.chars().filter(c -> c == '.').count() == 2;
    }

    public String username() {
        return username;
    }

    /** The secret itself: handed only to the auth file, a client's standard input, or the token request. */
    public String secret() {
        return secret;
    }

    /** What the user should hear about how the secret was stored (it had spaces around it, say). */
    public List<String> warnings() {
        return warnings;
    }

    /** The value of an auth file's {@code auth} field: as secret as the key itself. */
    public String basicAuth() {
        return Base64.getEncoder().encodeToString((username + ":" + secret).getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Every form in which the secret can reach a log: the secret, the base64 {@code user:secret} of auth files and
     * Basic headers, and their JSON-escaped forms.
     */
    public Set<String> secretsToMask() {
        Set<String> forms = new LinkedHashSet<>();
        for (String s : List.of(secret, basicAuth())) {
            forms.add(s);
            forms.add(Json.escape(s));
        }
        return forms;
    }

    /** The text with every form of the secret replaced by {@code ****}: for anything a client printed. */
    public String redact(String text) {
        String result = text;
        for (String form : secretsToMask()) {
            result = result.replace(form, "****");
        }
        return result;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LoginCredential c && username.equals(c.username) && secret.equals(c.secret);
    }

    @Override
    public int hashCode() {
        return Objects.hash(username, secret);
    }

    @Override
    public String toString() {
        return username + ":****";
    }
}
