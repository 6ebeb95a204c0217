package io.jenkins.plugins.icr.testbed;

import io.jenkins.plugins.icr.agent.Command;
import io.jenkins.plugins.icr.agent.CommandResult;
import io.jenkins.plugins.icr.agent.LocalCommands;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * The closest thing to IBM Cloud Container Registry that runs offline: the real Debian {@code docker-registry}
 * with TLS and token authentication configured as ICR has it, the token service at its realm, the IAM emulator
 * behind both, and Vulnerability Advisor's reports of the images pushed. Everything listens on loopback, on free
 * ports, and stops on {@link #close()}; the registry process also ends by itself after half an hour, should the
 * test JVM die before it can stop it.
 */
public final class IcrTestbed implements AutoCloseable {

    /** The registry's {@code service} parameter, as ICR names it. */
    public static final String SERVICE = "registry";

    private static final Duration READY_WITHIN = Duration.ofSeconds(20);

    private final Path dir;
    private final TestPki pki;
    private final IamEmulator iam;
    private final TokenService tokens;
    private final VaEmulator va;
    private final Process registry;
    private final int port;

    private IcrTestbed(Path dir) throws IOException, InterruptedException, GeneralSecurityException {
        Installed.require("docker-registry", "docker-registry");
        Installed.require("openssl", "openssl");
        this.dir = dir;
        this.pki = TestPki.create(dir.resolve("pki"));
        this.iam = IamEmulator.start(pki.tokenKey());
        this.tokens = new TokenService(pki, iam);
        this.port = freePort();
        Path config = dir.resolve("registry.yml");
        Files.writeString(config, String.join("\n",
                "version: 0.1",
                "log:",
                "  level: warn",
                "  accesslog:",
                "    disabled: true",
                "storage:",
                "  filesystem:",
                "    rootdirectory: " + dir.resolve("storage"),
                "  delete:",
                "    enabled: true",
                "http:",
                "  addr: 127.0.0.1:" + port,
                "  secret: " + UUID.randomUUID(),
                "  relativeurls: true",
                "  tls:",
                "    certificate: " + pki.serverCertificate(),
                "    key: " + pki.serverKey(),
                "auth:",
                "  token:",
                "    realm: " + tokens.realm(),
                "    service: " + SERVICE,
                "    issuer: " + TokenService.ISSUER,
                "    rootcertbundle: " + pki.tokenCertificate(),
                ""));
        this.registry = new ProcessBuilder("timeout", "-k", "5", "1800", "docker-registry", "serve", config.toString())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("registry.log").toFile())
                .start();
        awaitReady();
        this.va = new VaEmulator(pki, iam, host());
    }

    /** Starts a testbed in a new folder under the system's temporary folder. */
    public static IcrTestbed start() throws IOException, InterruptedException, GeneralSecurityException {
        return new IcrTestbed(Files.createTempDirectory("icr-testbed"));
    }

    /** The registry's host as clients name it: {@code 127.0.0.1:PORT}. */
    public String host() {
        return "127.0.0.1:" + port;
    }

    public TestPki pki() {
        return pki;
    }

    public IamEmulator iam() {
        return iam;
    }

    public TokenService tokenService() {
        return tokens;
    }

    /** Vulnerability Advisor's image reports, for the images pushed to this registry. */
    public VaEmulator va() {
        return va;
    }

    /** A new API key of a new service ID, known to IAM and so accepted by the registry. */
    public String newApiKey() {
        return iam.createApiKey(IamEmulator.Identity.serviceId("testbed-" + UUID.randomUUID(), "acct-testbed"));
    }

    /**
     * Pushes a new tiny image (its content makes its digest) to {@code repository:tag} with skopeo, logged in with
     * the key; returns the digest the push printed, as a pipeline would gate on it.
     */
    public String push(String apiKey, String repository, String tag, String content) throws IOException,
            InterruptedException {
        Installed.require("skopeo", "skopeo");
        Path folder = newFolder("push");
        Path certs = Files.createDirectories(folder.resolve("certs"));
        Files.copy(pki.caCertificate(), certs.resolve("ca.crt"));
        Path auth = folder.resolve("auth.json");
        String basic = Base64.getEncoder().encodeToString(("iamapikey:" + apiKey).getBytes(
                StandardCharsets.UTF_8));
        Files.writeString(auth, "{\"auths\":{\"" + host() + "\":{\"auth\":\"" + basic + "\"}}}");
        Path digest = folder.resolve("digest");
        CommandResult push = new LocalCommands().run(Command.of(
                List.of("skopeo", "copy", "--authfile", auth.toString(), "--dest-cert-dir",
                        certs.toString(), "--digestfile", digest.toString(), TestImage.create(folder, content),
                        "docker://" + host() + "/" + repository + ":" + tag), Map.of()));
        if (!push.succeeded()) {
            throw new IOException("skopeo could not push " + repository + ":" + tag + ": " + push.output());
        }
        return Files.readString(digest).strip();
    }

    /** A folder for a test's own files, deleted with the testbed. */
    public Path newFolder(String prefix) throws IOException {
        return Files.createTempDirectory(dir, prefix);
    }

    /** {@code GET /v2/} with what the registry says, trusting the testbed's CA. */
    public HttpResponse<String> get(String path, String bearerToken) throws IOException, InterruptedException,
            GeneralSecurityException {
        HttpClient client = HttpClient.newBuilder().sslContext(pki.clientContext())
                .connectTimeout(Duration.ofSeconds(5)).build();
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("https://" + host() + path))
                .timeout(Duration.ofSeconds(10));
        if (bearerToken != null) {
            request.header("Authorization", "Bearer " + bearerToken);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private void awaitReady() throws IOException, InterruptedException, GeneralSecurityException {
        long deadline = System.nanoTime() + READY_WITHIN.toNanos();
        IOException last = null;
        while (System.nanoTime() < deadline) {
            if (!registry.isAlive()) {
                throw new IOException("docker-registry exited with " + registry.exitValue() + ": "
                        + Files.readString(dir.resolve("registry.log")));
            }
            try {
                if (get("/v2/", null).statusCode() == 401) {
                    return;
                }
            } catch (IOException e) {
                last = e;
            }
            Thread.sleep(25);
        }
        close();
        throw new IOException("docker-registry did not answer within " + READY_WITHIN.toSeconds() + " s", last);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    @Override
    public void close() throws IOException {
        registry.descendants().forEach(ProcessHandle::destroyForcibly);
        registry.destroyForcibly();
        if (va != null) {
            va.close();
        }
        tokens.close();
        iam.close();
        try (Stream<Path> all = Files.walk(dir)) {
            all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
