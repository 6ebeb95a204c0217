package io.jenkins.plugins.icr.login;

import io.jenkins.plugins.icr.FrontEnd;
import io.jenkins.plugins.icr.Text;
import io.jenkins.plugins.icr.http.EnvironmentProxy;
import io.jenkins.plugins.icr.http.Tls;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.net.ssl.SSLException;
import okhttp3.Credentials;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Protocol;
import okhttp3.Request;
import okhttp3.Response;

/**
 * Proves a credential the way a client's login does, without a client: {@code GET /v2/} for the challenge, then
 * the token realm with Basic auth. The auth-file mode runs it before writing a file, so that a wrong key fails at
 * the login and not at the first push.
 */
final class TokenCheck {

    /**
     * HTTP/1.1 only: two small requests gain nothing from HTTP/2, whose reader thread, blocked in a socket read, held
     * every icr-login's exit for 300 ms (HotSpot waits that long for threads in native code when the JVM exits).
     */
    private static final OkHttpClient BASE = new OkHttpClient.Builder()
            .connectTimeout(Duration.ofSeconds(15))
            .readTimeout(Duration.ofSeconds(30))
            .callTimeout(Duration.ofSeconds(60))
            .protocols(List.of(Protocol.HTTP_1_1))
            .build();

    private final OkHttpClient http;
    private final Optional<EnvironmentProxy> proxy;
    private final FrontEnd frontEnd;

    private TokenCheck(OkHttpClient http, Optional<EnvironmentProxy> proxy, FrontEnd frontEnd) {
        this.http = http;
        this.proxy = proxy;
        this.frontEnd = frontEnd;
    }

    /** Trusts the JVM's CAs and the PEM certificates given; goes through the environment's proxy, if any. */
    static TokenCheck trusting(Optional<String> caPem, Map<String, String> environment, FrontEnd frontEnd)
            throws IOException {
        OkHttpClient http = caPem.isEmpty() ? BASE : Tls.trusting(BASE, caPem.get());
        Optional<EnvironmentProxy> proxy = EnvironmentProxy.from(environment);
        return new TokenCheck(proxy.isPresent() ? proxy.get().apply(http) : http, proxy, frontEnd);
    }

    void verify(String host, LoginCredential credential) throws LoginException {
        HttpUrl base = HttpUrl.parse("https://" + host + "/v2/");
        if (base == null) {
            throw new LoginException(LoginException.Reason.REGISTRY_UNREACHABLE, Text.get("registry.badHost", host));
        }
        try (Response ping = http.newCall(new Request.Builder().url(base).build()).execute()) {
            if (ping.code() != 401) {
                return; // An open registry: nothing to prove.
            }
            Optional<Challenge> challenge = Challenge.parse(ping.header("WWW-Authenticate"));
            String basic = Credentials.basic(credential.username(), credential.secret(), StandardCharsets.UTF_8);
            Request proof = challenge.filter(c -> c.scheme().equals("bearer")).flatMap(Challenge::realm)
                    .map(realm -> tokenRequest(host, realm, challenge.get(), credential.username(), basic))
                    .orElseGet(() -> new Request.Builder().url(base).header("Authorization", basic).build());
            try (Response answer = http.newCall(proof).execute()) {
                if (answer.code() == 400 || answer.code() == 401 || answer.code() == 403) {
                    throw LoginException.wrongCredentials(host, credential);
                }
                if (!answer.isSuccessful()) {
                    throw new LoginException(LoginException.Reason.CLIENT_FAILED,
                            Text.get("registry.tokenError", host, answer.code()));
                }
            }
        } catch (LoginException e) {
            throw e;
        } catch (SSLException e) {
            throw LoginException.untrusted(host, frontEnd, e);
        } catch (IOException e) {
            String through = proxy.map(p -> Text.get("registry.throughProxy", p)).orElse("");
            throw LoginException.unreachable(host, e.getMessage() + through, e);
        }
    }

    private static Request tokenRequest(String host, String realm, Challenge challenge, String user, String basic) {
        HttpUrl given = HttpUrl.parse(realm);
        // ICR's own realm, where a registry names one no URL parser takes; the host was parsed already.
        HttpUrl url = given != null ? given : HttpUrl.get("https://" + host + "/oauth/token");
        HttpUrl.Builder query = url.newBuilder().addQueryParameter("account", user);
        challenge.service().ifPresent(s -> query.addQueryParameter("service", s));
        return new Request.Builder().url(query.build()).header("Authorization", basic).build();
    }
}
