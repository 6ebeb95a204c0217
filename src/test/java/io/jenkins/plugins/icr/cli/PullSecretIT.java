package io.jenkins.plugins.icr.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jenkins.plugins.icr.testbed.Installed;
import io.jenkins.plugins.icr.testbed.TestbedExtension;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code icr-login --pull-secret}, the packaged launcher against the testbed: the command gets the manifest that
 * {@code withIcrLogin}'s {@code pullSecret} writes, and the real {@code kubectl} reads it offline ({@code patch
 * --local}: every command that validates against a cluster asks its API server first). The manifest lives as long
 * as the session, in its 0600 file; no process but icr-login's JVM ever holds the key, kubectl and the launcher's
 * own children included; icr-login never prints the secret.
 */
class PullSecretIT {

    @RegisterExtension
    static final TestbedExtension TESTBED = new TestbedExtension();
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path work;

    @BeforeAll
    static void kubectl() {
        Installed.require("kubectl", "kubernetes-client");
    }

    @Test
    void kubectlReadsTheSecretOfThisLoginAloneAndNothingOutlivesTheCommand() throws Exception {
        String key = TESTBED.get().newApiKey();
        String host = TESTBED.get().host();
        Map<String, String> env = Launched.environment(work);
        env.put("IBMCLOUD_API_KEY", key);
        env.put("DOCKER_CONFIG", Files.createDirectories(work.resolve("outer")).toString()); // an outer login...
        Files.writeString(work.resolve("outer/config.json"), "{\"auths\":{\"other.example\":{\"auth\":\"b3V0ZXI=\"}}}");
        Launched.wrap(work, "kubectl");
        Launched.wrapLauncherTools(work, env);
        Path base = Files.createDirectories(work.resolve("base"));
        String records = env.get(Launched.RECORDS);
        Path script = Launched.script(work.resolve("apply.sh"), String.join("\n",
                "#!/bin/sh",
                // What kubectl apply -f reads, parsed by kubectl itself, with no cluster.
                "kubectl patch --local -f \"$ICR_PULL_SECRET\" -p '{}' -o json > " + records + "/kubectl.json",
                "stat -c %a \"$ICR_PULL_SECRET\" > " + records + "/mode",
                "echo \"$ICR_PULL_SECRET\" > " + records + "/path",
                ""));

        Launched.Result result = Launched.run(env, work, List.of("--region", host, "--custom-host", "--ca-file",
                TESTBED.get().pki().caCertificate().toString(), "--base-folder", base.toString(),
                "--pull-secret", "icr-pull", "--pull-secret-namespace", "apps", "--", "sh", script.toString()));

        assertEquals(0, result.exit(), result.stderr());
        Map<String, byte[]> recorded = Launched.records(env);
        JsonNode secret = JSON.readTree(recorded.get("kubectl.json"));
        assertEquals("Secret", secret.path("kind").asText());
        assertEquals("kubernetes.io/dockerconfigjson", secret.path("type").asText());
        assertEquals("icr-pull", secret.at("/metadata/name").asText());
        assertEquals("apps", secret.at("/metadata/namespace").asText());
        String data = secret.at("/data/.dockerconfigjson").asText();
        JsonNode auths = JSON.readTree(Base64.getDecoder().decode(data)).path("auths");
        assertEquals(List.of(host), names(auths), "this login alone, not the outer one");
        assertEquals("iamapikey", auths.path(host).path("username").asText());
        assertEquals(key, auths.path(host).path("password").asText());
        assertEquals("600", new String(recorded.get("mode"), StandardCharsets.US_ASCII).strip());
        assertFalse(Files.exists(Path.of(new String(recorded.get("path"), StandardCharsets.UTF_8).strip())),
                "the manifest went with the session");
        assertEquals(List.of(), Files.list(base).toList(), "the session's folder is gone");

        assertTrue(result.stderr().contains("The Kubernetes pull secret apps/icr-pull for " + host
                + " is ready for kubectl apply -f \"$ICR_PULL_SECRET\"."), result.stderr());
        for (String shown : List.of(result.stdout(), result.stderr())) {
            assertFalse(shown.contains(key) || shown.contains(data), "icr-login printed the secret: " + shown);
        }
        recorded.forEach((name, content) -> {
            if (name.endsWith(".environ") || name.endsWith(".cmdline")) {
                String text = new String(content, StandardCharsets.UTF_8);
                assertFalse(text.contains(key) || text.contains(data), name + " holds the secret");
            }
        });
        assertTrue(recorded.keySet().stream().anyMatch(name -> name.startsWith("kubectl-")), "kubectl was recorded");
    }

    private static List<String> names(JsonNode object) {
        List<String> names = new ArrayList<>();
        object.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
