package io.jenkins.plugins.icr.login;

import io.jenkins.plugins.icr.Text;
import io.jenkins.plugins.icr.agent.Command;
import io.jenkins.plugins.icr.agent.CommandResult;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The login and logout command lines of the four clients, and what their output means. The secret goes over
 * standard input only: with {@code -p}, every client showed the key in {@code /proc}; with {@code
 * --password-stdin}, none did.
 */
final class ClientCommands {

    private ClientCommands() {}

    static Command login(Client client, SessionFolder folder, LoginRequest request) {
        List<String> argv = start(client, folder, "login");
        request.caCertificatePem().filter(pem -> !client.isDockerFamily())
                .ifPresent(pem -> argv.addAll(List.of("--cert-dir", folder.certificates())));
        argv.addAll(List.of("--username", request.credential().username(), "--password-stdin", request.host()));
        return command(argv, folder, request.environment(), request.timeout())
                .withStdin(request.credential().secret().getBytes(StandardCharsets.UTF_8));
    }

    static Command logout(Client client, SessionFolder folder, String host, Duration timeout) {
        List<String> argv = start(client, folder, "logout");
        argv.add(host);
        return command(argv, folder, Map.of(), timeout);
    }

    private static List<String> start(Client client, SessionFolder folder, String verb) {
        List<String> argv = new ArrayList<>(List.of(client.program()));
        if (client.isDockerFamily()) {
            argv.addAll(List.of("--config", folder.path(), verb));
        } else {
            argv.addAll(List.of(verb, "--authfile", folder.containersAuth()));
        }
        return argv;
    }

    /** Both variables point into the session, so that no client falls back to a file of the user's. */
    private static Command command(List<String> argv, SessionFolder folder, Map<String, String> environment,
            Duration timeout) {
        Map<String, String> env = new HashMap<>(environment);
        env.putAll(folder.environment());
        return Command.of(argv, env).withTimeout(timeout);
    }

    /** A logout that found nothing to log out of leaves the session as clean as one that did. */
    static boolean alreadyLoggedOut(CommandResult result) {
        String out = result.output().toLowerCase(Locale.ROOT);
        return result.succeeded() || out.contains("not logged in") || out.contains("checking authfile")
                || out.contains("no such file");
    }

    /** Turns a failed login's output into an error that says what to do. */
    static LoginException failure(Client client, LoginRequest request, CommandResult result) {
        String out = request.credential().redact(result.output());
        String lower = out.toLowerCase(Locale.ROOT);
        String host = request.host();
        if (lower.contains("x509:") || lower.contains("certificate signed by unknown authority")
                || lower.contains("failed to verify certificate")) {
            return LoginException.untrusted(host, request.frontEnd(), null);
        }
        if (lower.contains("unauthorized") || lower.contains("invalid username/password")
                || lower.contains("requesting bearer token: invalid status code from registry 40")
                || lower.contains("authentication required")
                || lower.contains("denied")) {
            return LoginException.wrongCredentials(host, request.credential());
        }
        if (lower.contains("connection refused") || lower.contains("no such host") || lower.contains("i/o timeout")
                || lower.contains("dial tcp")) {
            return LoginException.unreachable(host, lastLine(out), null);
        }
        return new LoginException(LoginException.Reason.CLIENT_FAILED,
                Text.get("login.clientFailed", client.program(), result.exitCode(), lastLine(out)));
    }

    private static String lastLine(String output) {
        String[] lines = output.strip().split("\n");
        return lines[lines.length - 1].strip();
    }
}
