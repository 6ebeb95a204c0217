package io.jenkins.plugins.icr.testbed;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Vulnerability Advisor v4's image reports, as IBM's API documents them and its Java SDK models them: {@code GET
 * /va/api/v4/report/image/status/{name}} ({@code ScanreportSummary}) and {@code /va/api/v4/report/image/{name}}
 * ({@code ScanReport}), the name one path segment as the SDK encodes it. It takes only unexpired tokens of the IAM
 * emulator, with an {@code Account} header naming the token's own account, and it judges the image actually in
 * the registry: the name is looked up there, so an image that was never pushed is unknown, and a test's verdict
 * is scripted per digest (or per repository) with the scan pending for as many polls as the test wants.
 */
public final class VaEmulator implements AutoCloseable {

    private static final String PREFIX = "/va/api/v4/report/image/";
    private static final String MANIFESTS = String.join(", ", "application/vnd.oci.image.index.v1+json",
            "application/vnd.oci.image.manifest.v1+json", "application/vnd.docker.distribution.manifest.v2+json");

    /** How a scan that has not finished answers. */
    public enum Pending {
        /** HTTP 404 with {@code BXNVA0009E ... has not been scanned. Try again later.}, as IBM's FAQ shows. */
        NOT_SCANNED,
        /** HTTP 200 with status {@code UNSCANNED}. */
        UNSCANNED,
        /** HTTP 200 with status {@code INCOMPLETE}. */
        INCOMPLETE
    }

    /** A vulnerable package and the version that fixes it ({@code ScanresultPackageFixes}). */
    public record Fix(String packageName, String installedVersion, String fixVersion) {}

    /** A security notice that fixes a CVE ({@code ScanresultSecurityNotice}). */
    public record Notice(String id, boolean exempt, List<Fix> packages) {}

    /**
     * A CVE ({@code ScanresultCVE}); {@code exemptStatus} is {@code active}, {@code partial} or {@code exempt}.
     */
    public record Cve(String id, String summary, String exemptStatus, List<Notice> notices) {

        public static Cve of(String id, String packageName, String installed, String fixed) {
            return new Cve(id, "Summary of " + id + ".", "active",
                    List.of(new Notice("DSA-" + id.substring(id.length() - 4) + "-1", false,
                            List.of(new Fix(packageName, installed, fixed)))));
        }

        /** The same CVE, exempted by a policy of the account. */
        public Cve exempt() {
            return new Cve(id, summary, "exempt", notices.stream()
                    .map(n -> new Notice(n.id(), true, n.packages())).toList());
        }
    }

    /** What VA answers for an image: pending for some polls, then a status and its vulnerabilities. */
    public record Scan(int pendingPolls, Pending pendingAs, String status, List<Cve> vulnerabilities) {

        public static Scan of(String status, Cve... vulnerabilities) {
            return new Scan(0, Pending.NOT_SCANNED, status, List.of(vulnerabilities));
        }

        public Scan pendingFor(int polls, Pending as) {
            return new Scan(polls, as, status, vulnerabilities);
        }
    }

    /** One request as a test may assert on it; never its token. */
    public record Request(String rawPath, String name, String account, int status) {}

    private final HttpServer server;
    private final ExecutorService executor = Http.executor("va-emulator");
    private final TestPki pki;
    private final IamEmulator iam;
    private final String registryHost;
    private final HttpClient registry;
    private final Map<String, Scan> scans = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> polls = new ConcurrentHashMap<>();
    private final Set<String> refusedAccounts = ConcurrentHashMap.newKeySet();
    private final List<Request> requests = new CopyOnWriteArrayList<>();

    VaEmulator(TestPki pki, IamEmulator iam, String registryHost) throws IOException, GeneralSecurityException {
        this.pki = pki;
        this.iam = iam;
        this.registryHost = registryHost;
        this.registry = HttpClient.newBuilder().sslContext(pki.clientContext())
                .connectTimeout(Duration.ofSeconds(5)).build();
        this.server = Http.server(pki.serverContext(), executor);
        server.createContext(PREFIX, this::report);
        server.start();
    }

