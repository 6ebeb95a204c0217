package io.jenkins.plugins.icr.cli;

import io.jenkins.plugins.icr.FrontEnd;
import io.jenkins.plugins.icr.Text;
import io.jenkins.plugins.icr.agent.LocalCommands;
import io.jenkins.plugins.icr.agent.LocalFiles;
import io.jenkins.plugins.icr.block.BlockOptions;
import io.jenkins.plugins.icr.block.Mode;
import io.jenkins.plugins.icr.iam.AccessToken;
import io.jenkins.plugins.icr.iam.IamClient;
import io.jenkins.plugins.icr.iam.IamEndpoints;
import io.jenkins.plugins.icr.iam.ProfileTokens;
import io.jenkins.plugins.icr.iam.TrustedProfile;
import io.jenkins.plugins.icr.login.LoginCredential;
import io.jenkins.plugins.icr.login.LoginRenewal;
import io.jenkins.plugins.icr.login.LoginRequest;
import io.jenkins.plugins.icr.login.Session;
import io.jenkins.plugins.icr.login.SessionLog;
import io.jenkins.plugins.icr.login.SessionSweeper;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.FileSystemException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * {@code icr-login --region us-south [--client skopeo] -- COMMAND...}: runs a command inside a logged-in session and
 * cleans up after it, for shells and CI systems other than Jenkins. The key comes from an environment variable
 * ({@code IBMCLOUD_API_KEY} unless {@code --key-env} names another) or a file ({@code --key-file}), never from the
 * command line, where every user of the machine could read it; and it stays in icr-login: neither the clients nor
 * the command inherit it.
 */
public final class IcrLogin {

    static final int LOGIN_FAILED = 2;
    static final int CANNOT_RUN = 126;
    static final int NOT_FOUND = 127;
    static final int USAGE = 64;

    private final Map<String, String> environment;
    private final PrintStream out;
    private final PrintStream err;
    private final SignalRelay signals;
    private final SessionLog log;
    private boolean loggedIn;

    /** icr-login inside another program: the signals stay that program's. */
    public IcrLogin(Map<String, String> environment, PrintStream err) {
        this(environment, System.out, err, null);
    }

    private IcrLogin(Map<String, String> environment, PrintStream out, PrintStream err, SignalRelay signals) {
        this.environment = Map.copyOf(environment);
        this.out = out;
        this.err = err;
        this.log = log(err);
        this.signals = signals != null ? signals : new SignalRelay(Thread.currentThread(),
                notice(log, "cli.signal"));
    }

    public static void main(String[] args) {
        // The check has no command nor session: a signal only stops its wait, and the notice says just that.
        boolean check = args.length > 0 && args[0].equals(VaCheck.COMMAND);
        SignalRelay signals = SignalRelay.install(notice(log(System.err), check ? "cli.va.signal" : "cli.signal"));
        IcrLogin cli = new IcrLogin(Connection.environment(System.getenv()), System.out, System.err, signals);
        int exit = cli.run(List.of(args));
        if (signals.exitCode().isEmpty()) {
            StartupArchive.ofLauncher().ifPresent(archive -> archive.refresh(cli.loggedIn));
        }
        signals.endBySignal();
        System.exit(exit);
    }

