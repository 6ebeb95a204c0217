package io.jenkins.plugins.icr.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jenkins.plugins.icr.testbed.Secrets;
import io.jenkins.plugins.icr.testbed.TestbedExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.ResourceBundle;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every error the packaged icr-login can give, run as a process: each says what to do in the command line's own
 * words. None names a step option or a Jenkins place, none shows the key, and each ends with its documented exit
 * status.
 */
class CommandLineErrorsIT {

    @RegisterExtension
    static final TestbedExtension TESTBED = new TestbedExtension();
    private static final String KEY = Secrets.used("cli-errors-0123456789abcdefghijklmnopqrstuvwx");

    @TempDir
    Path work;

    /** One mistake: what the user runs, with which variables, and what they must be told. */
    private record Case(String name, Map<String, String> env, List<String> args, int exit, String says) {}

    /** What Jenkins calls the options and places a message may name, where the command line says something else. */
    static List<String> jenkinsWords() {
        ResourceBundle bundle = ResourceBundle.getBundle("io.jenkins.plugins.icr.Text", Locale.ROOT);
        List<String> named = new ArrayList<>(List.of("credentialsId", "privateEndpoint", "allowCustomHosts",
                "iamEndpoint", "withIcrLogin", "Jenkins", "controller", "agent", "the build", "plugin", "mode: '",
                "client: '"));
        for (String key : Collections.list(bundle.getKeys())) {
            String name = key.replace("words.jenkins.", "");
            if (key.startsWith("words.jenkins.") && !name.equals("withValue")
                    && !bundle.getString("words.cli." + name).contains(bundle.getString(key))) {
                named.add(bundle.getString(key));
            }
        }
        return named;
    }

    private List<Case> cases() throws Exception {
        String host = TESTBED.get().host();
        String ca = TESTBED.get().pki().caCertificate().toString();
        String deleted = TESTBED.get().newApiKey();
        TESTBED.get().iam().deleteApiKey(deleted);
        Path notPem = Files.writeString(work.resolve("not.pem"), "hello");
        Path aFile = Files.writeString(work.resolve("a-file"), "");
        Map<String, String> key = Map.of("IBMCLOUD_API_KEY", KEY);
        Map<String, String> deletedKey = Map.of("IBMCLOUD_API_KEY", deleted);
        Map<String, String> goodKey = Map.of("IBMCLOUD_API_KEY", TESTBED.get().newApiKey());
        List<String> testbed = List.of("--region", host, "--custom-host", "--ca-file", ca);
        return List.of(
                new Case("no region", key, List.of("--", "true"), 64, "No region was given: set --region to one of"),
                new Case("unknown option", key, List.of("--bogus", "--region", "us-south", "--", "true"), 64,
                        "Unknown option --bogus."),
                new Case("no value", key, List.of("--region"), 64, "--region needs a value."),
                new Case("no command", key, List.of("--region", "us-south"), 64, "Give the command to run after --."),
                new Case("key as argument", Map.of(), List.of("--region", "us-south", "--key", KEY, "--", "true"), 64,
                        "--key is not accepted: a key on the command line is visible to every user"),
                new Case("no key", Map.of(), List.of("--region", "us-south", "--", "true"), 2,
                        "Set the API key in $IBMCLOUD_API_KEY, or give --key-file."),
                new Case("empty key", Map.of("IBMCLOUD_API_KEY", " "), List.of("--region", "us-south", "--", "true"),
                        2, "The IBM Cloud API key is empty. Put the key itself in the variable or file it is read"),
                new Case("key file", Map.of(), List.of("--region", "us-south", "--key-file", "/nonexistent/key", "--",
                        "true"), 2, "Could not read /nonexistent/key (no such file or folder)."),
                new Case("typo", key, List.of("--region", "us-sout", "--", "true"), 2, "Did you mean 'us-south'?"),
                new Case("custom host", key, List.of("--region", "registry.example:5000", "--", "true"), 2,
                        "A registry host of your own is accepted only with --custom-host."),
                new Case("client", key, List.of("--region", "us-south", "--client", "kaniko", "--", "true"), 2,
                        "'kaniko' is not a client that can log in. Set --client to one of"),
                new Case("mode", key, List.of("--region", "us-south", "--mode", "token", "--", "true"), 2,
                        "Set --mode to one of: apikey, bearer"),
                new Case("not a CA", key, List.of("--region", "us-south", "--ca-file", notPem.toString(), "--", "true"),
                        2, "The CA certificate given is not a PEM certificate."),
                new Case("no CA file", key, List.of("--region", "us-south", "--ca-file", "/nonexistent/ca.pem", "--",
                        "true"), 2, "Could not read /nonexistent/ca.pem"),
                new Case("variable", key, List.of("--region", "us-south", "--expose-api-key-as", "DOCKER_CONFIG", "--",
                        "true"), 2, "--expose-api-key-as takes an environment variable name"),
                new Case("expose in bearer mode", key, List.of("--region", "us-south", "--mode", "bearer",
                        "--expose-api-key-as", "CF_DOCKER_PASSWORD", "--", "true"), 2,
                        "Use --mode apikey, or drop --expose-api-key-as."),
                new Case("IAM endpoint", key, List.of("--region", "us-south", "--mode", "bearer", "--iam-endpoint",
                        "http://iam.example", "--", "true"), 2, "give --iam-endpoint an https URL"),
                new Case("key unknown to IAM", deletedKey, List.of("--region", "us-south", "--mode", "bearer",
                        "--iam-endpoint", TESTBED.get().iam().baseUrl(), "--", "true"), 2, "BXNIM0415E"),
                new Case("wrong key", deletedKey, with(testbed, "--", "true"), 2, "refused the IBM Cloud API key"),
                new Case("untrusted", key, List.of("--region", host, "--custom-host", "--", "true"), 2,
                        "give that CA certificate (PEM) with --ca-file."),
                new Case("untrusted, skopeo", key, List.of("--region", host, "--custom-host", "--client", "skopeo",
                        "--", "true"), 2, "give that CA certificate (PEM) with --ca-file."),
                new Case("client missing", with(key, "PATH", "/nonexistent"), with(testbed, "--client", "skopeo", "--",
                        "true"), 2, "or use --client auth-file (the default), which needs no program."),
                new Case("unreachable", key, List.of("--region", "127.0.0.1:1", "--custom-host", "--", "true"), 2,
                        "Could not reach the registry 127.0.0.1:1"),
                new Case("base folder", key, with(testbed, "--base-folder", aFile + "/sessions", "--", "true"), 2,
                        "choose another with --base-folder."),
                new Case("command", goodKey, with(testbed, "--", "no-such-command-here"), 127,
                        "Could not run no-such-command-here: it is not on the PATH."),
                new Case("pull secret in bearer mode", key, List.of("--region", "us-south", "--mode", "bearer",
                        "--pull-secret", "icr-pull", "--", "true"), 2,
                        "use --mode apikey in the icr-login that writes it, or drop --pull-secret."),
                new Case("pull secret name", key, List.of("--region", "us-south", "--pull-secret", "Icr_Pull", "--",
                        "true"), 2, "Give --pull-secret lower-case letters"),
                new Case("pull secret namespace", key, List.of("--region", "us-south", "--pull-secret-namespace",
                        "apps", "--", "true"), 2, "--pull-secret-namespace is set, but --pull-secret is not"),
                new Case("va without image", key, List.of("va", "--on-fail", "fail"), 64, "Give one image to check"),
                new Case("va outcome", key, List.of("va", "us.icr.io/ns/app:1", "--on-fail", "unstable-ish"), 64,
                        "is not a build result for --on-fail: choose fail, warn or pass."),
                new Case("va timeout", key, List.of("va", "us.icr.io/ns/app:1", "--timeout", "25h"), 64,
                        "--timeout: 25h is not a time from 0 to 24h"),
                new Case("va command", key, List.of("va", "us.icr.io/ns/app:1", "--", "true"), 64,
                        "icr-login va runs no command"),
                new Case("va no host", key, List.of("va", "ns/app:1"), 2, "or give --region."),
                new Case("va endpoint for ICR", key, List.of("va", "us.icr.io/ns/app:1", "--va-endpoint",
                        "https://va.example"), 2, "--va-endpoint is for a registry of your own"),
                new Case("va unreachable", goodKey, List.of("va", "127.0.0.1:1/ns/app:1", "--custom-host",
                        "--iam-endpoint", TESTBED.get().iam().baseUrl(), "--ca-file", ca), 2,
                        "Check that this machine can reach *.icr.io (directly or through HTTPS_PROXY)."));
    }