    /** VA's base URL: in ICR the registry's own host, here a port of its own. */
    public String endpoint() {
        return "https://127.0.0.1:" + server.getAddress().getPort();
    }

    /** What VA says about an image from now on, keyed by its digest ({@code sha256:...}) or its repository. */
    public void script(String digestOrRepository, Scan scan) {
        scans.put(digestOrRepository, scan);
        polls.remove(digestOrRepository);
    }

    /** Answers 403 to this account, as VA does when the account may not use it. */
    public void refuseAccount(String accountId) {
        refusedAccounts.add(accountId);
    }

    public List<Request> requests() {
        return List.copyOf(requests);
    }

    private void report(HttpExchange exchange) throws IOException {
        try (exchange) {
            String raw = exchange.getRequestURI().getRawPath().substring(PREFIX.length());
            boolean status = raw.startsWith("status/");
            String segment = status ? raw.substring("status/".length()) : raw;
            String name = URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8);
            String account = exchange.getRequestHeaders().getFirst("Account");
            Reply reply = answer(exchange, status, segment, name, account);
            // Recorded before the answer leaves, so that a test reading requests() after its call sees it.
            requests.add(new Request(exchange.getRequestURI().getRawPath(), name, account, reply.status()));
            Http.json(exchange, reply.status(), reply.body());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (GeneralSecurityException e) {
            throw new IOException(e);
        }
    }

    /** What the emulator answers, before it is sent. */
    private record Reply(int status, Object body) {}

