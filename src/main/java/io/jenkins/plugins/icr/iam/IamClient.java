package io.jenkins.plugins.icr.iam;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jenkins.plugins.icr.FrontEnd;
import io.jenkins.plugins.icr.Text;
import io.jenkins.plugins.icr.http.EnvironmentProxy;
import io.jenkins.plugins.icr.http.HttpSettings;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ProxySelector;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.net.ssl.SSLException;
import okhttp3.FormBody;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Protocol;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.ResponseBody;

/**
 * Exchanges an IBM Cloud API key for an IAM access token: {@code POST {endpoint}/identity/token} with the API key
 * grant. Rate limiting and server errors are retried a bounded number of times; every failure becomes an {@link
 * IamException} that says what to do. Immutable and thread-safe; build one with {@link #builder()}.
 */
public final class IamClient {

    public static final String PUBLIC_ENDPOINT = "https://iam.cloud.ibm.com";
    public static final String PRIVATE_ENDPOINT = "https://private.iam.cloud.ibm.com";

    static final String APIKEY_GRANT = "urn:ibm:params:oauth:grant-type:apikey";
    static final String CR_TOKEN_GRANT = "urn:ibm:params:oauth:grant-type:cr-token";
    private static final ObjectMapper MAPPER = new ObjectMapper();
    /**
     * One shared connection pool and dispatcher; each client derives its own settings from it. HTTP/1.1, as for the
     * registry's token check: an HTTP/2 connection's reader thread holds a short-lived JVM's exit for 300 ms.
     */
    private static final OkHttpClient SHARED = new OkHttpClient.Builder()
            .protocols(List.of(Protocol.HTTP_1_1))
            .build();

    private final String endpoint;
    private final HttpUrl tokenUrl;
    private final OkHttpClient http;
    private final Retry retry;
    private final Clock clock;
    private final FrontEnd frontEnd;

