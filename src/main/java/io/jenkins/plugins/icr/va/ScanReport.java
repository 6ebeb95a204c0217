package io.jenkins.plugins.icr.va;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Vulnerability Advisor's full report of an image ({@code GET /va/api/v4/report/image/{name}}, the SDK's {@code
 * ScanReport}), reduced to what a build shows: each CVE with the packages that fix it. VA v4 rates no severity:
 * its report has none to show.
 *
 * @param os the primary operating system VA found, such as {@code debian 12 (bookworm)}
 */
public record ScanReport(String id, String status, Optional<Instant> scanTime, Optional<String> os,
        List<Vulnerability> vulnerabilities) {

    public ScanReport {
        vulnerabilities = List.copyOf(vulnerabilities);
    }

    /** How VA applies exemptions to one CVE ({@code exempt_status}). */
    public enum Exemption {
        /** Neither the CVE nor any of its security notices is exempt. */
        ACTIVE,
        /** Some of its security notices are exempt, not all. */
        PARTIAL,
        /** The CVE, or every security notice for it, is exempt. */
        EXEMPT
    }

    /**
     * One CVE ({@code ScanresultCVE}) and the package updates that fix it, from its security notices.
     *
     * @param notices the ids of the security notices that fix it, such as {@code DSA-5678-1}
     */
    public record Vulnerability(String cveId, String summary, Exemption exemption, List<String> notices,
            List<PackageFix> packages) {

        public Vulnerability {
            notices = List.copyOf(notices);
            packages = List.copyOf(packages);
        }
    }

    /** A vulnerable package ({@code ScanresultPackageFixes}): what is installed, and what fixes it. */
    public record PackageFix(String name, String installedVersion, String fixVersion) {}

    static ScanReport of(JsonNode json) {
        List<Vulnerability> vulnerabilities = new ArrayList<>();
        for (JsonNode cve : json.path("vulnerabilities")) {
            vulnerabilities.add(vulnerability(cve));
        }
        JsonNode os = json.path("os_distribution");
        Optional<String> distribution = text(os, "distribution_id").map(d -> d
                + text(os, "version_id").map(v -> " " + v).orElse("")
                + text(os, "version_code_name").map(c -> " (" + c + ")").orElse(""));
        return new ScanReport(json.path("id").asText(""), json.path("status").asText(""),
                ScanSummary.epochSeconds(json.path("scan_time")), distribution, vulnerabilities);
    }

    private static Vulnerability vulnerability(JsonNode cve) {
        List<String> notices = new ArrayList<>();
        Map<String, PackageFix> packages = new LinkedHashMap<>(); // one row per package, though notices repeat them
        for (JsonNode notice : cve.path("security_notices")) {
            text(notice, "notice_id").ifPresent(notices::add);
            for (JsonNode p : notice.path("vulnerable_packages")) {
                String name = text(p, "package_name").orElse("?");
                packages.putIfAbsent(name, new PackageFix(name, text(p, "installed_version").orElse(""),
                        text(p, "fix_version").orElse("")));
            }
        }
        return new Vulnerability(text(cve, "cve_id").orElse("?"), text(cve, "summary").orElse(""), exemption(cve),
                notices, new ArrayList<>(packages.values()));
    }

    /** {@code exempt_status} when VA sends it, {@code cve_exempt} otherwise. */
    private static Exemption exemption(JsonNode cve) {
        return switch (cve.path("exempt_status").asText("")) {
            case "exempt" -> Exemption.EXEMPT;
            case "partial" -> Exemption.PARTIAL;
            case "active" -> Exemption.ACTIVE;
            default -> cve.path("cve_exempt").asBoolean(false) ? Exemption.EXEMPT : Exemption.ACTIVE;
        };
    }

    static Optional<String> text(JsonNode node, String field) {
        JsonNode value = node.path(field);
        return value.isValueNode() && !value.asText().isBlank() ? Optional.of(value.asText()) : Optional.empty();
    }
}
