package io.jenkins.plugins.icr.testbed;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;

/**
 * IBM Cloud IAM's token endpoint, as {@code icr-facts.md} describes it: {@code POST /identity/token} with the
 * API key grant, JWT access tokens with the claims IAM puts in them, {@code BXNIM0415E} for a key it does not
 * know, and faults a test can inject. It counts requests per key without keeping the keys in its records.
 */
public final class IamEmulator implements AutoCloseable {

    static final String APIKEY_GRANT = "urn:ibm:params:oauth:grant-type:apikey";

    /** Whose a key is, as IAM tells it in the token's claims. */
    public record Identity(boolean serviceId, String iamId, String name, String email, String accountId) {

        public static Identity serviceId(String name, String accountId) {
            return new Identity(true, "iam-ServiceId-" + UUID.randomUUID(), name, null, accountId);
        }

        public static Identity user(String name, String email, String accountId) {
            return new Identity(false, "IBMid-" + (100000000 + new SecureRandom().nextInt(899999999)), name, email,
                    accountId);
        }
    }

    /** What the next request gets instead of a normal answer. */
    public sealed interface Fault {
        record RateLimited(Integer retryAfterSeconds) implements Fault {}

        record ServerError(int status) implements Fault {}

        record Slow(Duration delay) implements Fault {}

        record MalformedJson() implements Fault {}

        /** Any answer at all: other error shapes, statuses and headers. */
        record Canned(int status, String json, Map<String, String> headers) implements Fault {}
    }

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final char[] KEY_ALPHABET =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".toCharArray();

    private final HttpServer server;
    private final ExecutorService executor = Http.executor("iam-emulator");
    private final PrivateKey signingKey;
    private final Map<String, Identity> keys = new ConcurrentHashMap<>();
    private final Map<String, Long> issuedTokens = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> requestsPerKey = new ConcurrentHashMap<>();
    private final AtomicInteger requests = new AtomicInteger();
    private final Queue<Fault> faults = new ConcurrentLinkedQueue<>();
    private volatile Duration tokenLifetime = Duration.ofHours(1);
    private volatile Duration latency = Duration.ZERO;

    private IamEmulator(SSLContext tls, PrivateKey signingKey) throws IOException {
        this.signingKey = signingKey;
        this.server = Http.server(tls, executor);
        server.createContext("/identity/token", this::token);
        server.start();
    }

    /** Plain HTTP on loopback. */
    public static IamEmulator start(PrivateKey signingKey) throws IOException {
        return new IamEmulator(null, signingKey);
    }

    /** Plain HTTP on loopback, signing with a key of its own: for tests that need IAM but not the registry. */
    public static IamEmulator start() throws IOException, GeneralSecurityException {
        var rsa = java.security.KeyPairGenerator.getInstance("RSA");
        rsa.initialize(2048);
        return start(rsa.generateKeyPair().getPrivate());
    }

    /** HTTPS on loopback with the testbed's server certificate. */
    public static IamEmulator startTls(TestPki pki) throws IOException, GeneralSecurityException {
        return new IamEmulator(pki.serverContext(), pki.tokenKey());
    }

    public String baseUrl() {
        String scheme = server instanceof com.sun.net.httpserver.HttpsServer ? "https" : "http";
        return scheme + "://127.0.0.1:" + server.getAddress().getPort();
    }

    /** A new API key for this identity, in the form IBM Cloud gives keys. */
    public String createApiKey(Identity identity) {
        char[] key = new char[44];
        for (int i = 0; i < key.length; i++) {
            key[i] = KEY_ALPHABET[RANDOM.nextInt(KEY_ALPHABET.length)];
        }
        return createApiKey(identity, new String(key));
    }

    /** A key of the caller's choosing: for characters IBM's own keys do not have but a stored secret might. */
    public String createApiKey(Identity identity, String apiKey) {
        keys.put(Secrets.used(apiKey), identity);
        return apiKey;
    }

    public void deleteApiKey(String apiKey) {
        keys.remove(apiKey);
    }

    public boolean knowsApiKey(String apiKey) {
        return keys.containsKey(apiKey);
    }

    /** Whether IAM issued this access token and it has not expired: what the registry accepts for iambearer. */
    public boolean acceptsAccessToken(String token) {
        Long expiry = issuedTokens.get(token);
        return expiry != null && expiry > Instant.now().getEpochSecond();
    }

    /** How long every answer takes, as IAM across a network would: for benchmarks. */
    public void latency(Duration perRequest) {
        this.latency = perRequest;
    }

    public void tokenLifetime(Duration lifetime) {
        this.tokenLifetime = lifetime;
    }

    /** Lets every token issued so far expire, as if their hour had passed. */
    public void expireIssuedTokens() {
        issuedTokens.replaceAll((token, expiry) -> 0L);
    }

    public void enqueue(Fault... next) {
        faults.addAll(java.util.List.of(next));
    }

    /** Forgets the faults not answered yet, so that a test's leftovers do not reach the next. */
    public void clearFaults() {
        faults.clear();
    }

