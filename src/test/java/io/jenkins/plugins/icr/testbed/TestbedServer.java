package io.jenkins.plugins.icr.testbed;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;

/**
 * The ICR testbed as a process of its own, for trying the plugin by hand on a Jenkins started with {@code mvn
 * hpi:run}: it writes the registry host, the IAM and VA emulators' URLs, its CA and some API keys to a properties
 * file, then serves until its standard input closes or {@code minutes} pass.
 *
 * <p>Arguments: the properties file to write, and how many minutes to serve at most (default 60).
 */
public final class TestbedServer {

    private TestbedServer() {}

    public static void main(String[] args) throws Exception {
        Path out = Path.of(args[0]);
        Duration limit = Duration.ofMinutes(args.length > 1 ? Long.parseLong(args[1]) : 60);
        try (IcrTestbed testbed = IcrTestbed.start()) {
            Properties p = new Properties();
            p.setProperty("host", testbed.host());
            p.setProperty("iam", testbed.iam().baseUrl());
            p.setProperty("va", testbed.va().endpoint());
            p.setProperty("ca", testbed.pki().caCertificate().toString());
            for (int i = 1; i <= 3; i++) {
                p.setProperty("key" + i, testbed.newApiKey());
            }
            try (var writer = Files.newBufferedWriter(out, StandardCharsets.UTF_8)) {
                p.store(writer, "ICR testbed; stops when this process's stdin closes");
            }
            System.out.println("testbed at " + testbed.host() + "; details in " + out);
            Thread stdin = new Thread(() -> {
                try {
                    while (System.in.read() >= 0) {
                        // serve until the parent closes our stdin
                    }
                } catch (java.io.IOException e) {
                    // closed
                }
            });
            stdin.setDaemon(true);
            stdin.start();
            stdin.join(limit.toMillis());
        }
    }
}
