package io.jenkins.plugins.icr.cli;

import io.jenkins.plugins.icr.FrontEnd;
import io.jenkins.plugins.icr.Text;
import io.jenkins.plugins.icr.va.GatePolicy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code icr-login va IMAGE [OPTION...]}, parsed: the image, the key and connection options the login has, and what
 * each of Vulnerability Advisor's verdicts does to the exit status.
 */
record VaOptions(String image, Optional<String> region, boolean privateEndpoint, boolean customHost, String keyEnv,
        Optional<Path> keyFile, Optional<Path> caFile, Optional<String> iamEndpoint, Optional<String> vaEndpoint,
        GatePolicy policy, boolean json) {

    private static final Set<String> FLAGS = Set.of("--json");
    private static final Set<String> VALUED = Set.of("--on-fail", "--on-warn", "--on-unsupported", "--timeout",
            "--va-endpoint");
    /** {@code 90s}, {@code 10m}, {@code 1h}; a bare number is minutes, as the step's {@code timeout} is. */
    private static final Pattern TIME = Pattern.compile("([0-9]{1,5})([smh]?)");

    static final String USAGE = "usage: icr-login va IMAGE [--region REGION] [--on-fail|--on-warn|--on-unsupported "
            + "fail|warn|pass] [--timeout 10m] [--json] [OPTION...]";

    static final String HELP = String.join("\n",
            USAGE,
            "",
            "Waits for IBM Cloud Container Registry's Vulnerability Advisor to scan IMAGE (HOST/NAMESPACE/REPOSITORY",
            "with @sha256:DIGEST or :TAG), prints its verdict as a table, and exits by it. The API key is read from",
            "$" + Options.DEFAULT_KEY_ENV + ", as for a login.",
            "",
            "  --on-fail fail|warn|pass         what VA's FAIL does (default fail)",
            "  --on-warn fail|warn|pass         what VA's WARN does (default warn)",
            "  --on-unsupported fail|warn|pass  what an image VA cannot scan does (default warn)",
            "  --timeout TIME           how long to wait for the scan: 90s, 10m (the default), 1h; 0 asks once",
            "  --json                   the verdict and every CVE as JSON on standard output (the table on stderr)",
            "  --region REGION          only for an image named without its host",
            "  --private                ask at the private endpoint, private.<host>",
            "  --iam-endpoint URL, --ca-file FILE, --custom-host, --key-env VAR, --key-file FILE: as for a login",
            "  --va-endpoint URL        VA's https URL, for a registry of your own only (with --custom-host)",
            "",
            "Exit status: 0 passed; 1 failed (by the option for VA's verdict); 2 no verdict (the key, the image,",
            "VA or IAM: the message says); 3 warned; 4 unsupported, warned; 5 timed out; 64 a usage error;",
            "128+N ended by signal N. Every message and its fix: docs/troubleshooting.md.");

    /** @throws IllegalArgumentException saying what is wrong, in the command line's words */
    static VaOptions parse(List<String> args) {
        Flags parsed = Flags.parse(args, FLAGS, VALUED, true);
        if (parsed.end() < args.size()) {
            throw new IllegalArgumentException(Text.get(FrontEnd.CLI, "cli.va.noCommand"));
        }
        if (parsed.operands().size() != 1) {
            throw new IllegalArgumentException(Text.get(FrontEnd.CLI, "cli.va.oneImage",
                    String.join(" ", parsed.operands())));
        }
        Optional<String> written = parsed.value("--timeout");
        GatePolicy policy = GatePolicy.of(FrontEnd.CLI, parsed.value("--on-fail").orElse(null),
                parsed.value("--on-warn").orElse(null), parsed.value("--on-unsupported").orElse(null),
                written.map(VaOptions::time).orElse(null), written.orElse(""));
        return new VaOptions(parsed.operands().get(0), parsed.value("--region"), parsed.has("--private"),
                parsed.has("--custom-host"), parsed.value("--key-env").orElse(Options.DEFAULT_KEY_ENV),
                parsed.value("--key-file").map(Path::of), parsed.value("--ca-file").map(Path::of),
                parsed.value("--iam-endpoint"), parsed.value("--va-endpoint"), policy, parsed.has("--json"));
    }

    /** The time written, or a negative one that {@link GatePolicy} refuses with the option's words. */
    private static Duration time(String written) {
        Matcher m = TIME.matcher(written.strip().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            return Duration.ofSeconds(-1);
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "s" -> Duration.ofSeconds(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofMinutes(n);
        };
    }
}