    private IamClient(Builder b, OkHttpClient http) {
        this.endpoint = IamEndpoints.canonical(b.endpoint, b.frontEnd);
        this.frontEnd = b.frontEnd;
        this.tokenUrl = HttpUrl.get(endpoint).newBuilder().addPathSegments("identity/token").build();
        this.http = http;
        this.retry = b.retry;
        this.clock = b.clock;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The endpoint as configured, in {@link IamEndpoints#canonical} form: {@code https://iam.cloud.ibm.com} by default. */
    public String endpoint() {
        return endpoint;
    }

    /** Asks IAM for an access token; the key goes only into the request's form body. */
    public AccessToken exchange(String apiKey) throws IamException, InterruptedException {
        if (apiKey == null || apiKey.isBlank()) {
            throw new IllegalArgumentException(Text.get(frontEnd, "credential.emptyKey"));
        }
        return exchange(new FormBody.Builder().add("grant_type", APIKEY_GRANT).add("apikey", apiKey).build(), apiKey,
                IamAnswer.Refusal.API_KEY);
    }

    /**
     * Asks IAM for an access token of a trusted profile with a compute resource token (the {@code cr-token} grant
     * of IBM's container authenticator); the token goes only into the request's form body. The profile is sent
     * as {@code profile_id} when it is an ID ({@code Profile-...}), else as {@code profile_name}.
     */
    AccessToken exchangeCrToken(String crToken, String profile, IamAnswer.Refusal refusal)
            throws IamException, InterruptedException {
        FormBody.Builder form = new FormBody.Builder().add("grant_type", CR_TOKEN_GRANT).add("cr_token", crToken);
        form.add(TrustedProfile.isId(profile) ? "profile_id" : "profile_name", profile);
        return exchange(form.build(), crToken, refusal);
    }

    private AccessToken exchange(FormBody form, String secret, IamAnswer.Refusal refusal)
            throws IamException, InterruptedException {
        Request request = new Request.Builder().url(tokenUrl)
                .header("Accept", "application/json")
                .post(form)
                .build();
        Instant deadline = clock.instant().plus(retry.budget());
        for (int attempt = 1; ; attempt++) {
            Instant sent = clock.instant();
            IamAnswer answer = send(request, secret, refusal);
            if (answer.successful()) {
                return answer.token(sent);
            }
            Optional<Duration> wait = answer.retryable()
                    ? retry.delay(attempt, answer.retryAfter(), Duration.between(clock.instant(), deadline))
                    : Optional.empty();
            if (wait.isEmpty()) {
                throw answer.failure(attempt);
            }
            Thread.sleep(wait.get().toMillis()); // the connection is back in the pool meanwhile
        }
    }

    /** One request and its whole answer, read and closed; transport failures become what they mean. */
    private IamAnswer send(Request request, String secret, IamAnswer.Refusal refusal)
            throws IamException, InterruptedException {
        try (Response response = http.newCall(request).execute()) {
            ResponseBody answer = response.body();
            String body = answer == null ? "" : answer.string();
            return IamAnswer.of(endpoint, response, body, secret, frontEnd, refusal);
        } catch (SSLException e) {
            throw new IamException(IamException.Reason.UNTRUSTED_CERTIFICATE,
                    Text.get(frontEnd, "iam.untrusted", endpoint, e.getMessage()), null, e);
        } catch (InterruptedIOException e) {
            if (Thread.currentThread().isInterrupted()) {
                throw new InterruptedException(e.getMessage());
            }
            throw new IamException(IamException.Reason.TIMEOUT, Text.get("iam.timeout", endpoint, e.getMessage()),
                    null, e);
        } catch (IOException e) {
            throw new IamException(IamException.Reason.UNREACHABLE,
                    Text.get("iam.unreachable", endpoint, e.getMessage()), null, e);
        }
    }

    /** Whose words this client's errors use. */
    FrontEnd frontEnd() {
        return frontEnd;
    }

    /** Whose the key is, or why IAM refused it: what a "Verify" button shows. */
    public Identity verify(String apiKey) throws IamException, InterruptedException {
        return exchange(apiKey).identity();
    }

    static JsonNode parse(String body) {
        try {
            return MAPPER.readTree(body);
        } catch (IOException e) {
            return MAPPER.missingNode();
        }
    }

    /** How an {@link IamClient} is made: endpoint, network settings and retry limits. */
    public static final class Builder {

        private String endpoint = PUBLIC_ENDPOINT;
        private ProxySelector proxy;
        private String proxyUser;
        private String proxyPassword;
        private String caPem;
        private Duration connectTimeout = Duration.ofSeconds(60);
        private Duration readTimeout = Duration.ofSeconds(90);
        private Retry retry = Retry.DEFAULT;
        private Clock clock = Clock.systemUTC();
        private FrontEnd frontEnd = FrontEnd.JENKINS;

        private Builder() {}

        /**
         * {@link #PUBLIC_ENDPOINT}, {@link #PRIVATE_ENDPOINT} or another https URL; checked at {@link #build()}.
         * Which endpoints a stored key may go to is the caller's policy: see {@link IamEndpoints}.
         */
        public Builder endpoint(String endpoint) {
            this.endpoint = endpoint == null || endpoint.isBlank() ? PUBLIC_ENDPOINT : endpoint.strip();
            return this;
        }

        /** The proxies to use; by default the JVM's ({@link ProxySelector#getDefault()}). */
        public Builder proxy(ProxySelector proxy) {
            this.proxy = proxy;
            return this;
        }

        /**
         * Through the proxy that this environment's {@code HTTPS_PROXY} names (unless {@code NO_PROXY} exempts the
         * endpoint), with the user and password it holds; directly when it names none.
         */
        public Builder proxyOf(Map<String, String> environment) {
            EnvironmentProxy.from(environment).ifPresent(p -> {
                proxy(p);
                p.credentials().ifPresent(user -> proxyCredentials(user.getUserName(), new String(user.getPassword())));
            });
            return this;
        }

        /** Basic credentials for a proxy that asks for them (HTTP 407). */
        public Builder proxyCredentials(String user, String password) {
            this.proxyUser = user;
            this.proxyPassword = password;
            return this;
        }

        /** Also trust these PEM CA certificates, for an endpoint behind a CA of your own. */
        public Builder trusting(String caPem) {
            this.caPem = caPem;
            return this;
        }

        public Builder timeouts(Duration connect, Duration read) {
            this.connectTimeout = connect;
            this.readTimeout = read;
            return this;
        }

        public Builder retry(Retry retry) {
            this.retry = retry;
            return this;
        }

        Builder clock(Clock clock) {
            this.clock = clock;
            return this;
        }

        /** Whose words errors use to say where a setting is made: Jenkins' by default. */
        public Builder frontEnd(FrontEnd frontEnd) {
            this.frontEnd = frontEnd;
            return this;
        }

        public IamClient build() throws IOException {
            IamEndpoints.canonical(endpoint, frontEnd);
            HttpSettings http = new HttpSettings(proxy, proxyUser, proxyPassword, caPem, connectTimeout, readTimeout);
            // A redirect would carry the key's form body on to wherever the answer points (OkHttp keeps the body of
            // a POST on 307 and 308); IAM never redirects a token request, so an answer that does is refused.
            return new IamClient(this,
                    http.apply(SHARED.newBuilder().followRedirects(false).followSslRedirects(false).build()));
        }
    }
}