    private static List<String> with(List<String> args, String... more) {
        List<String> all = new ArrayList<>(args);
        all.addAll(List.of(more));
        return all;
    }

    private static Map<String, String> with(Map<String, String> env, String name, String value) {
        Map<String, String> all = new HashMap<>(env);
        all.put(name, value);
        return all;
    }

    @Test
    void everyErrorNamesTheCommandLinesFlagsOnlyAndSaysWhatToDo() throws Exception {
        List<String> stepWords = jenkinsWords();
        List<Case> cases = cases();
        ExecutorService pool = Executors.newFixedThreadPool(3); // a few at a time: each is a JVM
        try {
            List<Future<Launched.Result>> results = new ArrayList<>();
            for (Case c : cases) {
                results.add(pool.submit(() -> {
                    Path dir = Files.createDirectories(work.resolve(c.name().replace(' ', '-')));
                    Map<String, String> env = Launched.environment(dir);
                    env.putAll(c.env());
                    return Launched.run(env, dir, c.args());
                }));
            }
            List<String> wrong = new ArrayList<>();
            for (int i = 0; i < cases.size(); i++) {
                Case c = cases.get(i);
                Launched.Result result = results.get(i).get();
                String said = result.stderr();
                if (result.exit() != c.exit() || !said.contains(c.says())) {
                    wrong.add(c.name() + ": exit " + result.exit() + ", said: " + said);
                }
                stepWords.stream().filter(said::contains)
                        .forEach(w -> wrong.add(c.name() + ": names '" + w + "': " + said));
                if (said.contains(KEY)) {
                    wrong.add(c.name() + ": shows the key");
                }
            }
            assertEquals(List.of(), wrong);
        } finally {
            pool.shutdownNow();
        }
    }
}