    private Reply answer(HttpExchange exchange, boolean status, String segment, String name, String account)
            throws IOException, InterruptedException, GeneralSecurityException {
        if (!"GET".equals(exchange.getRequestMethod())) {
            return error(405, "method_not_allowed", "Use GET.");
        }
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        String token = authorization != null && authorization.startsWith("Bearer ") ? authorization.substring(7) : "";
        if (!iam.acceptsAccessToken(token)) {
            return error(401, "not_authorized", "The IAM token is missing, expired or not valid.");
        }
        if (account == null || account.isBlank()) {
            return error(400, "missing_account", "The Account header is required.");
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> tokenAccount = (Map<String, Object>) Jwt.claims(token).get("account");
        if (tokenAccount == null || !account.equals(tokenAccount.get("bss"))) {
            return error(401, "not_authorized", "The IAM token is not valid for account " + account + ".");
        }
        if (refusedAccounts.contains(account)) {
            return error(403, "forbidden", "Account " + account + " may not use Vulnerability Advisor.");
        }
        Optional<String> digest = segment.contains("/") ? Optional.empty() : digestInRegistry(name);
        if (digest.isEmpty()) {
            return error(404, "not_found", "The image " + name + " was not found.");
        }
        String repository = repository(name);
        String key = scans.containsKey(digest.get()) ? digest.get() : repository;
        Scan scan = scans.getOrDefault(key, Scan.of("OK"));
        AtomicInteger counter = polls.computeIfAbsent(key, k -> new AtomicInteger());
        int poll = status ? counter.incrementAndGet() : counter.get();
        if (scan.pendingPolls() > 0 && poll <= scan.pendingPolls()) {
            if (scan.pendingAs() == Pending.NOT_SCANNED) {
                return error(404, "BXNVA0009E", name + " has not been scanned. Try again later.");
            }
            return new Reply(200, summary(scan.pendingAs().name(), List.of()));
        }
        return new Reply(200, status ? summary(scan.status(), scan.vulnerabilities()) : fullReport(digest.get(), scan));
    }

    /** The digest the registry holds for {@code host/repository:tag} or {@code ...@digest}, if it holds the image. */
    private Optional<String> digestInRegistry(String name) throws IOException, InterruptedException,
            GeneralSecurityException {
        if (!name.startsWith(registryHost + "/")) {
            return Optional.empty();
        }
        String repository = repository(name);
        String path = name.substring(registryHost.length() + 1);
        int at = path.indexOf('@');
        String reference = at >= 0 ? path.substring(at + 1)
                : path.lastIndexOf(':') > path.lastIndexOf('/') ? path.substring(path.lastIndexOf(':') + 1) : "latest";
        String token = TokenService.registryToken(repository, pki.tokenKey(), pki.tokenCertificateX509());
        HttpResponse<Void> manifest = registry.send(HttpRequest.newBuilder(
                        URI.create("https://" + registryHost + "/v2/" + repository + "/manifests/" + reference))
                .header("Authorization", "Bearer " + token).header("Accept", MANIFESTS)
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.discarding());
        return manifest.statusCode() == 200 ? manifest.headers().firstValue("Docker-Content-Digest") : Optional.empty();
    }

    private String repository(String name) {
        String path = name.substring(Math.min(name.length(), registryHost.length() + 1));
        int at = path.indexOf('@');
        path = at >= 0 ? path.substring(0, at) : path;
        int colon = path.lastIndexOf(':');
        return colon > path.lastIndexOf('/') ? path.substring(0, colon) : path;
    }

    /** {@code ScanreportSummary}: vulnerability_count counts the CVEs that are not exempt. */
    private static Map<String, Object> summary(String status, List<Cve> vulnerabilities) {
        long exempt = vulnerabilities.stream().filter(c -> c.exemptStatus().equals("exempt")).count();
        long active = vulnerabilities.size() - exempt;
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("configuration_issue_count", 0);
        body.put("exempt_configuration_issue_count", 0);
        body.put("exempt_issue_count", exempt);
        body.put("exempt_vulnerability_count", exempt);
        body.put("issue_count", active);
        body.put("scan_time", Instant.now().getEpochSecond());
        body.put("status", status);
        body.put("vulnerability_count", active);
        return body;
    }

    /** {@code ScanReport}, with {@code ScanresultCVE}, {@code ScanresultSecurityNotice} and package fixes. */
    private static Map<String, Object> fullReport(String digest, Scan scan) {
        List<Map<String, Object>> cves = new ArrayList<>();
        for (Cve cve : scan.vulnerabilities()) {
            List<Map<String, Object>> notices = new ArrayList<>();
            for (Notice n : cve.notices()) {
                List<Map<String, Object>> packages = new ArrayList<>();
                for (Fix f : n.packages()) {
                    packages.add(Map.of("package_name", f.packageName(), "installed_version", f.installedVersion(),
                            "fix_version", f.fixVersion(), "corrective_action", "Upgrade " + f.packageName()
                                    + " to at least version " + f.fixVersion(), "description", cve.summary()));
                }
                notices.add(Map.of("notice_id", n.id(), "notice", "https://security-tracker.debian.org/" + n.id(),
                        "notice_exempt", n.exempt(), "summary", cve.summary(), "vulnerable_packages", packages));
            }
            long exemptNotices = cve.notices().stream().filter(Notice::exempt).count();
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("cve_exempt", cve.exemptStatus().equals("exempt"));
            body.put("cve_id", cve.id());
            body.put("exempt_security_notice_count", exemptNotices);
            body.put("exempt_status", cve.exemptStatus());
            body.put("security_notice_count", cve.notices().size() - exemptNotices);
            body.put("security_notices", notices);
            body.put("summary", cve.summary());
            body.put("total_security_notice_count", cve.notices().size());
            cves.add(body);
        }
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("configuration_issues", List.of());
        report.put("id", digest.substring(digest.indexOf(':') + 1, digest.indexOf(':') + 13) + "-va4");
        if (!scan.status().equals("UNSUPPORTED")) {
            report.put("os_distribution", Map.of("distribution_id", "debian", "version_id", "12",
                    "version_code_name", "bookworm"));
        }
        report.put("scan_time", Instant.now().getEpochSecond());
        report.put("status", scan.status());
        report.put("vulnerabilities", cves);
        return report;
    }

    /** The error form of IBM's API handbook, with a trace id. */
    private static Reply error(int status, String code, String message) {
        return new Reply(status, Map.of("errors", List.of(Map.of("code", code, "message", message)),
                "trace", UUID.randomUUID().toString()));
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
