package io.jenkins.plugins.icr.cli;

import io.jenkins.plugins.icr.agent.LocalCommands;
import io.jenkins.plugins.icr.agent.LocalFiles;
import io.jenkins.plugins.icr.block.BlockOptions;
import io.jenkins.plugins.icr.block.Mode;
import io.jenkins.plugins.icr.iam.IamClient;
import io.jenkins.plugins.icr.login.LoginCredential;
import io.jenkins.plugins.icr.login.LoginRequest;
import io.jenkins.plugins.icr.login.Session;
import io.jenkins.plugins.icr.login.SessionLog;
import io.jenkins.plugins.icr.login.SessionSweeper;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code icr-login --region us-south [--client skopeo] -- COMMAND...}: runs a command inside a logged-in session and
 * cleans up after it, for shells and CI systems other than Jenkins. The key comes from an environment variable
 * ({@code IBMCLOUD_API_KEY} unless {@code --key-env} names another) or a file ({@code --key-file}), never from the
 * command line, where every user of the machine could read it.
 */
public final class IcrLogin {

    static final int LOGIN_FAILED = 2;
    static final int USAGE = 64;

    private final Map<String, String> environment;
    private final PrintStream err;

    public IcrLogin(Map<String, String> environment, PrintStream err) {
        this.environment = Map.copyOf(environment);
        this.err = err;
    }

    public static void main(String[] args) throws InterruptedException {
        System.exit(new IcrLogin(System.getenv(), System.err).run(List.of(args)));
    }

