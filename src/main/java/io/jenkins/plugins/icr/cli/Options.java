package io.jenkins.plugins.icr.cli;

import io.jenkins.plugins.icr.FrontEnd;
import io.jenkins.plugins.icr.Text;
import io.jenkins.plugins.icr.iam.TrustedProfile;
import io.jenkins.plugins.icr.region.RegionResolver;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * icr-login's command line, parsed. Options come before {@code --}; everything after it is the command, passed on
 * verbatim. {@code --name value} and {@code --name=value} are the same.
 */
record Options(String region, String client, String mode, Optional<String> iamEndpoint, boolean privateEndpoint,
        boolean customHost, boolean verify, String keyEnv, Optional<Path> keyFile, Optional<Path> caFile,
        Optional<String> exposeApiKeyAs, Optional<String> baseFolder, Optional<String> pullSecret,
        Optional<String> pullSecretNamespace, List<String> command, Optional<TrustedProfile> trustedProfile) {

    static final String DEFAULT_KEY_ENV = "IBMCLOUD_API_KEY";

    /** The login's own options, besides those it shares with the Vulnerability Advisor check ({@link Flags}). */
    private static final Set<String> FLAGS = Set.of("--no-verify", ProfileOptions.VPC);
    private static final Set<String> VALUED = Set.of("--client", "--mode", "--expose-api-key-as", "--base-folder",
            "--pull-secret", "--pull-secret-namespace", ProfileOptions.PROFILE, ProfileOptions.TOKEN_FILE,
            ProfileOptions.VPC);

    static final String USAGE = String.join("\n",
            "usage: icr-login --region REGION [OPTION...] -- COMMAND [ARG...]",
            "       icr-login va IMAGE [OPTION...]      (icr-login va --help)",
            "       icr-login --help | --version");

    static final String HELP = String.join("\n",
            USAGE,
            "",
            "Logs in to IBM Cloud Container Registry in a private folder, runs COMMAND with DOCKER_CONFIG,",
            "REGISTRY_AUTH_FILE and ICR_REGISTRY pointing there, then logs out and deletes the folder.",
            "The API key is read from $" + DEFAULT_KEY_ENV + " and never reaches COMMAND or the clients.",
            "",
            "  --region REGION          us-south, eu-de, global, ... (or a host: us.icr.io)",
            "  --client CLIENT          auth-file (default: writes the login, no program needed), docker, podman,",
            "                           skopeo or buildah (that client's own login and logout)",
            "  --mode apikey|bearer     bearer: log in with IAM tokens made from the key, renewed while COMMAND",
            "                           runs (default apikey)",
            "  --iam-endpoint URL       IAM for bearer mode (default https://iam.cloud.ibm.com)",
            "  --private                log in to the private endpoint, private.<host>",
            "  --ca-file FILE           PEM CA of a registry, IAM or TLS-inspecting proxy with a private certificate",
            "  --no-verify              auth-file: write the login without proving the key first",
            "  --custom-host            allow a registry host that is not IBM Cloud's",
            "  --key-env VAR            read the key from $VAR instead",
            "  --key-file FILE          read the key from a file instead",
            "  --expose-api-key-as VAR  also give COMMAND the key in $VAR, for tools that need the key itself",
            "  --base-folder DIR        where the session folder is made (default: $TMPDIR, else /tmp)",
            "  --pull-secret NAME       also write a Kubernetes pull secret NAME, for COMMAND's",
            "                           kubectl apply -f \"$ICR_PULL_SECRET\"",
            "  --pull-secret-namespace NS  the pull secret's namespace (default: the one kubectl is set to)",
            ProfileOptions.HELP,
            "",
            "Exit status: COMMAND's own; 2 when the login failed; 64 for a usage error; 126 or 127 when",
            "COMMAND could not be run or found; 128+N when icr-login was ended by signal N.",
            "Every message and its fix: docs/troubleshooting.md.");

    /** What the command line asks for besides a login. */
    enum Request { LOGIN, HELP, VERSION }

    /** {@code --help} or {@code --version} before {@code --}, else a login; a malformed line is a usage error. */
    static Request request(List<String> args) {
        for (String arg : args) {
            if (arg.equals("--")) {
                break;
            }
            if (arg.equals("--help") || arg.equals("-h")) {
                return Request.HELP;
            }
            if (arg.equals("--version")) {
                return Request.VERSION;
            }
        }
        return Request.LOGIN;
    }

    /** @throws IllegalArgumentException saying what is wrong, in the command line's words */
    static Options parse(List<String> args) {
        ProfileOptions.refuseConflicts(args);
        List<String> line = ProfileOptions.withVpcUrlJoined(args);
        Flags parsed = Flags.parse(line, FLAGS, VALUED, false);
        String region = parsed.value("--region").orElse(null);
        if (region == null || region.isBlank()) {
            throw new IllegalArgumentException(Text.get(FrontEnd.CLI, "region.missing", RegionResolver.validRegions()));
        }
        int i = parsed.end();
        if (i >= line.size() - 1) {
            throw new IllegalArgumentException(Text.get(FrontEnd.CLI, "cli.noCommand"));
        }
        return new Options(region, parsed.value("--client").orElse(null), parsed.value("--mode").orElse(null),
                parsed.value("--iam-endpoint"), parsed.has("--private"), parsed.has("--custom-host"),
                !parsed.has("--no-verify"), parsed.value("--key-env").orElse(DEFAULT_KEY_ENV),
                parsed.value("--key-file").map(Path::of), parsed.value("--ca-file").map(Path::of),
                parsed.value("--expose-api-key-as"), parsed.value("--base-folder"), parsed.value("--pull-secret"),
                parsed.value("--pull-secret-namespace"), List.copyOf(line.subList(i + 1, line.size())),
                ProfileOptions.from(parsed));
    }
}
