package io.jenkins.plugins.icr.va;

import io.jenkins.plugins.icr.FrontEnd;
import io.jenkins.plugins.icr.Text;
import io.jenkins.plugins.icr.http.HttpSettings;
import io.jenkins.plugins.icr.iam.AccessToken;
import java.io.IOException;
import java.net.ProxySelector;
import java.time.Duration;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;

/**
 * Vulnerability Advisor v4, as IBM documents it and its Java SDK calls it: {@code GET
 * https://HOST/va/api/v4/report/image/status/{name}} and {@code .../report/image/{name}}, the image's full name
 * one path segment (its slashes encoded), an IAM bearer token and the {@code Account} header with the account id
 * from the token's claims. Also asks the registry at {@code HOST} for the image's digest. Immutable and
 * thread-safe; build one with {@link #builder()}.
 */
public final class VaClient {

    private static final String REPORTS = "va/api/v4/report/image";
    private static final OkHttpClient SHARED = new OkHttpClient();

    private final Transport transport;
    private final ManifestLookup registry;
    private final HttpUrl endpoint;

    private VaClient(Transport transport, HttpUrl endpoint) {
        this.transport = transport;
        this.registry = new ManifestLookup(transport);
        this.endpoint = endpoint;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** In whose words its messages name options. */
    public FrontEnd frontEnd() {
        return transport.frontEnd();
    }

    /** VA's status of the image: what the gate polls while the scan runs. */
    public ScanSummary status(ImageReference image, AccessToken token) throws VaException, InterruptedException {
        return ScanSummary.of(get(image, token, REPORTS + "/status").json());
    }

    /** VA's full report of the image, once its status is final. */
    public ScanReport report(ImageReference image, AccessToken token) throws VaException, InterruptedException {
        return ScanReport.of(get(image, token, REPORTS).json());
    }

    /** The image's digest, from the registry: proves it exists, and what a tag points at now. */
    public String digest(ImageReference image, AccessToken token) throws VaException, InterruptedException {
        return registry.digest(image, token);
    }

    /** VA's base URL for an image: its registry's host, unless an endpoint was given. */
    HttpUrl base(ImageReference image) {
        return endpoint != null ? endpoint : new HttpUrl.Builder().scheme("https").host(hostOnly(image.host()))
                .port(port(image.host())).build();
    }

    private Transport.Answer get(ImageReference image, AccessToken token, String path)
            throws VaException, InterruptedException {
        HttpUrl base = base(image);
        String where = Text.get("va.where", base.host() + (base.port() == 443 ? "" : ":" + base.port()));
        String account = token.identity().accountId()
                .orElseThrow(() -> new VaException(VaException.Reason.NO_ACCOUNT, Text.get("va.noAccount")));
        Request request = new Request.Builder()
                .url(base.newBuilder().addPathSegments(path).addPathSegment(image.name()).build())
                .header("Authorization", "Bearer " + token.token())
                .header("Account", account)
                .header("Accept", "application/json")
                .build();
        Transport.Answer answer = transport.send(request, null, where);
        int status = answer.status();
        if (status == 200) {
            if (!answer.json().isObject()) {
                throw new VaException(VaException.Reason.MALFORMED_ANSWER, Text.get("va.malformed", where, status));
            }
            return answer;
        }
        VaException.Reason reason = switch (status) {
            case 401 -> VaException.Reason.UNAUTHORIZED;
            case 403 -> VaException.Reason.FORBIDDEN;
            case 404 -> VaException.Reason.NOT_SCANNED;
            case 429, 500, 502, 503, 504 -> VaException.Reason.UNAVAILABLE;
            default -> VaException.Reason.REJECTED;
        };
        String message = switch (reason) {
            case UNAUTHORIZED -> Text.get(frontEnd(), "va.unauthorized", where, answer.detail());
            case FORBIDDEN -> Text.get("va.forbidden", where, account, answer.detail());
            default -> Text.get("va.rejected", where, status, answer.detail());
        };
        throw new VaException(reason, message);
    }

    private static String hostOnly(String host) {
        int colon = host.lastIndexOf(':');
        return colon < 0 ? host : host.substring(0, colon);
    }

    private static int port(String host) {
        int colon = host.lastIndexOf(':');
        return colon < 0 ? 443 : Integer.parseInt(host.substring(colon + 1));
    }

    /** How a {@link VaClient} is made: network settings, and VA's endpoint where it is not the registry's host. */
    public static final class Builder {

        private HttpUrl endpoint;
        private HttpSettings http = HttpSettings.timeouts(Duration.ofSeconds(30), Duration.ofSeconds(60));
        private FrontEnd frontEnd = FrontEnd.JENKINS;

        private Builder() {}

        /** In whose words messages name options: the step's (the default) or icr-login's. */
        public Builder frontEnd(FrontEnd value) {
            this.frontEnd = value;
            return this;
        }

        /**
         * VA's base URL, {@code https://host[:port]}, for a registry of your own or a test one whose VA is not at the
         * registry's host. ICR serves VA at each registry's host, which is the default.
         */
        public Builder endpoint(String url) {
            HttpUrl parsed = url == null || url.isBlank() ? null : HttpUrl.parse(url.strip());
            if (url != null && !url.isBlank() && (parsed == null || !parsed.isHttps())) {
                // The IAM token travels in every request: never in clear text.
                throw new IllegalArgumentException(Text.get("va.badEndpoint", url.strip()));
            }
            this.endpoint = parsed;
            return this;
        }

        /** The proxies to use, by default the JVM's; {@code user} {@code null} when they ask for no credentials. */
        public Builder proxy(ProxySelector proxy, String user, String password) {
            this.http = http.withProxy(proxy, user, password);
            return this;
        }

        /** Also trust these PEM CA certificates: a registry of your own, or a proxy that inspects TLS. */
        public Builder trusting(String caPem) {
            this.http = http.trusting(caPem);
            return this;
        }

        public VaClient build() throws IOException {
            return new VaClient(new Transport(http.apply(SHARED), frontEnd), endpoint);
        }
    }
}
