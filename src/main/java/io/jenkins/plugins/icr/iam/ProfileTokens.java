package io.jenkins.plugins.icr.iam;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jenkins.plugins.icr.FrontEnd;
import io.jenkins.plugins.icr.Text;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * IAM access tokens of a {@link TrustedProfile}, for {@code iambearer} logins and their renewals. Each call of
 * {@link #after} reads the compute resource token anew (the kubelet rotates a projected token in its file; the
 * metadata service makes a new instance identity token), so a login that renews itself never sends a token that
 * was rotated away. Nothing of the compute resource token is kept: not here, not in the cache's keys (digests).
 *
 * <p>{@link #after} has the shape of {@code LoginRenewal.Tokens}: {@code profileTokens::after} is what a renewal
 * asks. Thread-safe and immutable; build one with {@link #builder}.
 */
public final class ProfileTokens {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final TrustedProfile profile;
    private final IamClient iam;
    private final VpcMetadataClient metadata;
    private final TokenCache cache;
    private final Clock clock;
    private final FrontEnd frontEnd;

    private ProfileTokens(Builder b, IamClient iam, VpcMetadataClient metadata) {
        this.profile = b.profile;
        this.iam = iam;
        this.metadata = metadata;
        this.cache = b.cache;
        this.clock = b.clock;
        this.frontEnd = b.frontEnd;
    }

    /**
     * @param profile what to log in as
     */
    public static Builder builder(TrustedProfile profile) {
        return new Builder(profile);
    }

    public TrustedProfile profile() {
        return profile;
    }

    /** A token for a first login. */
    public AccessToken token() throws IamException, InterruptedException {
        return after(null);
    }

    /**
     * A token that outlives {@code old} (null: any fresh one), made from the compute resource token as it is now.
     * With a {@link TokenCache}, the logins of one profile with one compute resource token share one IAM call.
     */
    public AccessToken after(AccessToken old) throws IamException, InterruptedException {
        if (metadata != null) {
            VpcMetadataClient vpc = metadata;
            if (cache == null) {
                return vpc.iamToken();
            }
            return cache.token(TokenCache.key("vpc", profile.profile(), vpc.url()),
                    vpc::iamToken, old);
        }
        TrustedProfile.TokenFile file = (TrustedProfile.TokenFile) profile.source();
        CrToken crToken = read(file);
        IamAnswer.Refusal refusal = (endpoint, status, code, what) -> code.filter("BXNIM0407E"::equals).isPresent()
                ? new IamAnswer.Said(IamException.Reason.TOKEN_REFUSED,
                        Text.get(frontEnd, "profile.tokenRefused", endpoint, crToken.path(), what))
                : new IamAnswer.Said(IamException.Reason.PROFILE_NOT_TRUSTED,
                        Text.get(frontEnd, "profile.notTrusted", endpoint, profile.profile(), crToken.subject(), what));
        TokenCache.Exchange exchange = () -> iam.exchangeCrToken(crToken.token(), profile.profile(), refusal);
        if (cache == null) {
            return exchange.get();
        }
        return cache.token(TokenCache.key(iam.endpoint(), crToken.token(), "cr-token", profile.profile()), exchange,
                old);
    }

    /** A compute resource token as read, where from, and whom it names (for messages: its claims are not checked). */
    private record CrToken(String token, Path path, String subject) {
        @Override
        public String toString() {
            return "compute resource token from " + path;
        }
    }

    private CrToken read(TrustedProfile.TokenFile file) throws IamException {
        List<String> candidates = file.candidates();
        for (String candidate : candidates) {
            Path path = Path.of(candidate);
            String text;
            try {
                text = Files.readString(path, StandardCharsets.UTF_8).strip();
            } catch (NoSuchFileException e) {
                continue; // the SDKs' second default is tried when the first is missing
            } catch (AccessDeniedException e) {
                throw failure(IamException.Reason.UNREADABLE_TOKEN, "profile.unreadableTokenFile", path,
                        Text.get(frontEnd, "cli.accessDenied"));
            } catch (IOException e) {
                throw failure(IamException.Reason.UNREADABLE_TOKEN, "profile.unreadableTokenFile", path,
                        String.valueOf(e.getMessage()));
            }
            Optional<JsonNode> claims = claims(text);
            if (claims.isEmpty()) {
                throw failure(IamException.Reason.UNREADABLE_TOKEN, "profile.notAToken", path);
            }
            JsonNode exp = claims.get().path("exp");
            if (exp.canConvertToLong() && !Instant.ofEpochSecond(exp.asLong()).isAfter(clock.instant())) {
                // IAM would refuse it too, but only with its code: said here, the fix can be named.
                throw failure(IamException.Reason.EXPIRED_TOKEN, "profile.expiredToken", path,
                        Instant.ofEpochSecond(exp.asLong()).toString());
            }
            return new CrToken(text, path, subject(claims.get()));
        }
        throw failure(IamException.Reason.NO_TOKEN_FILE, "profile.noTokenFile", String.join(" or ", candidates),
                profile.profile());
    }

    /** "service account NAME in namespace NS (issuer ISS)", from the claims Kubernetes puts in a projected token. */
    private static String subject(JsonNode claims) {
        JsonNode kubernetes = claims.path("kubernetes.io");
        String namespace = kubernetes.path("namespace").asText("");
        String account = kubernetes.path("serviceaccount").path("name").asText("");
        String sub = claims.path("sub").asText("");
        if ((namespace.isEmpty() || account.isEmpty()) && sub.startsWith("system:serviceaccount:")) {
            String[] parts = sub.split(":");
            if (parts.length == 4) {
                namespace = parts[2];
                account = parts[3];
            }
        }
        return Text.get("profile.subject", account.isEmpty() ? "?" : account, namespace.isEmpty() ? "?" : namespace,
                claims.path("iss").asText("?"));
    }

    private static Optional<JsonNode> claims(String jwt) {
        String[] parts = jwt.split("\\.");
        if (parts.length != 3) {
            return Optional.empty();
        }
        try {
            JsonNode claims = MAPPER.readTree(Base64.getUrlDecoder().decode(parts[1]));
            return claims != null && claims.isObject() ? Optional.of(claims) : Optional.empty();
        } catch (IllegalArgumentException | IOException e) {
            return Optional.empty();
        }
    }

    private IamException failure(IamException.Reason reason, String key, Object... args) {
        return new IamException(reason, Text.get(frontEnd, key, args), null, null);
    }

    @Override
    public String toString() {
        return "IAM tokens of " + profile;
    }

    /** How {@link ProfileTokens} are made: the IAM client, the endpoints allowed, a cache, the front end. */
    public static final class Builder {

        private final TrustedProfile profile;
        private IamClient.Builder iam = IamClient.builder();
        private IamEndpoints allowed = IamEndpoints.ibm();
        private TokenCache cache;
        private Clock clock = Clock.systemUTC();
        private FrontEnd frontEnd = FrontEnd.JENKINS;

        private Builder(TrustedProfile profile) {
            this.profile = profile;
        }

        /**
         * The IAM client's network settings (proxy, CA, timeouts, retry); its endpoint is the profile's, whatever
         * this builder says. Unused for the VPC metadata service, which is reached directly, never through a proxy.
         */
        public Builder iam(IamClient.Builder iam) {
            this.iam = iam;
            return this;
        }

        /** The IAM endpoints the compute resource token may be sent to, as for an API key: IBM's by default. */
        public Builder allowed(IamEndpoints allowed) {
            this.allowed = allowed;
            return this;
        }

        /** Share IAM's answers with every other login of this JVM (a Jenkins controller's or agent's). */
        public Builder cache(TokenCache cache) {
            this.cache = cache;
            return this;
        }

        Builder clock(Clock clock) {
            this.clock = clock;
            return this;
        }

        public Builder frontEnd(FrontEnd frontEnd) {
            this.frontEnd = frontEnd;
            return this;
        }

        /**
         * @throws IamException when the profile's IAM endpoint is not allowed: nothing was read or sent
         * @throws IllegalArgumentException when the IAM endpoint or the metadata URL is no such thing, or a VPC
         *     profile is named by name (the metadata service takes an ID or a CRN)
         */
        public ProfileTokens build() throws IOException {
            if (profile.source() instanceof TrustedProfile.VpcMetadata vpc) {
                return new ProfileTokens(this, null, VpcMetadataClient.create(vpc.url(), profile.profile(), clock,
                        frontEnd));
            }
            String endpoint = IamEndpoints.canonical(profile.iamEndpoint(), frontEnd);
            if (!allowed.allows(endpoint)) {
                // Checked before the token file is even read: a token's way to IAM is decided as an API key's.
                throw new IamException(IamException.Reason.ENDPOINT_NOT_ALLOWED,
                        Text.get(frontEnd, "profile.endpointNotAllowed", endpoint), null, null);
            }
            return new ProfileTokens(this, iam.endpoint(endpoint).frontEnd(frontEnd).clock(clock).build(), null);
        }
    }
}
