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
import com.cloudbees.plugins.credentials.SecretBytes;
import com.cloudbees.plugins.credentials.domains.Domain;
import com.cloudbees.plugins.credentials.impl.UsernamePasswordCredentialsImpl;
import hudson.FilePath;
import hudson.model.Result;
import hudson.util.Secret;
import io.jenkins.plugins.icr.testbed.ArgvSampler;
import io.jenkins.plugins.icr.testbed.Installed;
import java.net.URL;
import java.util.List;
import java.util.Set;
import jenkins.model.Jenkins;
import org.htmlunit.HttpMethod;
import org.htmlunit.WebRequest;
import org.htmlunit.util.NameValuePair;
import org.jenkinsci.plugins.plaincredentials.impl.FileCredentialsImpl;
import org.jenkinsci.plugins.plaincredentials.impl.StringCredentialsImpl;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.BuildWatcherExtension;
import org.jvnet.hudson.test.junit.jupiter.JenkinsSessionExtension;

/** withIcrLogin on a real Jenkins, against the ICR testbed: login, push, masking, credentials, Declarative, forms. */
class IcrLoginStepTest {

    @RegisterExtension
    static final BuildWatcherExtension BUILD_WATCHER = new BuildWatcherExtension();

    @RegisterExtension
    static final BlockFixtures FIXTURES = new BlockFixtures();

    @RegisterExtension
    final JenkinsSessionExtension sessions = new JenkinsSessionExtension();

    @Test
    void logsInRunsTheBodyMasksTheKeyAndCleansUp() throws Throwable {
        String key = FIXTURES.testbed().newApiKey();
        sessions.then(j -> {
            store("icr", key);
            WorkflowRun b = j.buildAndAssertSuccess(pipeline(j, "node {\n"
                    + "  withIcrLogin(" + FIXTURES.options("icr") + ") {\n"
                    + "    sh 'test -f \"$DOCKER_CONFIG/config.json\" && test -f \"$REGISTRY_AUTH_FILE\"'\n"
                    + "    sh 'echo \"registry=$ICR_REGISTRY\"; cat \"$DOCKER_CONFIG/config.json\"'\n"
                    + "    sh '" + FIXTURES.push("jenkins") + "'\n"
                    + "  }\n"
                    + "}"));
            j.assertLogContains("registry=" + FIXTURES.testbed().host(), b);
            j.assertLogContains("Logged in to " + FIXTURES.testbed().host(), b);
            j.assertLogContains("****", b);
            j.assertLogNotContains(key, b);
            j.assertLogNotContains(basic(key), b);
            assertEquals(Set.of(), grep(b.getRootDir(), key));
            assertEquals(List.of(), sessionFolders(j, b));
            String api = j.createWebClient().goTo(b.getUrl() + "api/json?tree=actions[logins[*]]", "application/json")
                    .getWebResponse().getContentAsString();
            assertTrue(api.contains("\"registry\":\"" + FIXTURES.testbed().host() + "\"")
                    && api.contains("\"client\":\"auth-file\"") && api.contains("\"mode\":\"apikey\"")
                    && api.contains("\"cleanup\":\"DONE\""), api);
            assertFalse(api.contains(key) || api.contains(basic(key)), "nothing of a secret in the API");
        });
    }

    @Test
    void bearerModeSendsTheAgentAnIamTokenAndNeverTheKey() throws Throwable {
        String key = FIXTURES.testbed().newApiKey();
        String deleted = FIXTURES.testbed().newApiKey();
        FIXTURES.testbed().iam().deleteApiKey(deleted);
        sessions.then(j -> {
            FIXTURES.storeWithIam("icr", key);
            FIXTURES.storeWithIam("deleted", deleted);
            WorkflowJob p = pipeline(j, "node { withIcrLogin(" + FIXTURES.options("icr") + ", mode: 'bearer') {\n"
                    + "  sh 'cp \"$DOCKER_CONFIG/config.json\" seen.json; " + FIXTURES.push("bearer") + "'\n"
                    + "} }");
            WorkflowRun b = j.buildAndAssertSuccess(p);
            j.assertLogContains("the key does not reach the agent", b);
            j.assertLogContains("as iambearer", b);
            FilePath seen = j.jenkins.getWorkspaceFor(p).child("seen.json");
            String login = seen.readToString();
            seen.delete();
            assertTrue(login.contains("\"auth\"") && !login.contains(basic(key)), "the agent got a token, not the key");
            String page = BlockFixtures.buildPage(j, b);
            assertTrue(page.contains("Logged in to " + FIXTURES.testbed().host() + " with auth-file (bearer) as service ID"),
                    page);
            assertTrue(page.contains("logged out and removed"), page);

            WorkflowRun refused = j.assertBuildStatus(Result.FAILURE, pipeline(j, "node { withIcrLogin("
                    + FIXTURES.options("deleted") + ", mode: 'bearer') { echo 'never' } }").scheduleBuild2(0));
            j.assertLogContains("BXNIM0415E", refused);
            j.assertLogNotContains("\tat ", refused);
        });
    }

