package io.jenkins.plugins.icr.iam;

import io.jenkins.plugins.icr.FrontEnd;
import io.jenkins.plugins.icr.Text;
import java.io.Serializable;
import java.util.List;
import java.util.Optional;

/**
 * An IBM Cloud IAM trusted profile and where the compute resource's proof of identity comes from: a Kubernetes
 * service account token in a file (IBM's SDKs call this the container authenticator), or the VPC instance metadata
 * service. It holds no secret: only names, a path and URLs, so that a front end may store and send it freely.
 * Immutable; {@link ProfileTokens} turns it into IAM access tokens.
 *
 * @param profile the profile's ID ({@code Profile-...}), its name, or (VPC only) its CRN
 * @param source where the compute resource token comes from
 * @param iamEndpoint the IAM the token file's grant goes to, in any form {@link IamEndpoints#canonical} takes;
 *     the VPC flow asks the metadata service instead
 */
public record TrustedProfile(String profile, Source source, String iamEndpoint) implements Serializable {

    private static final long serialVersionUID = 1L;

    /**
     * Where IBM's SDKs look for the token when no file is named: the first that exists. A projected service
     * account token is mounted under {@code /var/run/secrets/tokens} by the pod's own volume.
     */
    public static final List<String> DEFAULT_TOKEN_FILES =
            List.of("/var/run/secrets/tokens/vault-token", "/var/run/secrets/tokens/sa-token");

    /** Where the compute resource token comes from. */
    public sealed interface Source extends Serializable permits TokenFile, VpcMetadata {}

    /**
     * A file the kubelet keeps a projected service account token in, read anew at every exchange because the
     * kubelet rotates it.
     *
     * @param path the file, or {@code null} for {@link #DEFAULT_TOKEN_FILES}
     */
    public record TokenFile(String path) implements Source {

        private static final long serialVersionUID = 1L;

        public TokenFile {
            path = path == null || path.isBlank() ? null : path.strip();
        }

        /** The SDKs' default files. */
        public static TokenFile defaults() {
            return new TokenFile(null);
        }

        public Optional<String> file() {
            return Optional.ofNullable(path);
        }

        /** The files to try, in order. */
        public List<String> candidates() {
            return path == null ? DEFAULT_TOKEN_FILES : List.of(path);
        }
    }

    /**
     * The VPC instance metadata service of the virtual server the login runs on.
     *
     * @param url its base URL; {@code null} for {@link VpcMetadata#DEFAULT_URL}
     */
    public record VpcMetadata(String url) implements Source {

        private static final long serialVersionUID = 1L;

        /** The metadata service's link-local address, as IBM's SDKs default to it. */
        public static final String DEFAULT_URL = "http://169.254.169.254";

        public VpcMetadata {
            url = url == null || url.isBlank() ? DEFAULT_URL : url.strip();
        }
    }

    /**
     * @throws IllegalArgumentException when no profile is named, in the words of {@link FrontEnd#JENKINS}; use
     *     {@link #of} for another front end's
     */
    public TrustedProfile {
        profile = profile == null ? "" : profile.strip();
        if (profile.isEmpty()) {
            throw new IllegalArgumentException(Text.get("profile.empty"));
        }
        if (source == null) {
            source = TokenFile.defaults();
        }
        iamEndpoint = iamEndpoint == null || iamEndpoint.isBlank() ? IamClient.PUBLIC_ENDPOINT : iamEndpoint.strip();
    }

    /** A trusted profile, refused in the words of {@code frontEnd} when no profile is named. */
    public static TrustedProfile of(String profile, Source source, String iamEndpoint, FrontEnd frontEnd) {
        if (profile == null || profile.isBlank()) {
            throw new IllegalArgumentException(Text.get(frontEnd, "profile.empty"));
        }
        return new TrustedProfile(profile, source, iamEndpoint);
    }

    /** Whether IAM is given the profile as {@code profile_id}: IAM's profile IDs are {@code Profile-} and a UUID. */
    public static boolean isId(String profile) {
        return profile.startsWith("Profile-");
    }

    /** Whether it is a CRN, which only the VPC metadata service takes. */
    static boolean isCrn(String profile) {
        return profile.startsWith("crn:");
    }

    @Override
    public String toString() {
        return "trusted profile " + profile + " (" + source + ")";
    }
}
