package io.jenkins.plugins.icr.va;

import io.jenkins.plugins.icr.FrontEnd;
import io.jenkins.plugins.icr.Text;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * Vulnerability Advisor's verdict on one image and what it does to the build: what the console table and the
 * build's report page show.
 *
 * @param digest the digest the registry holds for the image now: the image that was judged
 * @param option the option that decided the outcome ({@code onFail}, {@code onWarn}, {@code onUnsupported})
 */
public record Assessment(ImageReference image, String digest, VaStatus status, ScanSummary summary,
        ScanReport report, Outcome outcome, String option) {

    /** Active CVEs before partly exempt ones before exempt ones; then those with most packages; newest first. */
    private static final Comparator<ScanReport.Vulnerability> WORST_FIRST =
            Comparator.comparing(ScanReport.Vulnerability::exemption)
                    .thenComparing(v -> -v.packages().size())
                    .thenComparing(ScanReport.Vulnerability::cveId, Comparator.reverseOrder());

    public Assessment {
        Objects.requireNonNull(image, "image");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(outcome, "outcome");
    }

    /** The CVEs, worst first (VA v4 rates no severity: exemption, then reach, decide). */
    public List<ScanReport.Vulnerability> worstFirst() {
        return report.vulnerabilities().stream().sorted(WORST_FIRST).toList();
    }

    /** How many distinct packages need an update to clear the CVEs that are not exempt. */
    public long packagesToUpdate() {
        return report.vulnerabilities().stream().filter(v -> v.exemption() != ScanReport.Exemption.EXEMPT)
                .flatMap(v -> v.packages().stream()).map(ScanReport.PackageFix::name).distinct().count();
    }

    /** One sentence: VA's verdict and the build result it gives, with the step's option that chose it. */
    public String verdict() {
        return verdict(FrontEnd.JENKINS);
    }

    /** The same sentence, naming the result and the option as {@code frontEnd} does. */
    public String verdict(FrontEnd frontEnd) {
        String image = image().name().equals(image().host() + "/" + image().repository() + "@" + digest)
                ? image().name() : image().name() + " (" + digest + ")";
        if (status == VaStatus.OK) {
            return Text.get("va.verdict.ok", image);
        }
        String verdict = Text.get(frontEnd, "va.verdict", image, status,
                Text.option(frontEnd, "result" + outcome.name()), Text.option(frontEnd, option));
        return status == VaStatus.UNSUPPORTED ? Text.get("va.unsupported", image) + " " + verdict : verdict;
    }
}
