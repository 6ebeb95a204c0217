package io.jenkins.plugins.icr.testbed;

import java.io.File;
import java.util.Arrays;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;

/**
 * Whether a program the testbed needs is on the PATH. The offline build requires every one of them (a missing
 * client fails the build, so no test is quietly skipped); elsewhere, as in the Jenkins plugin build, a test that
 * needs a missing program is skipped.
 */
public final class Installed {

    private Installed() {}

    public static Optional<String> find(String program) {
        return Arrays.stream(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
                .map(dir -> new File(dir, program))
                .filter(f -> f.isFile() && f.canExecute())
                .map(File::getPath)
                .findFirst();
    }

    /** Requires the program, naming the Debian package that installs it. */
    public static void require(String program, String debianPackage) {
        boolean present = find(program).isPresent();
        String message = program + " is not installed (apt-get install " + debianPackage + ")";
        if (Boolean.getBoolean("icr.testbed.required")) {
            if (!present) {
                throw new AssertionError(message);
            }
        } else {
            Assumptions.assumeTrue(present, message);
        }
    }
}
