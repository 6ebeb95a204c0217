package io.jenkins.plugins.icr.cli;

import io.jenkins.plugins.icr.FrontEnd;
import io.jenkins.plugins.icr.Text;
import io.jenkins.plugins.icr.iam.TrustedProfile;
import io.jenkins.plugins.icr.region.RegionResolver;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * icr-login's command line, parsed. Options come before {@code --}; everything after it is the command, passed on
 * verbatim. {@code --name value} and {@code --name=value} are the same.
 */
record Options(String region, String client, String mode, Optional<String> iamEndpoint, boolean privateEndpoint,
        boolean customHost, boolean verify, String keyEnv, Optional<Path> keyFile, Optional<Path> caFile,
        Optional<String> exposeApiKeyAs, Optional<String> baseFolder, List<String> command,
        Optional<TrustedProfile> trustedProfile) {

    static final String DEFAULT_KEY_ENV = "IBMCLOUD_API_KEY";

    /** The options that take no value, those that take one, and those that would put a key on the command line. */
    private static final Set<String> FLAGS = Set.of("--private", "--custom-host", "--no-verify");
    private static final Set<String> VALUED = Set.of("--region", "--client", "--mode", "--iam-endpoint", "--key-env",
            "--key-file", "--ca-file", "--expose-api-key-as", "--base-folder");
    private static final Set<String> KEY_OPTIONS = Set.of("--key", "--apikey", "--api-key", "-p", "--password");

    static final String USAGE = String.join("\n",
            "usage: icr-login --region REGION [OPTION...] -- COMMAND [ARG...]",
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
        Map<String, String> values = new HashMap<>();
        Set<String> flags = new HashSet<>();
        int i = 0;
        while (i < args.size() && !args.get(i).equals("--")) {
            String arg = args.get(i++);
            int equals = arg.indexOf('=');
            String name = arg.startsWith("--") && equals > 0 ? arg.substring(0, equals) : arg;
            if (name.equals(ProfileOptions.VPC)) {
                // The URL is optional: the metadata service's own address is the default.
                boolean next = name.equals(arg) && i < args.size() && !args.get(i).startsWith("-");
                values.put(name, !name.equals(arg) ? arg.substring(equals + 1) : next ? args.get(i++) : "");
            } else if (KEY_OPTIONS.contains(name)) {
                throw new IllegalArgumentException(Text.get(FrontEnd.CLI, "cli.keyOnCommandLine", name));
            } else if (FLAGS.contains(name) && name.equals(arg)) {
                flags.add(name);
            } else if (!VALUED.contains(name) && !ProfileOptions.VALUED.contains(name)) {
                throw new IllegalArgumentException(Text.get(FrontEnd.CLI, "cli.unknownOption", name));
            } else if (!name.equals(arg)) {
                values.put(name, required(arg.substring(equals + 1), name));
            } else {
                values.put(name, required(i < args.size() && !args.get(i).equals("--") ? args.get(i++) : null, name));
            }
        }
        String region = values.get("--region");
        if (region == null || region.isBlank()) {
            throw new IllegalArgumentException(Text.get(FrontEnd.CLI, "region.missing", RegionResolver.validRegions()));
        }
        if (i >= args.size() - 1) {
            throw new IllegalArgumentException(Text.get(FrontEnd.CLI, "cli.noCommand"));
        }
        return new Options(region, values.get("--client"), values.get("--mode"),
                Optional.ofNullable(values.get("--iam-endpoint")), flags.contains("--private"),
                flags.contains("--custom-host"), !flags.contains("--no-verify"),
                values.getOrDefault("--key-env", DEFAULT_KEY_ENV),
                Optional.ofNullable(values.get("--key-file")).map(Path::of),
                Optional.ofNullable(values.get("--ca-file")).map(Path::of),
                Optional.ofNullable(values.get("--expose-api-key-as")),
                Optional.ofNullable(values.get("--base-folder")),
                List.copyOf(args.subList(i + 1, args.size())), ProfileOptions.from(values));
    }

    private static String required(String value, String option) {
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException(Text.get(FrontEnd.CLI, "cli.needsValue", option));
        }
        return value;
    }
}