    /**
     * Runs the command in a session; returns the command's exit code, or {@link #LOGIN_FAILED}, {@link #USAGE},
     * {@link #CANNOT_RUN}, {@link #NOT_FOUND}, or {@code 128 + N} after signal N.
     */
    public int run(List<String> args) {
        if (!args.isEmpty() && args.get(0).equals(VaCheck.COMMAND)) {
            return new VaCheck(environment, out, err, signals).run(args.subList(1, args.size()));
        }
        switch (Options.request(args)) {
            case HELP -> {
                out.println(Options.HELP);
                return 0;
            }
            case VERSION -> {
                out.println("icr-login " + version());
                return 0;
            }
            default -> { }
        }
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            err.println("icr-login: " + e.getMessage());
            err.println(Options.USAGE);
            return USAGE;
        }
        return run(options);
    }

    private int run(Options options) {
        LocalFiles files = new LocalFiles();
        Map<String, String> clean;
        LocalCommands clients;
        Login login;
        String key;
        try {
            key = options.trustedProfile().isPresent() ? "" // keyless: no key to read
                    : Connection.apiKey(environment, options.keyEnv(), options.keyFile());
            clean = withoutKey(environment, options.keyFile().isPresent() ? null : options.keyEnv(), key);
            clients = LocalCommands.withEnvironment(clean);
            login = open(options, key, clean, clients, files);
            loggedIn = true;
        } catch (InterruptedException e) {
            signals.cleaningUp(); // a signal stopped the login, which cleaned up after itself
            return signals.exitCode().orElse(LOGIN_FAILED);
        } catch (Connection.Failure e) {
            err.println("icr-login: " + e.getMessage());
            return signals.exitCode().orElse(LOGIN_FAILED);
        }
        Session session = login.session();
        Map<String, String> commandEnv = new HashMap<>(clean);
        commandEnv.putAll(session.environment());
        options.exposeApiKeyAs().ifPresent(name -> commandEnv.put(name, key.strip()));
        int exit = runCommand(options.command(), commandEnv);
        Thread.interrupted(); // a signal that came during the login's last moments must not stop the logout
        login.renewal().ifPresent(BearerRenewal::close); // before the logout, which no renewal may race
        try {
            session.close(clients, files, log);
        } catch (IOException | InterruptedException e) {
            err.println("icr-login: " + Text.get(FrontEnd.CLI, "cli.notRemoved", session.folder(),
                    Connection.describe(e)));
            exit = exit == 0 ? LOGIN_FAILED : exit;
        }
        return signals.exitCode().orElse(exit);
    }

    /** An open session and, in bearer mode, the renewal of its login, which stops before the session closes. */
    private record Login(Session session, Optional<BearerRenewal> renewal) {}

    private Login open(Options options, String key, Map<String, String> clean, LocalCommands clients, LocalFiles files)
            throws Connection.Failure, InterruptedException {
        try {
            BlockOptions block = BlockOptions.of(FrontEnd.CLI, options.region(), options.privateEndpoint(),
                    options.customHost(), options.client(),
                    options.trustedProfile().isPresent() ? Mode.BEARER.id() : options.mode(),
                    Connection.read(options.caFile()).orElse(null), options.exposeApiKeyAs().orElse(null))
                    .withPullSecret(FrontEnd.CLI, options.pullSecret().orElse(null),
                            options.pullSecretNamespace().orElse(null));
            block.registry().warnings().forEach(log::warn);
            String base = base(options);
            for (String swept : SessionSweeper.sweep(base, SessionSweeper::localOwnerRuns, files)) {
                log.info(Text.get(FrontEnd.CLI, "cli.swept", swept));
            }
            Function<LoginCredential, LoginRequest> request = credential -> {
                LoginRequest.Builder builder = LoginRequest.builder(block.registry().host(), credential, base)
                        .client(block.client())
                        .verifyKey(options.verify())
                        .environment(clean)
                        .frontEnd(FrontEnd.CLI)
                        .outer(clean.get("DOCKER_CONFIG"), clean.get("REGISTRY_AUTH_FILE"));
                block.caCertificatePem().ifPresent(builder::caCertificatePem);
                block.pullSecret().ifPresent(builder::pullSecret); // refused in bearer mode, above
                return builder.build();
            };
            if (options.trustedProfile().isPresent()) {
                // Keyless: the service account token (or the instance's identity) goes to IAM from here, read
                // anew at every renewal, and only the IAM tokens made from it reach the clients. --iam-endpoint is
                // this user's own choice, so it is the one endpoint allowed.
                TrustedProfile profile = options.trustedProfile().get();
                ProfileTokens tokens = ProfileTokens.builder(profile)
                        .iam(Connection.iamSettings(block.caCertificatePem(), clean))
                        .allowed(IamEndpoints.allowing(List.of(profile.iamEndpoint()))).frontEnd(FrontEnd.CLI)
                        .build();
                return bearer(tokens::after, request, clients, files);
            }
            LoginCredential apiKey = LoginCredential.apiKey(key, FrontEnd.CLI);
            if (block.mode() != Mode.BEARER) {
                return new Login(Session.open(request.apply(apiKey), clients, files, log), Optional.empty());
            }
            // Bearer mode: the key goes to IAM from here, and only tokens made from it reach the clients.
            IamClient iam = Connection.iam(options.iamEndpoint(), block.caCertificatePem(), clean);
            return bearer(old -> iam.exchange(apiKey.secret()), request, clients, files);
        } catch (FileSystemException e) {
            // A file or folder of the session (or the user's config.json) that could not be written or read.
            throw new Connection.Failure(Text.get(FrontEnd.CLI, "cli.fileFailed", e.getFile(), Connection.describe(e),
                    base(options)));
        } catch (IOException | IllegalArgumentException e) {
            throw new Connection.Failure(e.getMessage());
        }
    }

    /** A bearer login with the first token of {@code tokens}, renewed with the next ones while the command runs. */
    private Login bearer(LoginRenewal.Tokens tokens, Function<LoginCredential, LoginRequest> request,
            LocalCommands clients, LocalFiles files) throws IOException, InterruptedException {
        AccessToken token = tokens.after(null);
        Session session = Session.open(request.apply(LoginCredential.bearer(token.token())), clients, files, log);
        return new Login(session, Optional.of(BearerRenewal.start(tokens, token, session, request, clients, files,
                log)));
    }

    /** Where the session's folder goes: {@code --base-folder}, else {@code $TMPDIR} as for any shell tool. */
    private String base(Options options) {
        String tmp = environment.get("TMPDIR");
        return options.baseFolder().orElse(tmp == null || tmp.isBlank() ? System.getProperty("java.io.tmpdir") : tmp);
    }

    /**
     * The environment icr-login's children get: its own without the key's variable (null for a key file), nor any
     * other that holds the key, so that no tool that prints its environment (many do, on error) can show it.
     */
    static Map<String, String> withoutKey(Map<String, String> environment, String keyVariable, String key) {
        Map<String, String> clean = new HashMap<>(environment);
        if (keyVariable != null) {
            clean.remove(keyVariable);
        }
        String secret = key.strip();
        if (!secret.isEmpty()) {
            clean.values().removeIf(value -> value.contains(secret));
        }
        return clean;
    }

    /** The command inherits this process's streams, so that it can be interactive and its output is not held. */
    private int runCommand(List<String> command, Map<String, String> env) {
        if (signals.exitCode().isPresent()) {
            signals.cleaningUp(); // cancelled right after the login: nothing to run
            return 0;
        }
        ProcessBuilder builder = new ProcessBuilder(new ArrayList<>(command)).inheritIO();
        builder.environment().clear();
        builder.environment().putAll(env);
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            signals.cleaningUp();
            // "Cannot run program "x": error=2, No such file or directory", or error=13 for one not executable.
            boolean missing = String.valueOf(e.getMessage()).contains("error=2,");
            err.println("icr-login: " + (missing ? Text.get(FrontEnd.CLI, "cli.notFound", command.get(0))
                    : Text.get(FrontEnd.CLI, "cli.cannotRun", command.get(0), e.getMessage())));
            return missing ? NOT_FOUND : CANNOT_RUN;
        }
        signals.commandStarted(process);
        try {
            while (true) {
                try {
                    return process.waitFor();
                } catch (InterruptedException e) {
                    // Only the signal relay interrupts, and it ends the command: wait for that.
                }
            }
        } finally {
            signals.cleaningUp();
        }
    }

    private static String version() {
        String version = IcrLogin.class.getPackage().getImplementationVersion();
        return version == null ? "(development build)" : version;
    }

    static SessionLog log(PrintStream err) {
        return new SessionLog() {
            @Override
            public void info(String message) {
                err.println("icr-login: " + message);
            }

            @Override
            public void warn(String message) {
                err.println("icr-login: warning: " + message);
            }
        };
    }

    /** @param received the message for a signal's arrival: what this run does about it */
    private static SignalRelay.Notice notice(SessionLog log, String received) {
        return new SignalRelay.Notice() {
            @Override
            public void received(String signal) {
                log.info(Text.get(FrontEnd.CLI, received, signal));
            }

            @Override
            public void stopped(String signal) {
                log.warn(Text.get(FrontEnd.CLI, "cli.stopped", SignalRelay.GRACE.toSeconds(), signal));
            }
        };
    }
}
