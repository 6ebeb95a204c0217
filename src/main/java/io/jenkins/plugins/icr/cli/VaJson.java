package io.jenkins.plugins.icr.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jenkins.plugins.icr.FrontEnd;
import io.jenkins.plugins.icr.Text;
import io.jenkins.plugins.icr.va.Assessment;
import io.jenkins.plugins.icr.va.ScanReport;

/**
 * {@code icr-login va --json}: the check's outcome for a machine, on standard output. Always one object with {@code
 * result} and {@code exitCode}; with a verdict, VA's status, counts and every CVE with the packages that fix it
 * (the table shows the worst few), in VA's own order of severity: active before exempt, most packages first.
 */
final class VaJson {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private VaJson() {}

    /** @param result {@code passed}, {@code failed}, {@code warned} or {@code unsupported} */
    static String verdict(Assessment a, String result, int exitCode) {
        ObjectNode json = MAPPER.createObjectNode().put("result", result).put("exitCode", exitCode)
                .put("image", a.image().name()).put("digest", a.digest()).put("status", a.status().name())
                .put("option", Text.option(FrontEnd.CLI, a.option())).put("verdict", a.verdict(FrontEnd.CLI));
        a.report().os().ifPresent(os -> json.put("os", os));
        a.report().scanTime().or(() -> a.summary().scanTime()).ifPresent(t -> json.put("scanTime", t.toString()));
        json.putObject("summary").put("vulnerabilities", a.summary().vulnerabilities())
                .put("exemptVulnerabilities", a.summary().exemptVulnerabilities())
                .put("issues", a.summary().issues()).put("exemptIssues", a.summary().exemptIssues())
                .put("packagesToUpdate", a.packagesToUpdate());
        ArrayNode cves = json.putArray("vulnerabilities");
        for (ScanReport.Vulnerability v : a.worstFirst()) {
            ObjectNode cve = cves.addObject().put("cve", v.cveId()).put("summary", v.summary())
                    .put("exemption", v.exemption().name());
            v.notices().forEach(cve.putArray("notices")::add);
            ArrayNode packages = cve.putArray("packages");
            v.packages().forEach(p -> packages.addObject().put("name", p.name())
                    .put("installed", p.installedVersion()).put("fixedIn", p.fixVersion()));
        }
        return write(json);
    }

    /** @param result {@code timedOut} or {@code error}: no verdict, and why */
    static String noVerdict(String result, int exitCode, String message) {
        return write(MAPPER.createObjectNode().put("result", result).put("exitCode", exitCode).put("message", message));
    }

    private static String write(ObjectNode json) {
        try {
            return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a tree of strings and numbers always writes", e);
        }
    }
}
