package io.jenkins.plugins.icr.jenkins.step;

import static io.jenkins.plugins.icr.jenkins.step.BlockFixtures.basic;
import static io.jenkins.plugins.icr.jenkins.step.BlockFixtures.grep;
import static io.jenkins.plugins.icr.jenkins.step.BlockFixtures.pipeline;
import static io.jenkins.plugins.icr.jenkins.step.BlockFixtures.sessionFolders;
import static io.jenkins.plugins.icr.jenkins.step.BlockFixtures.store;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cloudbees.plugins.credentials.CredentialsProvider;
import com.cloudbees.plugins.credentials.CredentialsScope;
import com.cloudbees.plugins.credentials.domains.Domain;
import com.cloudbees.plugins.credentials.impl.UsernamePasswordCredentialsImpl;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import hudson.FilePath;
import hudson.model.FreeStyleBuild;
import hudson.model.FreeStyleProject;
import hudson.model.Result;
import hudson.tasks.Shell;
import io.jenkins.plugins.icr.testbed.ArgvSampler;
import io.jenkins.plugins.icr.testbed.Installed;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import jenkins.model.Jenkins;
import org.jenkinsci.plugins.structs.describable.DescribableModel;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.BuildWatcherExtension;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

/**
 * withIcrLogin's {@code pullSecret}: a Kubernetes pull secret made from the key, in a file the body hands to kubectl,
 * masked whole in the log, never on a command line, holding this block's login only. kubectl reads it with {@code
 * patch --local}: {@code apply} and {@code create -f} need a cluster even with {@code --dry-run=client}.
 */
@WithJenkins
class IcrLoginPullSecretTest {

    @RegisterExtension
    static final BuildWatcherExtension BUILD_WATCHER = new BuildWatcherExtension();

    @RegisterExtension
    static final BlockFixtures FIXTURES = new BlockFixtures();

    private static final ObjectMapper JSON = new ObjectMapper();

    @BeforeAll
    static void kubectl() {
        Installed.require("kubectl", "kubernetes-client");
    }

    @Test
    void declarativeWritesAManifestKubectlReadsMaskedWholeAndOnNoCommandLine(JenkinsRule j) throws Exception {
        String key = FIXTURES.testbed().newApiKey();
        String host = FIXTURES.testbed().host();
        String data = data(host, key);
        store("icr", key);
        WorkflowJob p = pipeline(j, "pipeline {\n"
                + "  agent any\n"
                + "  stages {\n"
                + "    stage('pull secret') {\n"
                + "      steps {\n"
                + "        withIcrLogin(" + FIXTURES.options("icr")
                + ", pullSecret: 'icr-pull', pullSecretNamespace: 'apps') {\n"
                + "          sh 'cat \"$ICR_PULL_SECRET\"'\n"
                + "          sh 'kubectl patch --local -f \"$ICR_PULL_SECRET\" -p {} -o yaml'\n"
                + "          sh 'cp \"$ICR_PULL_SECRET\" seen.json; sleep 2'\n"
                + "        }\n"
                + "      }\n"
                + "    }\n"
                + "  }\n"
                + "}");
        WorkflowRun b;
        try (ArgvSampler sampler = ArgvSampler.watch(key, basic(key), data)) {
            b = j.buildAndAssertSuccess(p);
            sampler.close();
            assertTrue(sampler.samples() > 10, "sampled /proc " + sampler.samples() + " times");
            assertEquals(Set.of(), sampler.hits(), "no process held the key, its auth value or the secret's data");
        }
        j.assertLogContains("The Kubernetes pull secret apps/icr-pull for " + host
                + " is ready for kubectl apply -f \"$ICR_PULL_SECRET\".", b);
        j.assertLogContains("\".dockerconfigjson\" : \"****\"", b); // cat: the data masked whole
        j.assertLogContains(".dockerconfigjson: ****", b); // kubectl's YAML of the same secret
        j.assertLogContains("kind: Secret", b);
        j.assertLogNotContains(key, b);
        j.assertLogNotContains(basic(key), b);
        j.assertLogNotContains(data, b);

        FilePath seen = j.jenkins.getWorkspaceFor(p).child("seen.json");
        JsonNode manifest = JSON.readTree(seen.readToString());
        seen.delete();
        assertEquals(data, manifest.path("data").path(".dockerconfigjson").asText(), "the data the test masks for");
        assertEquals("kubernetes.io/dockerconfigjson", manifest.path("type").asText());
        assertEquals(List.of(), sessionFolders(j, b), "the manifest went with the block's folder");
        assertEquals(Set.of(), grep(b.getRootDir(), data));
        assertEquals(Set.of(), grep(b.getRootDir(), key));
    }

