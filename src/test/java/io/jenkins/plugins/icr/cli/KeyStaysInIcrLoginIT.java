package io.jenkins.plugins.icr.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.icr.login.Client;
import io.jenkins.plugins.icr.testbed.ArgvSampler;
import io.jenkins.plugins.icr.testbed.Installed;
import io.jenkins.plugins.icr.testbed.TestbedExtension;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The packaged icr-login, run as a process against the testbed: the key stays in icr-login. No child it starts
 * (the client's login and logout, the command, the command's own child) has it in its environment or arguments,
 * as {@code /proc} shows them to the tools that print their environment; the command gets it only on request.
 * And the launcher itself starts no program with the key, through a symbolic link either. And the user's docker
 * settings are found where docker itself looks.
 */
class KeyStaysInIcrLoginIT {

    @RegisterExtension
    static final TestbedExtension TESTBED = new TestbedExtension();

    @TempDir
    Path work;

    private List<String> login(Client client, Path base) {
        List<String> args = new ArrayList<>(List.of("--region", TESTBED.get().host(), "--custom-host",
                "--client", client.id(), "--base-folder", base.toString()));
        if (client != Client.DOCKER) {
            // docker trusts every loopback registry and takes no CA; with one, it would not run its own login.
            args.addAll(List.of("--ca-file", TESTBED.get().pki().caCertificate().toString()));
        }
        return args;
    }

    @ParameterizedTest
    @EnumSource(value = Client.class, names = {"SKOPEO", "DOCKER"})
    void noChildHasTheKeyInItsEnvironmentOrArguments(Client client) throws Exception {
        Installed.require(client.program(), client.debianPackage());
        String key = TESTBED.get().newApiKey();
        Map<String, String> env = Launched.environment(work);
        env.put("IBMCLOUD_API_KEY", key);
        env.put("A_COPY_OF_THE_KEY", key); // the same secret under another name goes too
        Launched.wrap(work, client.program());
        Path base = Files.createDirectories(work.resolve("base"));
        List<String> args = login(client, base);
        args.addAll(List.of("--", "sh", Launched.command(work, false).toString()));

        Launched.Result result = Launched.run(env, work, args);

        assertEquals(0, result.exit(), result.stderr());
        Map<String, byte[]> records = Launched.records(env);
        Set<String> seen = new TreeSet<>();
        records.forEach((name, content) -> {
            String text = new String(content, StandardCharsets.UTF_8);
            assertFalse(text.contains(key), name + " holds the key");
            assertFalse(text.contains("IBMCLOUD_API_KEY=") || text.contains("A_COPY_OF_THE_KEY="), name);
            if (name.endsWith(".cmdline")) {
                seen.add(name.startsWith(client.program()) ? text.contains("logout") ? "logout" : "login"
                        : name.replace(".cmdline", ""));
            }
        });
        assertEquals(Set.of("login", "logout", "command", "grandchild"), seen, "every child was recorded");
        assertTrue(new String(records.get("command.environ"), StandardCharsets.UTF_8)
                .contains("ICR_REGISTRY=" + TESTBED.get().host()));
        assertEquals(List.of(), Files.list(base).toList(), "the session's folder is gone");
    }

    /** How the launcher is started: by its own path, or through links as docs/cli.md installs it. */
    enum Start { DIRECT, SYMLINK }

    /**
     * The launcher's own children: a launcher that ran mkdir for its cache folder, or ls and sed to follow a link,
     * gave each the key in its environment. Wrappers of those programs record what they were given. So does a java
     * wrapper, for the JVM's own environment: the JDK gives it whole to jspawnhelper, which starts each of
     * icr-login's children. And a sampler of every process's environ and argv looks for any other program, started
     * by a path no wrapper catches.
     */
    @ParameterizedTest
    @EnumSource(Start.class)
    void theLauncherStartsNoProgramWithTheKeyNotEvenThroughASymlink(Start start) throws Exception {
        String key = TESTBED.get().newApiKey();
        Map<String, String> env = Launched.environment(work);
        env.put("IBMCLOUD_API_KEY", key);
        env.put("A_COPY_OF_THE_KEY", key);
        env.put("ICR_LOGIN_CACHE", work.resolve("cache").toString()); // a folder to make: mkdir, once
        Launched.wrapLauncherTools(work, env);
        env.put("JAVA_HOME", Launched.recordingJava(work, env).toString());
        Path launcher = Launched.launcher().toAbsolutePath();
        if (start == Start.SYMLINK) {
            // usr/local/bin/icr-login -> ../../../opt/bin/icr-login -> the distribution's: relative, then absolute
            Path opt = Files.createDirectories(work.resolve("opt/bin"));
            Files.createSymbolicLink(opt.resolve("icr-login"), launcher);
            Path bin = Files.createDirectories(work.resolve("usr/local/bin"));
            launcher = Files.createSymbolicLink(bin.resolve("icr-login"), Path.of("../../../opt/bin/icr-login"));
        }
        List<String> args = login(Client.AUTH_FILE, Files.createDirectories(work.resolve("base")));
        args.addAll(List.of("--", "sh", Launched.command(work, false).toString()));

        Launched.Result result;
        long pid;
        Set<String> hits;
        try (ArgvSampler sampler = ArgvSampler.watch(key)) {
            Process process = Launched.start(env, work, launcher, args);
            pid = process.pid();
            result = Launched.finish(process, work);
            hits = sampler.hits();
        }

        assertEquals(0, result.exit(), result.stderr());
        Map<String, byte[]> records = Launched.records(env);
        records.forEach((name, content) -> assertFalse(new String(content, StandardCharsets.UTF_8).contains(key),
                name + " holds the key"));
        Set<String> programs = new TreeSet<>();
        records.keySet().stream().filter(name -> name.startsWith("launcher-") && name.endsWith(".cmdline"))
                .forEach(name -> programs.add(name.replaceAll("^launcher-|-[0-9]+\\.cmdline$", "")));
        assertEquals(start == Start.SYMLINK ? Set.of("ls") : Set.of(), programs,
                "the launcher's children: only ls, to read a link");
        assertTrue(records.containsKey("java.environ"), "the JVM's environment was recorded");
        // The launcher's process holds the key until it becomes java; so does, for the instant before it runs ls or
        // reads export -p, a fork of the launcher shell: the same program and memory. Any other process may not.
        String self = "/bin/sh " + launcher + " ";
        Set<String> others = new TreeSet<>();
        hits.stream().filter(hit -> !hit.startsWith(pid + "/") && !hit.contains(": " + self)).forEach(others::add);
        assertEquals(Set.of(), others, "no other process held the key");
        assertTrue(records.containsKey("command.environ"), "the command ran");
    }

