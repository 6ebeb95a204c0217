package io.jenkins.plugins.icr.cli;

import io.jenkins.plugins.icr.FrontEnd;
import io.jenkins.plugins.icr.Text;
import io.jenkins.plugins.icr.iam.TrustedProfile;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The options of a keyless login, {@code --trusted-profile ID|NAME} with {@code --cr-token-file PATH} or {@code
 * --vpc-metadata [URL]}, kept apart from {@link Options} so that the rest of the command line does not change for
 * them. A trusted-profile login has no API key, so the options about a key are refused with it, and so is a pull
 * secret, which would hold a token that dies within the hour.
 */
final class ProfileOptions {

    static final String PROFILE = "--trusted-profile";
    static final String TOKEN_FILE = "--cr-token-file";
    static final String VPC = "--vpc-metadata";
    private static final Set<String> KEY_SOURCES = Set.of("--key-env", "--key-file", "--expose-api-key-as");

    static final String HELP = String.join("\n",
            "  --trusted-profile ID|NAME  log in with no API key, as this IAM trusted profile (always bearer)",
            "  --cr-token-file FILE     its Kubernetes service account token (default: the IBM SDKs' files,",
            "                           /var/run/secrets/tokens/vault-token, then .../sa-token), read at each renewal",
            "  --vpc-metadata [URL]     or: ask this VPC server's metadata service (default http://169.254.169.254)");

    private ProfileOptions() {}

    /**
     * Refuses what cannot go with {@code --trusted-profile}, before any other check of the line, so that the
     * reason is given even for an option this version of icr-login does not know.
     */
    static void refuseConflicts(List<String> args) {
        List<String> names = args.stream().takeWhile(arg -> !arg.equals("--"))
                .map(arg -> arg.startsWith("--") && arg.indexOf('=') > 0 ? arg.substring(0, arg.indexOf('=')) : arg)
                .toList();
        if (!names.contains(PROFILE)) {
            for (String source : List.of(TOKEN_FILE, VPC)) {
                if (names.contains(source)) {
                    throw new IllegalArgumentException(Text.get(FrontEnd.CLI, "cli.profileSourceAlone", source));
                }
            }
            return;
        }
        for (String name : names) {
            if (KEY_SOURCES.contains(name)) {
                throw new IllegalArgumentException(Text.get(FrontEnd.CLI, "cli.profileWithKey", name));
            }
            if (name.equals("--pull-secret") || name.equals("--pull-secret-namespace")) {
                throw new IllegalArgumentException(Text.get(FrontEnd.CLI, "cli.profilePullSecret"));
            }
        }
        if (names.contains(TOKEN_FILE) && names.contains(VPC)) {
            throw new IllegalArgumentException(Text.get(FrontEnd.CLI, "cli.profileTwoSources"));
        }
        int mode = names.indexOf("--mode");
        String modeValue = args.stream().filter(a -> a.startsWith("--mode=")).map(a -> a.substring(7)).findFirst()
                .orElse(mode >= 0 && mode + 1 < names.size() ? names.get(mode + 1) : "");
        if (modeValue.strip().equalsIgnoreCase("apikey")) {
            throw new IllegalArgumentException(Text.get(FrontEnd.CLI, "cli.profileApikeyMode"));
        }
    }

    /**
     * The line with {@code --vpc-metadata URL} written as {@code --vpc-metadata=URL}, so that the option is a flag
     * when no URL follows it (the metadata service's own address is the default) and an option with a value when one
     * does. The command after {@code --} is left as it is.
     */
    static List<String> withVpcUrlJoined(List<String> args) {
        List<String> line = new ArrayList<>(args);
        for (int i = 0; i < line.size() - 1 && !line.get(i).equals("--"); i++) {
            String next = line.get(i + 1);
            if (line.get(i).equals(VPC) && !next.startsWith("-")) {
                line.set(i, VPC + "=" + next);
                line.remove(i + 1);
            }
        }
        return line;
    }

    /** The trusted profile the parsed line names, if any; {@code --iam-endpoint} is where its token file goes. */
    static Optional<TrustedProfile> from(Flags parsed) {
        Optional<String> profile = parsed.value(PROFILE);
        if (profile.isEmpty()) {
            return Optional.empty();
        }
        TrustedProfile.Source source = parsed.has(VPC) || parsed.value(VPC).isPresent()
                ? new TrustedProfile.VpcMetadata(parsed.value(VPC).orElse(null))
                : new TrustedProfile.TokenFile(parsed.value(TOKEN_FILE).orElse(null));
        return Optional.of(TrustedProfile.of(profile.get(), source, parsed.value("--iam-endpoint").orElse(null),
                FrontEnd.CLI));
    }
}
