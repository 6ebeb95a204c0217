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
import java.util.List;
import java.util.Map;
import java.util.Set;
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
    static final String CR_TOKEN_GRANT = "urn:ibm:params:oauth:grant-type:cr-token";
    /**
     * What IAM answers a compute resource token it does not accept (bad signature, unknown issuer, expired, wrong
     * audience). BXNIM0407E is IAM's documented "invalid token"; that IAM uses it for cr tokens is assumed.
     */
    public static final String INVALID_TOKEN = "BXNIM0407E";
    /**
     * Assumed codes: IBM documents none for an unknown trusted profile or a link that does not match. The engine
     * keys on neither; it passes IAM's words on with the advice for both.
     */
    public static final String UNKNOWN_PROFILE = "BXNIM0522E";
    public static final String LINK_MISMATCH = "BXNIM0523E";

    /** A trusted profile's link to a compute resource: a cluster's namespace and service account. */
    public record Link(String clusterId, String namespace, String serviceAccount) {}

    /** A trusted profile: who it is, and which compute resources may use it. */
    public record Profile(String id, String name, String accountId, List<Link> links) {
        public String crn() {
            return "crn:v1:bluemix:public:iam-identity::a/" + accountId + "::profile:" + id;
        }
    }

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
    private final Map<String, TestCluster> clusters = new ConcurrentHashMap<>();
    private final Map<String, Profile> profiles = new ConcurrentHashMap<>();
    private final Set<String> crTokensSeen = ConcurrentHashMap.newKeySet();
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

    /** IAM trusts the service account tokens of this cluster: its issuer and its signing key. */
    public void trust(TestCluster cluster) {
        clusters.put(cluster.issuer(), cluster);
    }

    /** A new trusted profile in the testbed's account, with these links; its ID is {@code Profile-} and a UUID. */
    public Profile createProfile(String name, Link... links) {
        Profile profile = new Profile("Profile-" + UUID.randomUUID(), name, "acct-testbed", List.of(links));
        profiles.put(profile.id(), profile);
        return profile;
    }

    /** The profile with this ID or CRN, for the VPC metadata emulator. */
    Profile profile(String idOrCrn) {
        return profiles.values().stream().filter(p -> p.id().equals(idOrCrn) || p.crn().equals(idOrCrn)).findFirst()
                .orElse(null);
    }

    /** Whether this compute resource token reached IAM (the test knows its tokens; IAM keeps only digests). */
    public boolean sawCrToken(String crToken) {
        return crTokensSeen.contains(Secrets.fingerprint(crToken));
    }

    /** Every access token issued so far: for tests that prove none of them reached a process or a file. */
    public Set<String> issuedAccessTokens() {
        return Set.copyOf(issuedTokens.keySet());
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
            if (CR_TOKEN_GRANT.equals(Http.first(form, "grant_type"))) {
                crToken(exchange, form);
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

    /**
     * The {@code cr-token} grant, as IBM's container authenticator asks for it: the token's signature (RS256, by a
     * cluster IAM trusts), expiry and audience, then the profile (by ID or name) and a link of it that names the
     * token's cluster, namespace and service account.
     */
    private void crToken(HttpExchange exchange, Map<String, List<String>> form)
            throws IOException, GeneralSecurityException {
        String crToken = Http.first(form, "cr_token");
        if (crToken == null || crToken.isEmpty()) {
            error(exchange, 400, "BXNIM0109E", "Property missing or empty.", "cr_token");
            return;
        }
        crTokensSeen.add(Secrets.fingerprint(crToken));
        String profileId = Http.first(form, "profile_id");
        String profileName = Http.first(form, "profile_name");
        if ((profileId == null || profileId.isEmpty()) && (profileName == null || profileName.isEmpty())) {
            error(exchange, 400, "BXNIM0109E", "Property missing or empty.", "profile_id");
            return;
        }
        Map<String, Object> claims;
        try {
            TestCluster cluster = clusters.get(String.valueOf(Jwt.claims(crToken).get("iss")));
            if (cluster == null) {
                error(exchange, 400, INVALID_TOKEN, "Provided compute resource token is invalid: unknown issuer.");
                return;
            }
            claims = Jwt.verified(crToken, cluster.publicKey());
        } catch (IOException | GeneralSecurityException | IllegalArgumentException e) {
            error(exchange, 400, INVALID_TOKEN, "Provided compute resource token is invalid.");
            return;
        }
        if (!(claims.get("exp") instanceof Number exp) || exp.longValue() <= Instant.now().getEpochSecond()) {
            error(exchange, 400, INVALID_TOKEN, "Provided compute resource token has expired.");
            return;
        }
        Object audience = claims.get("aud");
        if (!(audience instanceof List<?> list ? list.contains(TestCluster.IAM_AUDIENCE)
                : TestCluster.IAM_AUDIENCE.equals(audience))) {
            error(exchange, 400, INVALID_TOKEN, "Provided compute resource token is not for IAM (audience).");
            return;
        }
        Profile profile = profiles.values().stream()
                .filter(p -> (profileId == null || profileId.isEmpty() || p.id().equals(profileId))
                        && (profileName == null || profileName.isEmpty() || p.name().equals(profileName)))
                .findFirst().orElse(null);
        if (profile == null) {
            error(exchange, 400, UNKNOWN_PROFILE, "Trusted profile not found.");
            return;
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> kubernetes = (Map<String, Object>) claims.getOrDefault("kubernetes.io", Map.of());
        @SuppressWarnings("unchecked")
        Map<String, Object> account = (Map<String, Object>) kubernetes.getOrDefault("serviceaccount", Map.of());
        String clusterId = clusters.get(String.valueOf(claims.get("iss"))).id();
        Link presented = new Link(clusterId, String.valueOf(kubernetes.get("namespace")),
                String.valueOf(account.get("name")));
        if (!profile.links().contains(presented)) {
            error(exchange, 400, LINK_MISMATCH,
                    "The compute resource is not linked to the trusted profile (cluster, namespace or service account).");
            return;
        }
        Http.json(exchange, 200, profileToken(profile, CR_TOKEN_GRANT));
    }

    /** An IAM access token of a trusted profile, as IAM issues it to a compute resource. */
    Map<String, Object> profileToken(Profile profile, String grant) throws IOException, GeneralSecurityException {
        Map<String, Object> claims = new LinkedHashMap<>();
        String iamId = "iam-" + profile.id();
        claims.put("iam_id", iamId);
        claims.put("id", iamId);
        claims.put("realmid", "iam");
        claims.put("jti", UUID.randomUUID().toString());
        claims.put("identifier", profile.id());
        claims.put("name", profile.name());
        claims.put("sub", profile.id());
        claims.put("sub_type", "Profile");
        claims.put("account", Map.of("valid", true, "bss", profile.accountId(), "frozen", true));
        return issue(claims, grant);
    }

    private Map<String, Object> tokenResponse(Identity identity) throws IOException, GeneralSecurityException {
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
        return issue(claims, APIKEY_GRANT);
    }

    private Map<String, Object> issue(Map<String, Object> claims, String grant)
            throws IOException, GeneralSecurityException {
        long now = Instant.now().getEpochSecond();
        long lifetime = tokenLifetime.toSeconds();
        claims.put("iat", now);
        claims.put("exp", now + lifetime);
        claims.put("iss", "https://iam.cloud.ibm.com/identity");
        claims.put("grant_type", grant);
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