    @Test
    void anErrorThatQuotesTheKeyIsMasked() throws Throwable {
        String key = FIXTURES.testbed().newApiKey();
        sessions.then(j -> {
            store("icr", key);
            WorkflowJob p = pipeline(j, "node { withIcrLogin(" + FIXTURES.options("icr") + ") {\n"
                    + "  error(\"bad key \" + sh(script: 'cat \"$DOCKER_CONFIG/config.json\"', returnStdout: true))\n"
                    + "} }");
            WorkflowRun b = j.assertBuildStatus(Result.FAILURE, p.scheduleBuild2(0));
            j.assertLogContains("bad key", b);
            j.assertLogNotContains(basic(key), b);
        });
    }

    /** /proc as a local user or another build sees it: the key is in no environment unless the block asks for it. */
    @Test
    void noProcessOfTheBuildHoldsTheKeyInItsEnvironmentUnlessExposeApiKeyAsAsks() throws Throwable {
        Installed.require("podman", "podman");
        String key = FIXTURES.testbed().newApiKey();
        sessions.then(j -> {
            store("icr", key);
            String body = "sh 'sleep 2; " + FIXTURES.push("environ") + "'";
            try (ArgvSampler sampler = ArgvSampler.watch(key, basic(key))) {
                j.buildAndAssertSuccess(pipeline(j, "node { withIcrLogin(" + FIXTURES.options("icr")
                        + ", client: 'podman') { " + body + " } }"));
                sampler.close();
                assertTrue(sampler.samples() > 10, "sampled /proc " + sampler.samples() + " times");
                assertEquals(Set.of(), sampler.hits());
            }
            // The same sampler sees the key where a block puts it on purpose: the check above can fail.
            try (ArgvSampler sampler = ArgvSampler.watch(key)) {
                j.buildAndAssertSuccess(pipeline(j, "node { withIcrLogin(" + FIXTURES.options("icr")
                        + ", exposeApiKeyAs: 'CF_DOCKER_PASSWORD') { sh 'sleep 2' } }"));
                sampler.close();
                assertTrue(sampler.hits().stream().anyMatch(hit -> hit.contains("/environ")), sampler.hits().toString());
            }
        });
    }

    @Test
    void secretTextAndUsernamePasswordCredentialsWorkTooAndOtherKindsAreNamed() throws Throwable {
        String key = FIXTURES.testbed().newApiKey();
        sessions.then(j -> {
            var store = CredentialsProvider.lookupStores(Jenkins.get()).iterator().next();
            store.addCredentials(Domain.global(), new StringCredentialsImpl(CredentialsScope.GLOBAL, "text", null,
                    Secret.fromString(key)));
            store.addCredentials(Domain.global(), new UsernamePasswordCredentialsImpl(CredentialsScope.GLOBAL,
                    "userpass", null, "iamapikey", key));
            store.addCredentials(Domain.global(), new UsernamePasswordCredentialsImpl(CredentialsScope.GLOBAL,
                    "retired", null, "token", key));
            store.addCredentials(Domain.global(), new FileCredentialsImpl(CredentialsScope.GLOBAL, "file", null,
                    "key.json", SecretBytes.fromString(key)));
            j.buildAndAssertSuccess(pipeline(j, "node {\n"
                    + "  withIcrLogin(" + FIXTURES.options("text") + ") { sh 'test -f \"$DOCKER_CONFIG/config.json\"' }\n"
                    + "  withIcrLogin(" + FIXTURES.options("userpass") + ") { sh 'test -f \"$DOCKER_CONFIG/config.json\"' }\n"
                    + "}"));
            WorkflowRun retired = j.assertBuildStatus(Result.FAILURE,
                    pipeline(j, "node { withIcrLogin(" + FIXTURES.options("retired") + ") { echo 'never' } }").scheduleBuild2(0));
            j.assertLogContains("The username 'token' was retired", retired);
            WorkflowRun file = j.assertBuildStatus(Result.FAILURE,
                    pipeline(j, "node { withIcrLogin(" + FIXTURES.options("file") + ") { echo 'never' } }").scheduleBuild2(0));
            j.assertLogContains("withIcrLogin takes an \"IBM Cloud API key\"", file);
            j.assertLogNotContains(key, retired);
        });
    }

    @Test
    void parallelBranchesWithDifferentKeysNeverSeeEachOthersLogin() throws Throwable {
        Installed.require("podman", "podman");
        String first = FIXTURES.testbed().newApiKey();
        String second = FIXTURES.testbed().newApiKey();
        sessions.then(j -> {
            store("first", first);
            store("second", second);
            j.buildAndAssertSuccess(pipeline(j, "node {\n"
                    + "  parallel a: {\n"
                    + "    withIcrLogin(" + FIXTURES.options("first") + ", client: 'podman') {\n"
                    + "      sh 'cp \"$DOCKER_CONFIG/config.json\" a.json; " + FIXTURES.push("a") + "'\n"
                    + "    }\n"
                    + "  }, b: {\n"
                    + "    withIcrLogin(" + FIXTURES.options("second") + ", client: 'skopeo') {\n"
                    + "      sh 'cp \"$DOCKER_CONFIG/config.json\" b.json; " + FIXTURES.push("b") + "'\n"
                    + "    }\n"
                    + "  }\n"
                    + "}"));
            FilePath ws = j.jenkins.getWorkspaceFor(j.jenkins.getItemByFullName("p", WorkflowJob.class));
            String a = ws.child("a.json").readToString();
            String b = ws.child("b.json").readToString();
            assertTrue(a.contains(basic(first)) && !a.contains(basic(second)), "branch a has only its own login");
            assertTrue(b.contains(basic(second)) && !b.contains(basic(first)), "branch b has only its own login");
            ws.child("a.json").delete();
            ws.child("b.json").delete();
        });
    }

