package io.jenkins.plugins.icr.va;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.Optional;

/**
 * Vulnerability Advisor's status of an image ({@code GET /va/api/v4/report/image/status/{name}}, the SDK's
 * {@code ScanreportSummary}): the status and VA's own counts, exemptions applied as VA applies them.
 *
 * @param status VA's word, kept as sent; {@link #known()} reads it
 * @param vulnerabilities {@code vulnerability_count}
 * @param exemptVulnerabilities {@code exempt_vulnerability_count}
 * @param issues {@code issue_count}
 * @param exemptIssues {@code exempt_issue_count}
 * @param scanTime {@code scan_time}: when VA last checked its vulnerability data for the image
 */
public record ScanSummary(String status, long vulnerabilities, long exemptVulnerabilities, long issues,
        long exemptIssues, Optional<Instant> scanTime) {

    static ScanSummary of(JsonNode json) {
        return new ScanSummary(json.path("status").asText(""), json.path("vulnerability_count").asLong(0),
                json.path("exempt_vulnerability_count").asLong(0), json.path("issue_count").asLong(0),
                json.path("exempt_issue_count").asLong(0), epochSeconds(json.path("scan_time")));
    }

    public Optional<VaStatus> known() {
        return VaStatus.of(status);
    }

    static Optional<Instant> epochSeconds(JsonNode node) {
        return node.canConvertToLong() && node.asLong() > 0 ? Optional.of(Instant.ofEpochSecond(node.asLong()))
                : Optional.empty();
    }
}
