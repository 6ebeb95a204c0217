package io.jenkins.plugins.icr.testbed;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The registry's token service at {@code /oauth/token}, as ICR runs it: Basic auth with {@code iamapikey} and an
 * API key IAM knows, or {@code iambearer} and an unexpired IAM access token; it answers {@code {"token": ...}}
 * signed so that the registry accepts it, for the scopes asked for, and 400 for wrong credentials.
 */
public final class TokenService implements AutoCloseable {

    /** One request, as a test may assert on it: never its password. */
    public record Request(String method, String userAgent, String username, Map<String, List<String>> query, int status) {}

    static final String ISSUER = "icr-testbed";

    private final HttpServer server;
    private final ExecutorService executor = Http.executor("icr-token-service");
    private final IamEmulator iam;
    private final PrivateKey signingKey;
    private final String signingCertificate;
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final Map<String, AtomicInteger> requestsPerSecret = new ConcurrentHashMap<>();

    TokenService(TestPki pki, IamEmulator iam) throws IOException, GeneralSecurityException {
        this.iam = iam;
        this.signingKey = pki.tokenKey();
        this.signingCertificate = Base64.getEncoder().encodeToString(pki.tokenCertificateX509().getEncoded());
        this.server = Http.server(pki.serverContext(), executor);
        server.createContext("/oauth/token", this::token);
        server.start();
    }

    public String realm() {
        return "https://127.0.0.1:" + server.getAddress().getPort() + "/oauth/token";
    }

    public List<Request> requests() {
        return List.copyOf(requests);
    }

    /** How many token requests were made with this key or access token as the password. */
    public int requestCount(String secret) {
        AtomicInteger count = requestsPerSecret.get(Secrets.fingerprint(secret));
        return count == null ? 0 : count.get();
    }

    private void token(HttpExchange exchange) throws IOException {
        try (exchange) {
            var query = Http.parameters(exchange.getRequestURI().getRawQuery());
            String[] basic = basicCredentials(exchange);
            String username = basic == null ? null : basic[0];
            int status = answer(exchange, query, basic);
            requests.add(new Request(exchange.getRequestMethod(), exchange.getRequestHeaders().getFirst("User-Agent"),
                    username, query, status));
        } catch (GeneralSecurityException e) {
            throw new IOException(e);
        }
    }

    private int answer(HttpExchange exchange, Map<String, List<String>> query, String[] basic)
            throws IOException, GeneralSecurityException {
        if (basic == null) {
            return error(exchange, 401, "UNAUTHORIZED", "authentication required");
        }
        requestsPerSecret.computeIfAbsent(Secrets.fingerprint(basic[1]), k -> new AtomicInteger()).incrementAndGet();
        boolean accepted = switch (basic[0]) {
            case "iamapikey" -> iam.knowsApiKey(basic[1]);
            case "iambearer" -> iam.acceptsAccessToken(basic[1]);
            default -> false;
        };
        if (!accepted) {
            return error(exchange, 400, "DENIED", "The login credentials are not valid, or your IBM Cloud account is"
                    + " not active.");
        }
        List<Map<String, Object>> access = new ArrayList<>();
        for (String scope : query.getOrDefault("scope", List.of())) {
            for (String one : scope.split(" ")) {
                String[] parts = one.split(":");
                if (parts.length == 3 && "repository".equals(parts[0])) {
                    access.add(Map.of("type", "repository", "name", parts[1],
                            "actions", List.of(parts[2].split(","))));
                }
            }
        }
        String audience = query.getOrDefault("service", List.of("registry")).get(0);
        String token = sign(claims(basic[0], audience, access), signingKey, signingCertificate);
        Http.json(exchange, 200, Map.of("token", token, "access_token", token, "expires_in", 300,
                "issued_at", Instant.now().toString()));
        return 200;
    }

    /** A registry token signed by any key, for tests that show the registry refuses what it must. */
    static String registryToken(String repository, PrivateKey key, X509Certificate certificate)
            throws IOException, GeneralSecurityException {
        var access = List.<Map<String, Object>>of(
                Map.of("type", "repository", "name", repository, "actions", List.of("pull", "push")));
        return sign(claims("iamapikey", "registry", access), key,
                Base64.getEncoder().encodeToString(certificate.getEncoded()));
    }

    private static Map<String, Object> claims(String subject, String audience, List<Map<String, Object>> access) {
        long now = Instant.now().getEpochSecond();
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("iss", ISSUER);
        claims.put("sub", subject);
        claims.put("aud", audience);
        claims.put("exp", now + 300);
        claims.put("nbf", now - 10);
        claims.put("iat", now);
        claims.put("jti", UUID.randomUUID().toString());
        claims.put("access", access);
        return claims;
    }

    /** The registry trusts a token whose {@code x5c} header names a certificate of its root bundle. */
    private static String sign(Map<String, Object> claims, PrivateKey key, String certificateBase64)
            throws IOException, GeneralSecurityException {
        return Jwt.sign(Map.of("typ", "JWT", "alg", "RS256", "x5c", List.of(certificateBase64)), claims, key);
    }

    private static String[] basicCredentials(HttpExchange exchange) {
        String header = exchange.getRequestHeaders().getFirst("Authorization");
        if (header == null || !header.regionMatches(true, 0, "Basic ", 0, 6)) {
            return null;
        }
        String decoded = new String(Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
        int colon = decoded.indexOf(':');
        return colon < 0 ? null : new String[] {decoded.substring(0, colon), decoded.substring(colon + 1)};
    }

    private static int error(HttpExchange exchange, int status, String code, String message) throws IOException {
        Http.json(exchange, status, Map.of("errors", List.of(Map.of("code", code, "message", message))));
        return status;
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