    @Test
    void declarativeTakesTheStepInOptionsAndInSteps() throws Throwable {
        String key = FIXTURES.testbed().newApiKey();
        sessions.then(j -> {
            store("icr", key);
            WorkflowRun b = j.buildAndAssertSuccess(pipeline(j, "pipeline {\n"
                    + "  agent any\n"
                    + "  options { withIcrLogin(" + FIXTURES.options("icr") + ") }\n"
                    + "  stages {\n"
                    + "    stage('in options') { steps { sh 'test -f \"$DOCKER_CONFIG/config.json\"' } }\n"
                    + "    stage('in steps') { steps { withIcrLogin(" + FIXTURES.options("icr") + ") { sh 'echo inner=$DOCKER_CONFIG' } } }\n"
                    + "  }\n"
                    + "}"));
            j.assertLogContains("inner=", b);
            assertEquals(List.of(), sessionFolders(j, b));
        });
    }

    @Test
    void mistakesFailTheBuildWithWhatToDo() throws Throwable {
        sessions.then(j -> {
            store("icr", FIXTURES.testbed().newApiKey());
            WorkflowRun unknownRegion = j.assertBuildStatus(Result.FAILURE, pipeline(j,
                    "node { withIcrLogin(credentialsId: 'icr', region: 'us-sout') { echo 'never' } }").scheduleBuild2(0));
            j.assertLogContains("Did you mean 'us-south'", unknownRegion);
            j.assertLogNotContains("never", unknownRegion);
            WorkflowRun noCredentials = j.assertBuildStatus(Result.FAILURE, pipeline(j,
                    "node { withIcrLogin(credentialsId: 'nope', region: 'us-south') { echo 'never' } }").scheduleBuild2(0));
            j.assertLogContains("Could not find credentials 'nope'", noCredentials);
            WorkflowRun noNode = j.assertBuildStatus(Result.FAILURE, pipeline(j,
                    "withIcrLogin(credentialsId: 'icr', region: 'us-south') { echo 'never' }").scheduleBuild2(0));
            j.assertLogContains("FilePath", noNode);
        });
    }

    @Test
    void theSnippetGeneratorWritesTheShortForm() throws Throwable {
        sessions.then(j -> {
            pipeline(j, "echo 'any'");
            assertEquals("withIcrLogin(credentialsId: 'icr', region: 'us-south') {\n    // some block\n}",
                    snippet(j, "{'credentialsId': 'icr', 'region': 'us-south', 'client': 'auth-file', 'mode': 'apikey',"
                            + " 'privateEndpoint': false, 'caCertificate': '', 'exposeApiKeyAs': '', 'pullSecret': '',"
                            + " 'pullSecretNamespace': ''}"));
            assertEquals("withIcrLogin(client: 'podman', credentialsId: 'icr', mode: 'bearer', privateEndpoint: true,"
                    + " region: 'eu-de') {\n    // some block\n}",
                    snippet(j, "{'credentialsId': 'icr', 'region': 'eu-de', 'client': 'podman', 'mode': 'bearer',"
                            + " 'privateEndpoint': true, 'caCertificate': '', 'exposeApiKeyAs': '', 'pullSecret': '',"
                            + " 'pullSecretNamespace': ''}"));
            assertEquals("withIcrLogin(credentialsId: 'icr', pullSecret: 'icr-pull', pullSecretNamespace: 'apps',"
                    + " region: 'us-south') {\n    // some block\n}",
                    snippet(j, "{'credentialsId': 'icr', 'region': 'us-south', 'client': 'auth-file', 'mode': 'apikey',"
                            + " 'privateEndpoint': false, 'caCertificate': '', 'exposeApiKeyAs': '',"
                            + " 'pullSecret': 'icr-pull', 'pullSecretNamespace': 'apps'}"));
        });
    }

    /** What the Pipeline Syntax page generates for the step's form, as it posts it. */
    private static String snippet(JenkinsRule j, String form) throws Exception {
        String json = form.replace('\'', '"').replace("{", "{\"stapler-class\": \"" + IcrLoginStep.class.getName() + "\", ");
        try (JenkinsRule.WebClient wc = j.createWebClient()) {
            WebRequest request = new WebRequest(new URL(j.getURL(), "job/p/pipeline-syntax/generateSnippet"), HttpMethod.POST);
            request.setRequestParameters(List.of(new NameValuePair("json", json)));
            return wc.getPage(wc.addCrumb(request)).getWebResponse().getContentAsString().strip();
        }
    }
}