    @Test
    void theCommandGetsTheKeyOnlyWhenItAsksForItAndTheClientsNever() throws Exception {
        String key = TESTBED.get().newApiKey();
        Map<String, String> env = Launched.environment(work);
        env.put("MY_KEY", key);
        Launched.wrap(work, "skopeo");
        List<String> args = login(Client.SKOPEO, Files.createDirectories(work.resolve("base")));
        args.addAll(List.of("--key-env", "MY_KEY", "--expose-api-key-as", "CF_DOCKER_PASSWORD", "--", "sh",
                Launched.command(work, false).toString()));

        Launched.Result result = Launched.run(env, work, args);

        assertEquals(0, result.exit(), result.stderr());
        Map<String, byte[]> records = Launched.records(env);
        String command = new String(records.get("command.environ"), StandardCharsets.UTF_8);
        assertTrue(command.contains("CF_DOCKER_PASSWORD=" + key), "the command asked for it");
        assertFalse(command.contains("MY_KEY="));
        records.forEach((name, content) -> {
            if (name.startsWith("skopeo")) {
                assertFalse(new String(content, StandardCharsets.UTF_8).contains(key), name + " holds the key");
            }
        });
    }

    @Test
    void theUsersDockerSettingsComeFromHomeAsDockerFindsThem() throws Exception {
        Map<String, String> env = Launched.environment(work);
        env.put("IBMCLOUD_API_KEY", TESTBED.get().newApiKey());
        Path home = Path.of(env.get("HOME")); // not the home of the user the JVM runs as
        Files.createDirectories(home.resolve(".docker"));
        Files.writeString(home.resolve(".docker/config.json"), "{\"auths\":{\"other.example\":{\"auth\":\"c2VjcmV0\"}},"
                + "\"proxies\":{\"default\":{\"httpsProxy\":\"http://proxy.example:3128\"}}}");
        List<String> args = login(Client.AUTH_FILE, Files.createDirectories(work.resolve("base")));
        args.addAll(List.of("--", "sh", Launched.command(work, false).toString()));

        Launched.Result result = Launched.run(env, work, args);

        assertEquals(0, result.exit(), result.stderr());
        String config = new String(Launched.records(env).get("config.json"), StandardCharsets.UTF_8);
        assertTrue(config.contains("proxy.example:3128"), config);
        assertFalse(config.contains("other.example"), "the user's settings, not their logins: " + config);
    }

    @Test
    void aDockerConfigOfTheUsersOwnGivesItsSettingsButNotItsLogins() throws Exception {
        Map<String, String> env = Launched.environment(work);
        env.put("IBMCLOUD_API_KEY", TESTBED.get().newApiKey());
        Path mine = Files.createDirectories(work.resolve("my-docker"));
        Files.writeString(mine.resolve("config.json"), "{\"auths\":{\"other.example\":{\"auth\":\"c2VjcmV0\"}},"
                + "\"credsStore\":\"secretservice\",\"HttpHeaders\":{\"X-Team\":\"blue\"}}");
        env.put("DOCKER_CONFIG", mine.toString());
        List<String> args = login(Client.AUTH_FILE, Files.createDirectories(work.resolve("base")));
        args.addAll(List.of("--", "sh", Launched.command(work, false).toString()));

        Launched.Result result = Launched.run(env, work, args);

        assertEquals(0, result.exit(), result.stderr());
        String config = new String(Launched.records(env).get("config.json"), StandardCharsets.UTF_8);
        assertTrue(config.contains("X-Team") && config.contains(TESTBED.get().host()), config);
        assertFalse(config.contains("other.example") || config.contains("credsStore"), config);
    }
}
