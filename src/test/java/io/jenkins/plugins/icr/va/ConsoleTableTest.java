package io.jenkins.plugins.icr.va;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.jenkins.plugins.icr.region.RegionResolver;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The console's few lines, from a report in the form IBM's SDK documents, row by row. */
class ConsoleTableTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void theWorstCvesComeFirstAndTheRestAreCounted() throws Exception {
        ScanReport report = ScanReport.of(JSON.readTree("""
                {"id": "r1", "status": "FAIL", "scan_time": 1764064800,
                 "os_distribution": {"distribution_id": "ubuntu", "version_id": "24.04", "version_code_name": "noble"},
                 "vulnerabilities": [
                   {"cve_id": "CVE-2023-0009", "exempt_status": "exempt", "summary": "s",
                    "security_notices": [{"notice_id": "USN-1", "vulnerable_packages": [
                      {"package_name": "tar", "installed_version": "1.35", "fix_version": "1.35+dfsg-3"}]}]},
                   {"cve_id": "CVE-2024-0002", "exempt_status": "partial", "summary": "s",
                    "security_notices": [{"notice_id": "USN-2", "vulnerable_packages": [
                      {"package_name": "curl", "installed_version": "8.5.0-2", "fix_version": "8.5.0-2ubuntu10.6"}]}]},
                   {"cve_id": "CVE-2024-0001", "cve_exempt": false, "summary": "s",
                    "security_notices": [
                      {"notice_id": "USN-3", "vulnerable_packages": [
                        {"package_name": "libssl3", "installed_version": "3.0.13-0ubuntu3", "fix_version": "3.0.13-0ubuntu3.5"},
                        {"package_name": "openssl", "installed_version": "3.0.13-0ubuntu3", "fix_version": "3.0.13-0ubuntu3.5"}]},
                      {"notice_id": "USN-4", "vulnerable_packages": [
                        {"package_name": "openssl", "installed_version": "3.0.13-0ubuntu3", "fix_version": "3.0.13-0ubuntu3.5"}]}]}
                 ]}"""));
        ScanSummary summary = ScanSummary.of(JSON.readTree("""
                {"status": "FAIL", "vulnerability_count": 2, "exempt_vulnerability_count": 1, "scan_time": 1764064800}"""));
        ImageReference image = ImageReference.parse("us.icr.io/ns/app:1", null, RegionResolver.standard());
        Assessment a = new Assessment(image, "sha256:" + "0".repeat(64), VaStatus.FAIL, summary, report,
                Outcome.FAILURE, "onFail");
        assertEquals(List.of(
                "Vulnerability Advisor: FAIL for us.icr.io/ns/app:1 (ubuntu 24.04 (noble), 2025-11-25 10:00 UTC)",
                "  vulnerabilities 2, exempt 1 (as Vulnerability Advisor counts them); packages to update: 3",
                "  CVE            package  installed        fixed in           exempt",
                "  CVE-2024-0001  libssl3  3.0.13-0ubuntu3  3.0.13-0ubuntu3.5  no",
                "  CVE-2024-0001  openssl  3.0.13-0ubuntu3  3.0.13-0ubuntu3.5  no",
                "  CVE-2024-0002  curl     8.5.0-2          8.5.0-2ubuntu10.6  partly",
                "  ... and 1 more on the build's Vulnerability Advisor page."), ConsoleTable.render(a, 3));
        assertEquals(List.of("USN-3", "USN-4"), a.worstFirst().get(0).notices());
    }
}
