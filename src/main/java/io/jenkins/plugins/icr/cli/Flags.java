package io.jenkins.plugins.icr.cli;

import io.jenkins.plugins.icr.FrontEnd;
import io.jenkins.plugins.icr.Text;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The options of one of icr-login's command lines, up to {@code --}: flags, options with a value ({@code --name
 * value} and {@code --name=value} are the same) and, where the command takes them, operands. An option that would
 * put a key on the command line is refused, whatever the command: every user of the machine could read it in
 * {@code /proc}.
 */
final class Flags {

    /** What the login and the Vulnerability Advisor check share: where the key comes from and how to reach IBM. */
    static final Set<String> CONNECTION_FLAGS = Set.of("--private", "--custom-host");
    static final Set<String> CONNECTION_VALUED = Set.of("--region", "--iam-endpoint", "--key-env", "--key-file",
            "--ca-file");
    private static final Set<String> KEY_OPTIONS = Set.of("--key", "--apikey", "--api-key", "-p", "--password");

    private final Map<String, String> values = new HashMap<>();
    private final Set<String> flags = new HashSet<>();
    private final List<String> operands = new ArrayList<>();
    private int end;

    private Flags() {}

    /**
     * @param flags the options without a value, besides {@link #CONNECTION_FLAGS}
     * @param valued the options with one, besides {@link #CONNECTION_VALUED}
     * @param operands whether words that are no option are the command's operands (else they are unknown options)
     * @throws IllegalArgumentException saying what is wrong, in the command line's words
     */
    static Flags parse(List<String> args, Set<String> flags, Set<String> valued, boolean operands) {
        Flags parsed = new Flags();
        int i = 0;
        while (i < args.size() && !args.get(i).equals("--")) {
            String arg = args.get(i++);
            int equals = arg.indexOf('=');
            String name = arg.startsWith("--") && equals > 0 ? arg.substring(0, equals) : arg;
            boolean valuedOption = valued.contains(name) || CONNECTION_VALUED.contains(name);
            if (KEY_OPTIONS.contains(name)) {
                throw new IllegalArgumentException(Text.get(FrontEnd.CLI, "cli.keyOnCommandLine", name));
            } else if ((flags.contains(name) || CONNECTION_FLAGS.contains(name)) && name.equals(arg)) {
                parsed.flags.add(name);
            } else if (operands && !arg.startsWith("-")) {
                parsed.operands.add(arg);
            } else if (!valuedOption) {
                throw new IllegalArgumentException(Text.get(FrontEnd.CLI, "cli.unknownOption", name));
            } else if (!name.equals(arg)) {
                parsed.values.put(name, required(arg.substring(equals + 1), name));
            } else {
                parsed.values.put(name, required(i < args.size() && !args.get(i).equals("--") ? args.get(i++) : null,
                        name));
            }
        }
        parsed.end = i;
        return parsed;
    }

    private static String required(String value, String option) {
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException(Text.get(FrontEnd.CLI, "cli.needsValue", option));
        }
        return value;
    }

    Optional<String> value(String option) {
        return Optional.ofNullable(values.get(option));
    }

    boolean has(String flag) {
        return flags.contains(flag);
    }

    List<String> operands() {
        return List.copyOf(operands);
    }

    /** Where the options ended: the index of {@code --}, or the line's length. */
    int end() {
        return end;
    }
}
