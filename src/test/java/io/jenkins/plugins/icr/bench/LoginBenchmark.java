package io.jenkins.plugins.icr.bench;

import io.jenkins.plugins.icr.agent.Command;
import io.jenkins.plugins.icr.agent.CommandResult;
import io.jenkins.plugins.icr.agent.LocalCommands;
import io.jenkins.plugins.icr.agent.LocalFiles;
import io.jenkins.plugins.icr.login.Client;
import io.jenkins.plugins.icr.login.LoginCredential;
import io.jenkins.plugins.icr.login.LoginRequest;
import io.jenkins.plugins.icr.login.Session;
import io.jenkins.plugins.icr.login.SessionLog;
import io.jenkins.plugins.icr.testbed.IcrTestbed;
import io.jenkins.plugins.icr.testbed.Installed;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What the engine costs over the raw shell idiom, measured side by side in one run on the testbed: for each client,
 * {@code echo "$KEY" | CLIENT login --password-stdin} + {@code logout} against the engine's open + close with the
 * same client; then the auth-file mode, with and without its token check, against the fastest raw pair. Rounds are
 * interleaved so that drift hits both sides alike. Not a test: it prints ratios and asserts nothing.
 */
public final class LoginBenchmark {

    private static final int WARMUP = 3;

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 25;
        try (IcrTestbed testbed = IcrTestbed.start()) {
            new LoginBenchmark(testbed).run(rounds);
        }
    }

    private final IcrTestbed testbed;
    private final LocalCommands commands = new LocalCommands();
    private final String key;
    private final Path work;

    private LoginBenchmark(IcrTestbed testbed) throws Exception {
        this.testbed = testbed;
        this.key = testbed.newApiKey();
        this.work = testbed.newFolder("bench");
        Files.copy(testbed.pki().caCertificate(), Files.createDirectories(work.resolve("certs")).resolve("ca.crt"));
    }

    private void run(int rounds) throws Exception {
        System.out.printf("login + logout on the ICR testbed (%s, token auth, TLS), %d rounds after %d warm-up; ms%n%n",
                testbed.host(), rounds, WARMUP);
        System.out.printf("%-26s %8s %8s   %-26s %8s %8s   %s%n", "raw shell pair", "min", "median", "engine open+close",
                "min", "median", "engine/raw (median)");
        double fastestRaw = Double.MAX_VALUE;
        for (Client client : Client.values()) {
            if (client == Client.AUTH_FILE) {
                continue;
            }
            if (Installed.find(client.program()).isEmpty()) {
                System.out.printf("%-26s %s%n", client.id(), "not installed, skipped");
                continue;
            }
            Samples raw = new Samples();
            Samples engine = new Samples();
            for (int i = 0; i < WARMUP + rounds; i++) {
                boolean keep = i >= WARMUP;
                raw.time(keep, () -> rawPair(client));
                engine.time(keep, () -> enginePair(client, true));
            }
            fastestRaw = Math.min(fastestRaw, raw.median());
            System.out.printf("%-26s %8.1f %8.1f   %-26s %8.1f %8.1f   %.2f%n", client.id(), raw.min(), raw.median(),
                    client.id(), engine.min(), engine.median(), engine.median() / raw.median());
        }
        Samples checked = new Samples();
        Samples unchecked = new Samples();
        for (int i = 0; i < WARMUP + rounds; i++) {
            boolean keep = i >= WARMUP;
            checked.time(keep, () -> enginePair(Client.AUTH_FILE, true));
            unchecked.time(keep, () -> enginePair(Client.AUTH_FILE, false));
        }
        System.out.printf("%n%-40s %8s %8s   %s%n", "auth-file mode", "min", "median", "fastest raw CLI pair / this");
        System.out.printf("%-40s %8.2f %8.2f   %.1fx%n", "with the registry token check", checked.min(),
                checked.median(), fastestRaw / checked.median());
        System.out.printf("%-40s %8.2f %8.2f   %.1fx%n", "without it (verifyKey false)", unchecked.min(),
                unchecked.median(), fastestRaw / unchecked.median());
        System.out.printf("%ngoals: engine/raw <= 1.10 per client; auth-file >= 5x (checked), >= 20x (unchecked)%n");
    }

    /** The idiom people paste into shell steps, made safe enough to compare: its own config, the key on stdin. */
    private void rawPair(Client client) throws Exception {
        Path dir = Files.createTempDirectory(work, "raw-");
        String target = client.isDockerFamily() ? "--config " + dir : "--authfile " + dir + "/auth.json";
        String certs = client.isDockerFamily() ? "" : " --cert-dir " + work.resolve("certs");
        String p = client.program();
        // Without a seeded config.json, docker hands the key to the docker-credential-* helper on the PATH.
        String seed = client == Client.DOCKER
                ? String.format("printf '{\"auths\":{\"%s\":{}}}' > %s/config.json && ", testbed.host(), dir) : "";
        String script = seed + String.format("echo \"$KEY\" | %s %s -u iamapikey --password-stdin%s %s && %s %s %s",
                p, client.isDockerFamily() ? target + " login" : "login " + target, certs, testbed.host(),
                p, client.isDockerFamily() ? target + " logout" : "logout " + target, testbed.host());
        check(commands.run(Command.of(List.of("sh", "-c", script), Map.of("KEY", key))));
        new LocalFiles().deleteRecursively(dir.toString());
    }

    private void enginePair(Client client, boolean verify) throws Exception {
        var request = LoginRequest.builder(testbed.host(), LoginCredential.apiKey(key), work.toString()).client(client)
                .verifyKey(verify);
        if (client != Client.DOCKER) {
            request.caCertificatePem(testbed.pki().caPem()); // docker trusts loopback registries and takes no CA
        }
        LocalFiles files = new LocalFiles();
        Session.open(request.build(), commands, files, SessionLog.SILENT).close(commands, files, SessionLog.SILENT);
    }

    private static void check(CommandResult result) {
        if (!result.succeeded()) {
            throw new IllegalStateException("raw login failed: " + result.output());
        }
    }
}
