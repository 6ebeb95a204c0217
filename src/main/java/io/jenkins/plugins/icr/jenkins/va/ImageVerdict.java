package io.jenkins.plugins.icr.jenkins.va;

import io.jenkins.plugins.icr.va.Assessment;
import io.jenkins.plugins.icr.va.ScanReport;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import org.kohsuke.stapler.export.Exported;
import org.kohsuke.stapler.export.ExportedBean;

/**
 * One image's verdict as the build keeps it (in {@code build.xml}) and shows it: on its page and in {@code
 * /api/json}. Plain fields, so that the stored form does not depend on the engine's types.
 */
@ExportedBean(defaultVisibility = 3)
public final class ImageVerdict {

    private final String image;
    private final String digest;
    private final String status;
    private final String result;
    private final String option;
    private final long vulnerabilities;
    private final long exemptVulnerabilities;
    private final long packagesToUpdate;
    private final String os;
    private final long scanTime;
    private final List<Finding> findings;

    private ImageVerdict(Assessment a) {
        this.image = a.image().name();
        this.digest = a.digest();
        this.status = a.status().name();
        this.result = a.outcome().name();
        this.option = a.option();
        this.vulnerabilities = a.summary().vulnerabilities();
        this.exemptVulnerabilities = a.summary().exemptVulnerabilities();
        this.packagesToUpdate = a.packagesToUpdate();
        this.os = a.report().os().orElse(null);
        this.scanTime = a.report().scanTime().or(() -> a.summary().scanTime()).map(Instant::getEpochSecond).orElse(0L);
        List<Finding> rows = new ArrayList<>();
        for (ScanReport.Vulnerability v : a.worstFirst()) {
            String exemption = v.exemption().name().toLowerCase(Locale.ROOT);
            List<ScanReport.PackageFix> packages = v.packages().isEmpty()
                    ? List.of(new ScanReport.PackageFix("", "", "")) : v.packages();
            for (ScanReport.PackageFix p : packages) {
                rows.add(new Finding(v.cveId(), v.summary(), p.name(), p.installedVersion(), p.fixVersion(),
                        exemption));
            }
        }
        this.findings = rows;
    }

    static ImageVerdict of(Assessment a) {
        return new ImageVerdict(a);
    }

    /** The image as checked: {@code host/namespace/repository} with its tag or digest. */
    @Exported
    public String getImage() {
        return image;
    }

    /** The digest the registry held for it: the image that was judged. */
    @Exported
    public String getDigest() {
        return digest;
    }

    /** Vulnerability Advisor's status: OK, WARN, FAIL or UNSUPPORTED. */
    @Exported
    public String getStatus() {
        return status;
    }

    /** The build result the verdict gave: SUCCESS, UNSTABLE or FAILURE. */
    @Exported
    public String getResult() {
        return result;
    }

    /** The option that chose the result: onFail, onWarn or onUnsupported. */
    @Exported
    public String getOption() {
        return option;
    }

    /** Vulnerability Advisor's {@code vulnerability_count}. */
    @Exported
    public long getVulnerabilities() {
        return vulnerabilities;
    }

    /** Vulnerability Advisor's {@code exempt_vulnerability_count}. */
    @Exported
    public long getExemptVulnerabilities() {
        return exemptVulnerabilities;
    }

    @Exported
    public long getPackagesToUpdate() {
        return packagesToUpdate;
    }

    /** The operating system VA found, or {@code null} (UNSUPPORTED). */
    @Exported
    public String getOs() {
        return os;
    }

    /** When VA last checked its vulnerability data for the image, in seconds since 1970; 0 if it did not say. */
    @Exported
    public long getScanTime() {
        return scanTime;
    }

    /** Each CVE with each package that fixes it, worst first. */
    @Exported
    public List<Finding> getFindings() {
        return Collections.unmodifiableList(findings);
    }

    /** One CVE and one of its vulnerable packages. */
    @ExportedBean(defaultVisibility = 4)
    public static final class Finding {

        private final String cve;
        private final String summary;
        private final String packageName;
        private final String installedVersion;
        private final String fixVersion;
        private final String exemption;

        Finding(String cve, String summary, String packageName, String installedVersion, String fixVersion,
                String exemption) {
            this.cve = cve;
            this.summary = summary;
            this.packageName = packageName;
            this.installedVersion = installedVersion;
            this.fixVersion = fixVersion;
            this.exemption = exemption;
        }

        @Exported
        public String getCve() {
            return cve;
        }

        @Exported
        public String getSummary() {
            return summary;
        }

        @Exported
        public String getPackageName() {
            return packageName;
        }

        @Exported
        public String getInstalledVersion() {
            return installedVersion;
        }

        @Exported
        public String getFixVersion() {
            return fixVersion;
        }

        /** {@code active}, {@code partial} or {@code exempt}, as VA applies the account's exemptions. */
        @Exported
        public String getExemption() {
            return exemption;
        }
    }
}
