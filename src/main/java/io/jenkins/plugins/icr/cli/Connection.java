package io.jenkins.plugins.icr.cli;

import io.jenkins.plugins.icr.FrontEnd;
import io.jenkins.plugins.icr.Text;
import io.jenkins.plugins.icr.iam.IamClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What the login and the Vulnerability Advisor check share: the key, from where the user keeps it; files, read with
 * the system's reason when they cannot be; and IAM, through the user's proxy and with their CA.
 */
final class Connection {

    /** The launcher's word that the key of the variable it names is on file descriptor 3 ({@code bin/icr-login}). */
    static final String KEY_ON_FD3 = "icr-login.keyOnFd3";

    private Connection() {}

    /**
     * The environment as the user gave it to the launcher. The launcher takes the key (and any copy of it) out of the
     * JVM's environment, which the JDK hands whole to the helper that starts each child ({@code jspawnhelper}), and
     * passes it on file descriptor 3, a pipe: here it goes back under its variable's name, in memory only.
     */
    static Map<String, String> environment(Map<String, String> environment) {
        String variable = System.getProperty(KEY_ON_FD3, "");
        if (variable.isEmpty()) {
            return environment;
        }
        try {
            String key = new String(Files.readAllBytes(Path.of("/proc/self/fd/3")), StandardCharsets.UTF_8);
            Map<String, String> all = new HashMap<>(environment);
            all.put(variable, key.endsWith("\n") ? key.substring(0, key.length() - 1) : key); // its line break
            return all;
        } catch (IOException e) {
            return environment; // no key then, and the message says where it was looked for
        }
    }

    /** The key from {@code --key-file}, else from {@code $keyEnv}: never from the command line. */
    static String apiKey(Map<String, String> environment, String keyEnv, Optional<Path> keyFile) throws Failure {
        if (keyFile.isPresent()) {
            // A key file ends with a line break as any text file does: that is no mistake worth a warning.
            return read(keyFile).orElseThrow().replaceFirst("\r?\n$", "");
        }
        String key = environment.get(keyEnv);
        if (key == null) {
            throw new Failure(Text.get(FrontEnd.CLI, "cli.noKey", keyEnv));
        }
        return key;
    }

    static Optional<String> read(Optional<Path> file) throws Failure {
        if (file.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Files.readString(file.get(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new Failure(Text.get(FrontEnd.CLI, "cli.unreadable", file.get(), describe(e)));
        }
    }

    /** IAM at {@code --iam-endpoint} (else IBM Cloud's), trusting {@code --ca-file}, through {@code HTTPS_PROXY}. */
    static IamClient iam(Optional<String> endpoint, Optional<String> caPem, Map<String, String> environment)
            throws IOException {
        return iamSettings(caPem, environment).endpoint(endpoint.orElse(null)).build();
    }

    /** The way to IAM, whichever endpoint: trusting {@code --ca-file}, through {@code HTTPS_PROXY}. */
    static IamClient.Builder iamSettings(Optional<String> caPem, Map<String, String> environment) {
        IamClient.Builder iam = IamClient.builder().frontEnd(FrontEnd.CLI).proxyOf(environment);
        caPem.ifPresent(iam::trusting);
        return iam;
    }

    /** What went wrong with a file: the system's reason, which {@code AccessDeniedException} and its kin leave out. */
    static String describe(Exception e) {
        if (e instanceof NoSuchFileException) {
            return Text.get(FrontEnd.CLI, "cli.noSuchFile");
        }
        if (e instanceof AccessDeniedException) {
            return Text.get(FrontEnd.CLI, "cli.accessDenied");
        }
        return e instanceof FileSystemException f && f.getReason() != null ? f.getReason() : e.getMessage();
    }

    /** A login or a check that did not happen, with the message to show. */
    static final class Failure extends Exception {
        private static final long serialVersionUID = 1L;

        Failure(String message) {
            super(message);
        }
    }
}
