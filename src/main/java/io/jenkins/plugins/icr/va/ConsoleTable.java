package io.jenkins.plugins.icr.va;

import io.jenkins.plugins.icr.FrontEnd;
import io.jenkins.plugins.icr.Text;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/** The few lines a build's console shows for an {@link Assessment}: status, counts, the worst CVEs. */
public final class ConsoleTable {

    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")
            .withZone(ZoneOffset.UTC);
    private static final int WIDEST = 40;

    private ConsoleTable() {}

    /** @param rows at most this many CVE and package rows; the rest are counted */
    public static List<String> render(Assessment a, int rows) {
        return render(FrontEnd.JENKINS, a, rows);
    }

    /** The same, saying where the rows left out are in the words of {@code frontEnd}. */
    public static List<String> render(FrontEnd frontEnd, Assessment a, int rows) {
        List<String> lines = new ArrayList<>();
        String scanned = a.report().os().map(os -> os + ", ").orElse("")
                + a.report().scanTime().or(() -> a.summary().scanTime()).map(WHEN::format).orElse("-");
        lines.add(Text.get("va.table.title", a.status(), a.image().name(), scanned));
        lines.add("  " + Text.get("va.table.counts", a.summary().vulnerabilities(), a.summary().exemptVulnerabilities(),
                a.packagesToUpdate()));
        List<String[]> table = new ArrayList<>();
        table.add(Text.get("va.table.columns").split("\\|"));
        int shown = 0;
        int pairs = 0;
        for (ScanReport.Vulnerability v : a.worstFirst()) {
            List<ScanReport.PackageFix> packages = v.packages().isEmpty()
                    ? List.of(new ScanReport.PackageFix("-", "", "")) : v.packages();
            for (ScanReport.PackageFix p : packages) {
                pairs++;
                if (shown < rows) {
                    table.add(new String[] {v.cveId(), p.name(), p.installedVersion(), p.fixVersion(),
                            Text.get("va.table.exempt." + v.exemption())});
                    shown++;
                }
            }
        }
        if (table.size() > 1) {
            lines.addAll(aligned(table));
        }
        if (pairs > shown) {
            lines.add("  " + Text.get(frontEnd, "va.table.more", pairs - shown));
        }
        return lines;
    }

    private static List<String> aligned(List<String[]> table) {
        int[] widths = new int[table.get(0).length];
        for (String[] row : table) {
            for (int i = 0; i < row.length; i++) {
                widths[i] = Math.min(WIDEST, Math.max(widths[i], row[i].length()));
            }
        }
        List<String> lines = new ArrayList<>();
        for (String[] row : table) {
            StringBuilder line = new StringBuilder(" ");
            for (int i = 0; i < row.length; i++) {
                String cell = row[i].length() > WIDEST ? row[i].substring(0, WIDEST - 1) + "…" : row[i];
                line.append(' ').append(cell).append(" ".repeat(widths[i] - cell.length() + 1));
            }
            lines.add(line.toString().stripTrailing());
        }
        return lines;
    }
}
