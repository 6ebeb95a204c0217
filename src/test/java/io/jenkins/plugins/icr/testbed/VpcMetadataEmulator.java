package io.jenkins.plugins.icr.testbed;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A VPC virtual server's instance metadata service, its identity operations as IBM's VPC instance authenticator
 * calls them: {@code PUT /instance_identity/v1/token?version=...} with {@code Metadata-Flavor: ibm} gives an
 * instance identity token; {@code POST /instance_identity/v1/iam_token?version=...} with it as a bearer and {@code
 * {"trusted_profile":{"id"|"crn"}}} gives an IAM token of a profile linked to this instance, issued by the {@link
 * IamEmulator} so that the registry accepts it. Plain HTTP on loopback, on a free port, as the real one is plain
 * HTTP on a link-local address.
 */
public final class VpcMetadataEmulator implements AutoCloseable {

    /** The error code of a profile that is not linked to this instance: assumed, in the VPC API's error shape. */
    public static final String NOT_LINKED = "trusted_profile_not_linked";

    private static final SecureRandom RANDOM = new SecureRandom();

    private final HttpServer server;
    private final ExecutorService executor = Http.executor("vpc-metadata-emulator");
    private final IamEmulator iam;
    private final Set<String> linkedProfiles = ConcurrentHashMap.newKeySet();
    private final Map<String, Long> identityTokens = new ConcurrentHashMap<>();
    private final AtomicInteger iamTokens = new AtomicInteger();

    private VpcMetadataEmulator(IamEmulator iam) throws IOException {
        this.iam = iam;
        this.server = Http.server(null, executor);
        server.createContext("/instance_identity/v1/token", this::identityToken);
        server.createContext("/instance_identity/v1/iam_token", this::iamToken);
        server.start();
    }

    public static VpcMetadataEmulator start(IamEmulator iam) throws IOException {
        return new VpcMetadataEmulator(iam);
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Links a trusted profile to this instance, as {@code --cr-type VSI} links do. */
    public void link(IamEmulator.Profile profile) {
        linkedProfiles.add(profile.id());
    }

    /** How many IAM tokens this instance was given. */
    public int iamTokenCount() {
        return iamTokens.get();
    }

    private void identityToken(HttpExchange exchange) throws IOException {
        try (exchange) {
            exchange.getRequestBody().readAllBytes();
            if (!"PUT".equals(exchange.getRequestMethod())) {
                error(exchange, 405, "method_not_allowed", "Use PUT.");
            } else if (!"ibm".equals(exchange.getRequestHeaders().getFirst("Metadata-Flavor"))) {
                error(exchange, 400, "missing_metadata_flavor", "The Metadata-Flavor: ibm header is required.");
            } else if (version(exchange) == null) {
                error(exchange, 400, "missing_version", "The version query parameter is required.");
            } else {
                byte[] random = new byte[32];
                RANDOM.nextBytes(random);
                String token = Secrets.used("iit-" + Base64.getUrlEncoder().withoutPadding().encodeToString(random));
                long expires = Instant.now().getEpochSecond() + 300;
                identityTokens.put(Secrets.fingerprint(token), expires);
                Http.json(exchange, 200, Map.of("access_token", token, "created_at", Instant.now().toString(),
                        "expires_at", Instant.ofEpochSecond(expires).toString(), "expires_in", 300));
            }
        }
    }

    private void iamToken(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body = exchange.getRequestBody().readAllBytes();
            String authorization = exchange.getRequestHeaders().getFirst("Authorization");
            Long expires = authorization == null || !authorization.startsWith("Bearer ") ? null
                    : identityTokens.get(Secrets.fingerprint(authorization.substring(7)));
            if (!"POST".equals(exchange.getRequestMethod())) {
                error(exchange, 405, "method_not_allowed", "Use POST.");
                return;
            }
            if (version(exchange) == null) {
                error(exchange, 400, "missing_version", "The version query parameter is required.");
                return;
            }
            if (expires == null || expires <= Instant.now().getEpochSecond()) {
                error(exchange, 401, "invalid_token", "The instance identity token is missing, invalid or expired.");
                return;
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> request = body.length == 0 ? Map.of()
                    : Http.JSON.readValue(new String(body, StandardCharsets.UTF_8), Map.class);
            @SuppressWarnings("unchecked")
            Map<String, Object> wanted = (Map<String, Object>) request.getOrDefault("trusted_profile", Map.of());
            Object ref = wanted.containsKey("id") ? wanted.get("id") : wanted.get("crn");
            IamEmulator.Profile profile = ref == null ? null : iam.profile(String.valueOf(ref));
            if (profile == null || !linkedProfiles.contains(profile.id())) {
                error(exchange, 400, NOT_LINKED, "The trusted profile is not linked to this instance.");
                return;
            }
            Map<String, Object> token = iam.profileToken(profile, "urn:ibm:params:oauth:grant-type:cr-token");
            iamTokens.incrementAndGet();
            long expiresIn = ((Number) token.get("expires_in")).longValue();
            Http.json(exchange, 201, Map.of("access_token", token.get("access_token"),
                    "created_at", Instant.now().toString(),
                    "expires_at", Instant.now().plusSeconds(expiresIn).toString(), "expires_in", expiresIn));
        } catch (GeneralSecurityException e) {
            throw new IOException(e);
        }
    }

    private static String version(HttpExchange exchange) {
        return Http.first(Http.parameters(exchange.getRequestURI().getRawQuery()), "version");
    }

    private static void error(HttpExchange exchange, int status, String code, String message) throws IOException {
        Http.json(exchange, status, Map.of("errors", List.of(Map.of("code", code, "message", message)),
                "trace", Long.toHexString(RANDOM.nextLong())));
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