    @Test
    void aNestedBlocksSecretHoldsItsOwnLoginAndNotTheOuterBlocks(JenkinsRule j) throws Exception {
        String outerKey = FIXTURES.testbed().newApiKey();
        String innerKey = FIXTURES.testbed().newApiKey();
        store("outer", outerKey);
        store("inner", innerKey);
        // The testbed under a second name: the outer block logs in to another host than the inner one.
        String outerHost = FIXTURES.testbed().host().replace("127.0.0.1", "localhost");
        String ca = ", caCertificate: '''" + FIXTURES.testbed().pki().caPem() + "'''";
        WorkflowJob p = pipeline(j, "node {\n"
                + "  withIcrLogin(credentialsId: 'outer', region: '" + outerHost + "'" + ca + ") {\n"
                + "    withIcrLogin(" + FIXTURES.options("inner") + ", pullSecret: 'icr-pull') {\n"
                + "      sh 'cp \"$DOCKER_CONFIG/config.json\" config-seen.json'\n"
                + "      sh 'cp \"$ICR_PULL_SECRET\" secret-seen.json'\n"
                + "    }\n"
                + "  }\n"
                + "}");
        j.buildAndAssertSuccess(p);
        FilePath ws = j.jenkins.getWorkspaceFor(p);
        String config = ws.child("config-seen.json").readToString();
        JsonNode manifest = JSON.readTree(ws.child("secret-seen.json").readToString());
        ws.child("config-seen.json").delete();
        ws.child("secret-seen.json").delete();
        assertTrue(config.contains(basic(outerKey)) && config.contains(basic(innerKey)),
                "the body's own config has both logins");
        String logins = new String(Base64.getDecoder().decode(manifest.path("data").path(".dockerconfigjson").asText()),
                StandardCharsets.UTF_8);
        assertEquals(List.of(FIXTURES.testbed().host()), names(JSON.readTree(logins).path("auths")), logins);
        assertTrue(logins.contains(basic(innerKey)), logins);
        assertFalse(logins.contains(outerKey) || logins.contains(basic(outerKey)), "nothing of the outer login");
        assertFalse(manifest.path("metadata").has("namespace"), "no namespace asked for: kubectl's own");
    }

    @Test
    void bearerModeAndTokenCredentialsAreRefusedWithTheReason(JenkinsRule j) throws Exception {
        store("icr", FIXTURES.testbed().newApiKey());
        WorkflowRun bearer = j.assertBuildStatus(Result.FAILURE, pipeline(j, "node { withIcrLogin("
                + FIXTURES.options("icr") + ", mode: 'bearer', pullSecret: 'icr-pull') { echo 'never' } }")
                .scheduleBuild2(0));
        j.assertLogContains("The pull secret icr-pull would be made from an IAM token in mode: 'bearer', and tokens"
                + " expire within the hour", bearer);
        j.assertLogContains("use mode: 'apikey' in the block that writes it, or drop pullSecret.", bearer);
        j.assertLogNotContains("never", bearer);
        j.assertLogNotContains("\tat ", bearer);

        CredentialsProvider.lookupStores(Jenkins.get()).iterator().next().addCredentials(Domain.global(),
                new UsernamePasswordCredentialsImpl(CredentialsScope.GLOBAL, "token", null, "iambearer",
                        "an-iam-token"));
        WorkflowRun token = j.assertBuildStatus(Result.FAILURE, pipeline(j, "node { withIcrLogin("
                + FIXTURES.options("token") + ", pullSecret: 'icr-pull') { echo 'never' } }").scheduleBuild2(0));
        j.assertLogContains("token: The pull secret icr-pull is made from an API key, but these credentials hold an"
                + " IAM token (username iambearer)", token);
        j.assertLogNotContains("never", token);
        j.assertLogNotContains("an-iam-token", token);
    }

    @Test
    void theFreestyleWrapperTakesTheOptionsFlatAndMasksTheSecretToo(JenkinsRule j) throws Exception {
        String key = FIXTURES.testbed().newApiKey();
        store("icr", key);
        FreeStyleProject p = j.createFreeStyleProject("f");
        // What Job DSL, Configuration as Code and Pipeline's wrap hand over.
        p.getBuildWrappersList().add(DescribableModel.of(IcrLoginBuildWrapper.class).instantiate(Map.of(
                "credentialsId", "icr", "region", FIXTURES.testbed().host(),
                "caCertificate", FIXTURES.testbed().pki().caPem(),
                "pullSecret", "icr-pull", "pullSecretNamespace", "apps")));
        p.getBuildersList().add(new Shell("test \"$(stat -c %a \"$ICR_PULL_SECRET\")\" = 600\n"
                + "kubectl patch --local -f \"$ICR_PULL_SECRET\" -p {} -o name\n"
                + "cat \"$ICR_PULL_SECRET\"\n"));
        FreeStyleBuild b = j.buildAndAssertSuccess(p);
        j.assertLogContains("secret/icr-pull", b);
        j.assertLogContains("\".dockerconfigjson\" : \"****\"", b);
        j.assertLogNotContains(data(FIXTURES.testbed().host(), key), b);
        j.assertLogNotContains(key, b);
    }

    /**
     * The Secret's data as kubectl's own {@code create secret docker-registry} writes it (the engine's test proves
     * they are equal): what the log must never show.
     */
    private static String data(String host, String key) {
        String config = "{\"auths\":{\"" + host + "\":{\"username\":\"iamapikey\",\"password\":\"" + key
                + "\",\"auth\":\"" + basic(key) + "\"}}}";
        return Base64.getEncoder().encodeToString(config.getBytes(StandardCharsets.UTF_8));
    }

    private static List<String> names(JsonNode object) {
        List<String> names = new ArrayList<>();
        object.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