    public int requestCount() {
        return requests.get();
    }

    public int requestCount(String apiKey) {
        AtomicInteger count = requestsPerKey.get(Secrets.fingerprint(apiKey));
        return count == null ? 0 : count.get();
    }

    private void token(HttpExchange exchange) throws IOException {
        try (exchange) {
            requests.incrementAndGet();
            if (!"POST".equals(exchange.getRequestMethod())) {
                error(exchange, 405, "BXNIM0102E", "Unsupported HTTP method.");
                return;
            }
            var form = Http.parameters(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            String apiKey = Http.first(form, "apikey");
            if (apiKey != null) {
                requestsPerKey.computeIfAbsent(Secrets.fingerprint(apiKey), k -> new AtomicInteger()).incrementAndGet();
            }
            Thread.sleep(latency.toMillis());
            Fault fault = faults.poll();
            if (fault instanceof Fault.Slow slow) {
                Thread.sleep(slow.delay().toMillis());
            } else if (fault instanceof Fault.RateLimited limited) {
                if (limited.retryAfterSeconds() != null) {
                    exchange.getResponseHeaders().set("Retry-After", limited.retryAfterSeconds().toString());
                }
                error(exchange, 429, "BXNIM0440E", "Too many requests.");
                return;
            } else if (fault instanceof Fault.ServerError failure) {
                Http.send(exchange, failure.status(), "text/html", "<html>upstream failure</html>".getBytes(StandardCharsets.UTF_8));
                return;
            } else if (fault instanceof Fault.Canned canned) {
                canned.headers().forEach(exchange.getResponseHeaders()::set);
                Http.send(exchange, canned.status(), "application/json", canned.json().getBytes(StandardCharsets.UTF_8));
                return;
            } else if (fault instanceof Fault.MalformedJson) {
                Http.send(exchange, 200, "application/json", "{\"access_token\":\"eyJ".getBytes(StandardCharsets.UTF_8));
                return;
            }
            if (!APIKEY_GRANT.equals(Http.first(form, "grant_type"))) {
                error(exchange, 400, "BXNIM0109E", "Property missing or empty.", "grant_type");
                return;
            }
            if (apiKey == null || apiKey.isEmpty()) {
                error(exchange, 400, "BXNIM0109E", "Property missing or empty.", "apikey");
                return;
            }
            Identity identity = keys.get(apiKey);
            if (identity == null) {
                error(exchange, 400, "BXNIM0415E", "Provided API key could not be found.");
                return;
            }
            Http.json(exchange, 200, tokenResponse(identity));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (GeneralSecurityException e) {
            throw new IOException(e);
        }
    }

    private Map<String, Object> tokenResponse(Identity identity) throws IOException, GeneralSecurityException {
        long now = Instant.now().getEpochSecond();
        long lifetime = tokenLifetime.toSeconds();
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("iam_id", identity.iamId());
        claims.put("id", identity.iamId());
        claims.put("realmid", identity.serviceId() ? "iam" : "IBMid");
        claims.put("jti", UUID.randomUUID().toString());
        claims.put("identifier", identity.serviceId() ? identity.iamId().substring(4) : identity.iamId());
        claims.put("name", identity.name());
        if (identity.serviceId()) {
            claims.put("sub", identity.iamId().substring(4));
            claims.put("sub_type", "ServiceId");
        } else {
            claims.put("sub", identity.email());
            claims.put("email", identity.email());
        }
        claims.put("account", Map.of("valid", true, "bss", identity.accountId(), "frozen", true));
        claims.put("iat", now);
        claims.put("exp", now + lifetime);
        claims.put("iss", "https://iam.cloud.ibm.com/identity");
        claims.put("grant_type", APIKEY_GRANT);
        claims.put("scope", "ibm openid");
        claims.put("client_id", "default");
        String accessToken = Jwt.sign(Map.of("kid", "20260801", "alg", "RS256"), claims, signingKey);
        issuedTokens.put(Secrets.used(accessToken), now + lifetime);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("access_token", accessToken);
        body.put("refresh_token", "not_supported");
        body.put("ims_user_id", 11850000 + RANDOM.nextInt(100000));
        body.put("token_type", "Bearer");
        body.put("expires_in", lifetime);
        body.put("expiration", now + lifetime);
        body.put("scope", "ibm openid");
        return body;
    }

    private static void error(HttpExchange exchange, int status, String code, String message, String... details)
            throws IOException {
        String requestId = UUID.randomUUID().toString();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("errorCode", code);
        body.put("errorMessage", message);
        if (details.length > 0) {
            body.put("errorDetails", "Property '" + details[0] + "' is missing or empty.");
        }
        body.put("context", Map.of("requestId", requestId, "requestType", "incoming.Identity_Token",
                "url", "https://iam.cloud.ibm.com", "locale", "en_US"));
        exchange.getResponseHeaders().set("Transaction-Id", requestId);
        Http.json(exchange, status, body);
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
