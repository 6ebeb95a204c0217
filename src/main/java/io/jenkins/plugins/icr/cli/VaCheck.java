package io.jenkins.plugins.icr.cli;

import io.jenkins.plugins.icr.FrontEnd;
import io.jenkins.plugins.icr.Text;
import io.jenkins.plugins.icr.http.EnvironmentProxy;
import io.jenkins.plugins.icr.iam.IamClient;
import io.jenkins.plugins.icr.iam.TokenCache;
import io.jenkins.plugins.icr.login.LoginCredential;
import io.jenkins.plugins.icr.login.SessionLog;
import io.jenkins.plugins.icr.region.Endpoint;
import io.jenkins.plugins.icr.region.RegionResolver;
import io.jenkins.plugins.icr.va.Assessment;
import io.jenkins.plugins.icr.va.ConsoleTable;
import io.jenkins.plugins.icr.va.ImageReference;
import io.jenkins.plugins.icr.va.VaClient;
import io.jenkins.plugins.icr.va.VaException;
import io.jenkins.plugins.icr.va.VaStatus;
import io.jenkins.plugins.icr.va.VulnerabilityGate;
import java.io.IOException;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code icr-login va IMAGE}: {@code icrVulnerabilityCheck} for other CI systems. The engine's gate waits for
 * Vulnerability Advisor's verdict on the pushed image, as the step does, and the verdict becomes an exit status a
 * CI job can act on, one for each way it can end. The key stays in this process: the check starts no program.
 */
final class VaCheck {

    static final String COMMAND = "va";

    static final int PASSED = 0;
    static final int FAILED = 1;
    /** No verdict: the key, the image, the registry, VA or IAM said no; the login's own code for its failures. */
    static final int NO_VERDICT = IcrLogin.LOGIN_FAILED;
    static final int WARNED = 3;
    static final int UNSUPPORTED = 4;
    static final int TIMED_OUT = 5;
    /** The table's CVE rows; the JSON has them all. */
    private static final int ROWS = 20;

    private final Map<String, String> environment;
    private final PrintStream out;
    private final PrintStream err;
    private final SignalRelay signals;
    private final SessionLog log;

    VaCheck(Map<String, String> environment, PrintStream out, PrintStream err, SignalRelay signals) {
        this.environment = environment;
        this.out = out;
        this.err = err;
        this.signals = signals;
        this.log = IcrLogin.log(err);
    }

    /** @param args what follows {@code va} */
    int run(List<String> args) {
        if (args.contains("--help") || args.contains("-h")) {
            out.println(VaOptions.HELP);
            return PASSED;
        }
        VaOptions options;
        try {
            options = VaOptions.parse(args);
        } catch (IllegalArgumentException e) {
            err.println("icr-login: " + e.getMessage());
            err.println(VaOptions.USAGE);
            return IcrLogin.USAGE;
        }
        try {
            return report(options, check(options));
        } catch (InterruptedException e) {
            return signals.exitCode().orElse(NO_VERDICT); // only a signal interrupts the wait
        } catch (VaException e) {
            return noVerdict(options, e.reason() == VaException.Reason.TIMEOUT ? TIMED_OUT : NO_VERDICT,
                    e.getMessage());
        } catch (Connection.Failure | IOException | IllegalArgumentException e) {
            return noVerdict(options, NO_VERDICT, e.getMessage());
        }
    }

    private Assessment check(VaOptions options)
            throws Connection.Failure, IOException, InterruptedException {
        LoginCredential credential = LoginCredential.apiKey(
                Connection.apiKey(environment, options.keyEnv(), options.keyFile()), FrontEnd.CLI);
        credential.warnings().forEach(log::warn);
        Optional<String> ca = Connection.read(options.caFile());
        if (ca.isPresent() && !ca.get().contains("-----BEGIN CERTIFICATE-----")) {
            throw new IllegalArgumentException(Text.get(FrontEnd.CLI, "ca.invalid"));
        }
        RegionResolver resolver = options.customHost() ? RegionResolver.allowingCustomHosts()
                : RegionResolver.standard();
        ImageReference image = ImageReference.parse(FrontEnd.CLI,
                options.privateEndpoint() ? Endpoint.PRIVATE : Endpoint.PUBLIC, options.image(),
                options.region().orElse(null), resolver);
        image.warnings().forEach(log::warn);
        IamClient iam = Connection.iam(options.iamEndpoint(), ca, environment);
        // The single-flight cache renews the token when a long wait outlives it, as the step's does.
        TokenCache tokens = new TokenCache();
        String key = credential.secret();
        return new VulnerabilityGate(client(options, image, ca), () -> tokens.token(iam, key))
                .check(image, options.policy(), log::info);
    }

    /** VA at the image's host through {@code HTTPS_PROXY}; elsewhere ({@code --va-endpoint}) for test registries. */
    private VaClient client(VaOptions options, ImageReference image, Optional<String> ca)
            throws IOException, Connection.Failure {
        VaClient.Builder va = VaClient.builder().frontEnd(FrontEnd.CLI);
        ca.ifPresent(va::trusting);
        Optional<EnvironmentProxy> proxy = EnvironmentProxy.from(environment);
        proxy.ifPresent(p -> va.proxy(p, p.credentials().map(c -> c.getUserName()).orElse(null),
                p.credentials().map(c -> new String(c.getPassword())).orElse(null)));
        if (options.vaEndpoint().isPresent()) {
            if (image.registry().region().isPresent()) {
                // The IAM token goes wherever VA is: for ICR's images, only to ICR's own host.
                throw new Connection.Failure(Text.get(FrontEnd.CLI, "cli.va.endpointForIcr", image.host()));
            }
            va.endpoint(options.vaEndpoint().get());
        }
        return va.build();
    }

    /** The table and the verdict for people, the JSON for machines; the exit status the verdict gives. */
    private int report(VaOptions options, Assessment a) {
        int exit = switch (a.outcome()) {
            case SUCCESS -> PASSED;
            case FAILURE -> FAILED;
            case UNSTABLE -> a.status() == VaStatus.UNSUPPORTED ? UNSUPPORTED : WARNED;
        };
        PrintStream people = options.json() ? err : out;
        ConsoleTable.render(FrontEnd.CLI, a, ROWS).forEach(people::println);
        people.println(a.verdict(FrontEnd.CLI));
        if (options.json()) {
            out.println(VaJson.verdict(a, switch (exit) {
                case PASSED -> "passed";
                case FAILED -> "failed";
                case UNSUPPORTED -> "unsupported";
                default -> "warned";
            }, exit));
        }
        return signals.exitCode().orElse(exit);
    }

    private int noVerdict(VaOptions options, int exit, String message) {
        err.println("icr-login: " + message);
        if (options.json()) {
            out.println(VaJson.noVerdict(exit == TIMED_OUT ? "timedOut" : "error", exit, message));
        }
        return signals.exitCode().orElse(exit);
    }
}