    /** Runs the command in a session; returns the command's exit code, or {@link #LOGIN_FAILED}, or {@link #USAGE}. */
    public int run(List<String> args) throws InterruptedException {
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            err.println("icr-login: " + e.getMessage());
            err.println(Options.USAGE);
            return USAGE;
        }
        SessionLog log = new SessionLog() {
            @Override
            public void info(String message) {
                err.println("icr-login: " + message);
            }

            @Override
            public void warn(String message) {
                err.println("icr-login: warning: " + message);
            }
        };
        LocalCommands commands = new LocalCommands();
        LocalFiles files = new LocalFiles();
        Session session;
        try {
            BlockOptions block = BlockOptions.of(options.region(), options.privateEndpoint(), options.customHost(),
                    options.client(), options.mode(),
                    options.caFile().isPresent() ? Files.readString(options.caFile().get()) : null, null);
            block.registry().warnings().forEach(log::warn);
            String base = options.baseFolder().orElse(System.getProperty("java.io.tmpdir"));
            for (String swept : SessionSweeper.sweep(base, SessionSweeper::localOwnerRuns, files)) {
                log.info("removed " + swept + ", left by an icr-login that did not finish");
            }
            LoginRequest.Builder request = LoginRequest.builder(block.registry().host(), credential(options, block), base)
                    .client(block.client())
                    .verifyKey(options.verify())
                    .environment(environment)
                    .outer(environment.get("DOCKER_CONFIG"), environment.get("REGISTRY_AUTH_FILE"));
            block.caCertificatePem().ifPresent(request::caCertificatePem);
            session = Session.open(request.build(), commands, files, log);
        } catch (IOException | IllegalArgumentException e) {
            err.println("icr-login: " + e.getMessage());
            return LOGIN_FAILED;
        }
        int exit = 1;
        try {
            exit = runCommand(options.command(), session.environment());
        } catch (IOException e) {
            err.println("icr-login: could not run " + options.command().get(0) + ": " + e.getMessage());
        } finally {
            try {
                session.close(commands, files, log);
            } catch (IOException e) {
                err.println("icr-login: could not remove " + session.folder() + ": " + e.getMessage());
                exit = exit == 0 ? LOGIN_FAILED : exit;
            }
        }
        return exit;
    }

    /** The key, or in bearer mode an IAM token made from it here, so that only the token reaches the clients. */
    private LoginCredential credential(Options options, BlockOptions block) throws IOException, InterruptedException {
        LoginCredential key = LoginCredential.apiKey(apiKey(options));
        if (block.mode() != Mode.BEARER) {
            return key;
        }
        IamClient iam = IamClient.builder().endpoint(options.iamEndpoint().orElse(null)).build();
        return LoginCredential.bearer(iam.exchange(key.secret()).token());
    }

    private String apiKey(Options options) throws IOException {
        if (options.keyFile().isPresent()) {
            return new String(Files.readAllBytes(options.keyFile().get()), StandardCharsets.UTF_8);
        }
        String key = environment.get(options.keyEnv());
        if (key == null) {
            throw new IllegalArgumentException("set the API key in $" + options.keyEnv() + " or give --key-file");
        }
        return key;
    }

    /** The command inherits this process's streams, so that it can be interactive and its output is not held. */
    private static int runCommand(List<String> command, Map<String, String> sessionEnv)
            throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(new ArrayList<>(command)).inheritIO();
        builder.environment().putAll(sessionEnv);
        Process process = builder.start();
        try {
            return process.waitFor();
        } finally {
            process.destroy();
        }
    }

    /** The parsed command line. */
    record Options(String region, String client, String mode, Optional<String> iamEndpoint, boolean privateEndpoint,
            boolean customHost, boolean verify, String keyEnv, Optional<Path> keyFile, Optional<Path> caFile,
            Optional<String> baseFolder, List<String> command) {

        static final String USAGE = String.join("\n",
                "usage: icr-login --region REGION [--client docker|podman|skopeo|buildah|auth-file] [--private]",
                "                 [--mode apikey|bearer] [--iam-endpoint URL] [--ca-file PEM] [--no-verify]",
                "                 [--custom-host] [--key-env VAR | --key-file FILE] [--base-folder DIR] -- COMMAND [ARG...]",
                "The API key is read from $IBMCLOUD_API_KEY unless --key-env or --key-file say otherwise.");

        static Options parse(List<String> args) {
            String region = null;
            String client = null;
            String mode = null;
            String iamEndpoint = null;
            boolean privateEndpoint = false;
            boolean customHost = false;
            boolean verify = true;
            String keyEnv = "IBMCLOUD_API_KEY";
            Path keyFile = null;
            Path caFile = null;
            String base = null;
            int i = 0;
            for (; i < args.size() && !args.get(i).equals("--"); i++) {
                String arg = args.get(i);
                switch (arg) {
                    case "--region" -> region = value(args, ++i, arg);
                    case "--client" -> client = value(args, ++i, arg);
                    case "--mode" -> mode = value(args, ++i, arg);
                    case "--iam-endpoint" -> iamEndpoint = value(args, ++i, arg);
                    case "--private" -> privateEndpoint = true;
                    case "--custom-host" -> customHost = true;
                    case "--no-verify" -> verify = false;
                    case "--key-env" -> keyEnv = value(args, ++i, arg);
                    case "--key-file" -> keyFile = Path.of(value(args, ++i, arg));
                    case "--ca-file" -> caFile = Path.of(value(args, ++i, arg));
                    case "--base-folder" -> base = value(args, ++i, arg);
                    case "--key", "--apikey", "-p", "--password" -> throw new IllegalArgumentException(
                            arg + " is not accepted: a key on the command line is visible to every user of the machine");
                    default -> throw new IllegalArgumentException("unknown option " + arg);
                }
            }
            if (region == null) {
                throw new IllegalArgumentException("--region is required");
            }
            if (i >= args.size() - 1) {
                throw new IllegalArgumentException("give the command to run after --");
            }
            return new Options(region, client, mode, Optional.ofNullable(iamEndpoint), privateEndpoint, customHost, verify,
                    keyEnv,
                    Optional.ofNullable(keyFile), Optional.ofNullable(caFile),
                    Optional.ofNullable(base), List.copyOf(args.subList(i + 1, args.size())));
        }

        private static String value(List<String> args, int i, String option) {
            if (i >= args.size()) {
                throw new IllegalArgumentException(option + " needs a value");
            }
            return args.get(i);
        }
    }
}
