package io.jenkins.plugins.icr.cli;

import io.jenkins.plugins.icr.login.Client;
import io.jenkins.plugins.icr.testbed.IcrTestbed;
import io.jenkins.plugins.icr.testbed.Installed;
import io.jenkins.plugins.icr.testbed.Leftovers;
import io.jenkins.plugins.icr.testbed.TestImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The main job: the packaged {@code icr-login} against the ICR testbed, with no network. For each installed client
 * the launcher logs in, pushes and pulls a small image through the session's auth file only, logs out, and the demo
 * shows that nothing was left.
 *
 * <p>Argument: the launcher, {@code bin/icr-login} of the distribution that {@code package} made.
 */
public final class Demo {

    public static void main(String[] args) throws Exception {
        Path launcher = Path.of(args[0]);
        if (!Files.isExecutable(launcher)) {
            throw new IllegalStateException(launcher + " is missing: run package first");
        }
        int failures = 0;
        try (IcrTestbed testbed = IcrTestbed.start()) {
            Path work = testbed.newFolder("demo");
            String image = TestImage.create(work, "hello from icr-login");
            Path certs = Files.createDirectories(work.resolve("certs"));
            Files.copy(testbed.pki().caCertificate(), certs.resolve("ca.crt"));
            String key = testbed.newApiKey();
            Map<String, String> env = new HashMap<>(System.getenv());
            env.put("IBMCLOUD_API_KEY", key);
            env.remove("DOCKER_CONFIG");
            env.remove("REGISTRY_AUTH_FILE");
            System.out.printf("ICR testbed at %s (token service %s)%n%n", testbed.host(), testbed.tokenService().realm());
            System.out.printf("%-10s %-6s %8s  %s%n", "client", "result", "ms", "left behind");
            for (Client client : Client.values()) {
                if (client.program() != null && Installed.find(client.program()).isEmpty()) {
                    System.out.printf("%-10s %-6s %8s  %s%n", client.id(), "skip", "-", client.program() + " not installed");
                    continue;
                }
                Path base = Files.createDirectories(work.resolve("sessions-" + client.id()));
                String repo = "$ICR_REGISTRY/demo/" + client.id() + ":v1";
                String body = "skopeo copy -q --dest-cert-dir " + certs + " " + image + " docker://" + repo
                        + " && skopeo copy -q --src-cert-dir " + certs + " docker://" + repo + " oci:" + base
                        + "/pulled:v1";
                long start = System.nanoTime();
                List<String> login = new java.util.ArrayList<>(List.of(launcher.toString(), "--region",
                        testbed.host(), "--custom-host", "--client", client.id(), "--base-folder", base.toString()));
                if (client != Client.DOCKER) {
                    // docker trusts every loopback registry and takes no CA; the others are given the testbed's.
                    login.addAll(List.of("--ca-file", testbed.pki().caCertificate().toString()));
                }
                login.addAll(List.of("--", "sh", "-c", body));
                ProcessBuilder icrLogin = new ProcessBuilder(login).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                        .redirectError(ProcessBuilder.Redirect.INHERIT);
                icrLogin.environment().clear();
                icrLogin.environment().putAll(env);
                int exit = icrLogin.start().waitFor();
                long ms = (System.nanoTime() - start) / 1_000_000;
                List<String> left = Files.list(base).map(p -> p.getFileName().toString())
                        .filter(name -> name.startsWith("icr-")).toList();
                boolean keyOnDisk = !Leftovers.filesContaining(base, key).isEmpty();
                boolean ok = exit == 0 && left.isEmpty() && !keyOnDisk;
                failures += ok ? 0 : 1;
                System.out.printf("%-10s %-6s %8d  %s%n", client.id(), ok ? "ok" : "FAILED (exit " + exit + ")", ms,
                        left.isEmpty() && !keyOnDisk ? "nothing" : left + (keyOnDisk ? " and the key on disk" : ""));
            }
            System.out.printf("%ntoken requests made with the key: %d%n", testbed.tokenService().requestCount(key));
        }
        if (failures > 0) {
            throw new IllegalStateException(failures + " client(s) failed the demo");
        }
    }
}
