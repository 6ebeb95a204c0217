package io.jenkins.plugins.icr.iam;

import io.jenkins.plugins.icr.FrontEnd;
import io.jenkins.plugins.icr.Text;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;
import okhttp3.HttpUrl;

/**
 * The IAM endpoints a stored API key may be sent to: IBM Cloud's own, as IBM documents them, and those an
 * administrator allowed besides (a private IAM gateway, a test IAM). Anyone who may edit a credential but not read
 * its key could otherwise point it at a server of theirs and have the key delivered there.
 *
 * <p>Endpoints are compared in one canonical form ({@link #canonical}): scheme, host in lower case, a port only when
 * it is not the scheme's default, and a path without a trailing slash or the {@code /identity/token} some users
 * paste. Immutable.
 */
public final class IamEndpoints {

    /**
     * IBM Cloud's IAM: the public endpoint, the private one (VPC, and classic with VRF), the regional private
     * endpoints of classic infrastructure (IAM Identity Services API reference, "Endpoint URLs"), and IBM's staging
     * IAM.
     */
    public static final List<String> IBM = Stream.concat(
            Stream.of(IamClient.PUBLIC_ENDPOINT, IamClient.PRIVATE_ENDPOINT,
                    "https://iam.test.cloud.ibm.com", "https://private.iam.test.cloud.ibm.com"),
            Stream.of("au-syd", "br-sao", "ca-mon", "ca-tor", "eu-de", "eu-es", "eu-gb", "jp-osa", "jp-tok",
                    "us-east", "us-south").map(region -> "https://private." + region + ".iam.cloud.ibm.com"))
            .toList();

    private static final String TOKEN_PATH = "/identity/token";

    private final Set<String> allowed;

    private IamEndpoints(Set<String> allowed) {
        this.allowed = Set.copyOf(allowed);
    }

    /** IBM's endpoints only. */
    public static IamEndpoints ibm() {
        return allowing(List.of());
    }

    /**
     * IBM's endpoints and these.
     *
     * @throws IllegalArgumentException naming the first that is not an endpoint
     */
    public static IamEndpoints allowing(List<String> extra) {
        Set<String> all = new LinkedHashSet<>();
        for (String endpoint : IBM) {
            all.add(canonical(endpoint));
        }
        for (String endpoint : extra) {
            all.add(canonical(endpoint));
        }
        return new IamEndpoints(all);
    }

    /** IBM's endpoints and those of {@code text}, one a line; blank lines and lines starting with # are skipped. */
    public static IamEndpoints allowingLines(String text) {
        return allowing(lines(text));
    }

    /** The endpoints of {@code text}, one a line, as written; blank lines and {@code #} comments left out. */
    public static List<String> lines(String text) {
        return text == null ? List.of() : text.lines().map(String::strip)
                .filter(line -> !line.isEmpty() && !line.startsWith("#")).toList();
    }

    /**
     * The endpoint in the form endpoints are compared in; the public endpoint for {@code null} or blank.
     *
     * @throws IllegalArgumentException when it is not an https URL (plain http only to this machine's loopback)
     */
    public static String canonical(String endpoint) {
        return canonical(endpoint, FrontEnd.JENKINS);
    }

    /** {@link #canonical(String)}, its refusal in the words of {@code frontEnd}. */
    public static String canonical(String endpoint, FrontEnd frontEnd) {
        String given = endpoint == null || endpoint.isBlank() ? IamClient.PUBLIC_ENDPOINT : endpoint.strip();
        HttpUrl url = HttpUrl.parse(given);
        if (url == null || !url.isHttps() && !isLoopback(url.host()) || !url.username().isEmpty()
                || !url.password().isEmpty() || url.query() != null || url.fragment() != null) {
            // A key travels in the request: never in clear text beyond this machine, never to a URL with tricks.
            throw new IllegalArgumentException(Text.get(frontEnd, "iam.badEndpoint", given));
        }
        String path = withoutTrailingSlashes(url.encodedPath());
        if (path.endsWith(TOKEN_PATH)) {
            path = withoutTrailingSlashes(path.substring(0, path.length() - TOKEN_PATH.length()));
        }
        boolean defaultPort = url.port() == HttpUrl.defaultPort(url.scheme());
        String host = url.host().contains(":") ? "[" + url.host() + "]" : url.host();
        return url.scheme() + "://" + host.toLowerCase(Locale.ROOT) + (defaultPort ? "" : ":" + url.port()) + path;
    }

    /** Whether a key may be sent to {@code endpoint}; an endpoint that is no URL at all is not allowed. */
    public boolean allows(String endpoint) {
        try {
            return allowed.contains(canonical(endpoint));
        } catch (IllegalArgumentException notAnEndpoint) {
            return false;
        }
    }

    private static String withoutTrailingSlashes(String path) {
        int end = path.length();
        while (end > 0 && path.charAt(end - 1) == '/') {
            end--;
        }
        return path.substring(0, end);
    }

    static boolean isLoopback(String host) {
        return host.equals("127.0.0.1") || host.equals("localhost") || host.equals("::1");
    }

    @Override
    public String toString() {
        return String.join(", ", allowed);
    }
}
