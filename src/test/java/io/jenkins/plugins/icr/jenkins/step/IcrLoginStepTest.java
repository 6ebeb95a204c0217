package io.jenkins.plugins.icr.jenkins.step;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cloudbees.plugins.credentials.CredentialsProvider;
import com.cloudbees.plugins.credentials.CredentialsScope;
import com.cloudbees.plugins.credentials.domains.Domain;
import com.cloudbees.plugins.credentials.SecretBytes;
import com.cloudbees.plugins.credentials.impl.UsernamePasswordCredentialsImpl;
import hudson.FilePath;
import hudson.model.Label;
import hudson.slaves.DumbSlave;
import hudson.model.Result;
import hudson.slaves.WorkspaceList;
import hudson.util.Secret;
import io.jenkins.plugins.icr.jenkins.credentials.IbmCloudApiKeyCredentials;
import io.jenkins.plugins.icr.testbed.Installed;
import io.jenkins.plugins.icr.testbed.TestbedExtension;
import java.io.File;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.htmlunit.HttpMethod;
import org.jenkinsci.plugins.plaincredentials.impl.FileCredentialsImpl;
import org.jenkinsci.plugins.plaincredentials.impl.StringCredentialsImpl;
import org.htmlunit.WebRequest;
import org.htmlunit.util.NameValuePair;
import jenkins.model.Jenkins;
import org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.jenkinsci.plugins.workflow.test.steps.SemaphoreStep;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.BuildWatcherExtension;
import org.jvnet.hudson.test.junit.jupiter.JenkinsSessionExtension;

/** withIcrLogin on a real Jenkins, against the ICR testbed: login, body, masking, and cleanup whatever happens. */
class IcrLoginStepTest {

    @RegisterExtension
    static final BuildWatcherExtension BUILD_WATCHER = new BuildWatcherExtension();

    @RegisterExtension
    static final TestbedExtension TESTBED = new TestbedExtension();

    @RegisterExtension
    final JenkinsSessionExtension sessions = new JenkinsSessionExtension();

    @BeforeAll
    static void allowTheTestRegistry() {
        Installed.require("skopeo", "skopeo");
        System.setProperty(IcrLoginSettings.ALLOW_CUSTOM_HOSTS, "true");
    }

    @AfterAll
    static void forbidCustomHostsAgain() {
        System.clearProperty(IcrLoginSettings.ALLOW_CUSTOM_HOSTS);
    }

    @Test
    void logsInRunsTheBodyMasksTheKeyAndCleansUp() throws Throwable {
        String key = TESTBED.get().newApiKey();
        sessions.then(j -> {
            store("icr", key);
            WorkflowRun b = j.buildAndAssertSuccess(pipeline(j, "node {\n"
                    + "  withIcrLogin(" + options("icr") + ") {\n"
                    + "    sh 'test -f \"$DOCKER_CONFIG/config.json\" && test -f \"$REGISTRY_AUTH_FILE\"'\n"
                    + "    sh 'echo \"registry=$ICR_REGISTRY\"; cat \"$DOCKER_CONFIG/config.json\"'\n"
                    + "    sh '" + push("jenkins") + "'\n"
                    + "  }\n"
                    + "}"));
            j.assertLogContains("registry=" + TESTBED.get().host(), b);
            j.assertLogContains("Logged in to " + TESTBED.get().host(), b);
            j.assertLogContains("****", b);
            j.assertLogNotContains(key, b);
            j.assertLogNotContains(basic(key), b);
            assertEquals(Set.of(), grep(b.getRootDir(), key));
            assertEquals(List.of(), sessionFolders(j, b));
        });
    }

    @Test
    void bearerModeSendsTheAgentAnIamTokenAndNeverTheKey() throws Throwable {
        String key = TESTBED.get().newApiKey();
        String deleted = TESTBED.get().newApiKey();
        TESTBED.get().iam().deleteApiKey(deleted);
        sessions.then(j -> {
            storeWithIam("icr", key);
            storeWithIam("deleted", deleted);
            WorkflowJob p = pipeline(j, "node { withIcrLogin(" + options("icr") + ", mode: 'bearer') {\n"
                    + "  sh 'cp \"$DOCKER_CONFIG/config.json\" seen.json; " + push("bearer") + "'\n"
                    + "} }");
            WorkflowRun b = j.buildAndAssertSuccess(p);
            j.assertLogContains("the key does not reach the agent", b);
            j.assertLogContains("as iambearer", b);
            FilePath seen = j.jenkins.getWorkspaceFor(p).child("seen.json");
            String login = seen.readToString();
            seen.delete();
            assertTrue(login.contains("\"auth\"") && !login.contains(basic(key)), "the agent got a token, not the key");

            WorkflowRun refused = j.assertBuildStatus(Result.FAILURE, pipeline(j, "node { withIcrLogin("
                    + options("deleted") + ", mode: 'bearer') { echo 'never' } }").scheduleBuild2(0));
            j.assertLogContains("BXNIM0415E", refused);
            j.assertLogNotContains("\tat ", refused);
        });
    }

    @Test
    void aFailingBodyStillCleansUpAndKeepsItsError() throws Throwable {
        String key = TESTBED.get().newApiKey();
        sessions.then(j -> {
            store("icr", key);
            WorkflowJob p = pipeline(j, "node { withIcrLogin(" + options("icr") + ") { error 'body failed' } }");
            WorkflowRun b = j.assertBuildStatus(Result.FAILURE, p.scheduleBuild2(0));
            j.assertLogContains("body failed", b);
            j.assertLogContains("removed the session's folder", b);
            assertEquals(List.of(), sessionFolders(j, b));
        });
    }

    @Test
    void anErrorThatQuotesTheKeyIsMasked() throws Throwable {
        String key = TESTBED.get().newApiKey();
        sessions.then(j -> {
            store("icr", key);
            WorkflowJob p = pipeline(j, "node { withIcrLogin(" + options("icr") + ") {\n"
                    + "  error(\"bad key \" + sh(script: 'cat \"$DOCKER_CONFIG/config.json\"', returnStdout: true))\n"
                    + "} }");
            WorkflowRun b = j.assertBuildStatus(Result.FAILURE, p.scheduleBuild2(0));
            j.assertLogContains("bad key", b);
            j.assertLogNotContains(basic(key), b);
        });
    }

    @Test
    void anAbortedBuildCleansUp() throws Throwable {
        String key = TESTBED.get().newApiKey();
        sessions.then(j -> {
            store("icr", key);
            WorkflowJob p = pipeline(j, "node { withIcrLogin(" + options("icr") + ") { semaphore 'inside' } }");
            WorkflowRun b = p.scheduleBuild2(0).waitForStart();
            SemaphoreStep.waitForStart("inside/1", b);
            assertEquals(1, sessionFolders(j, b).size(), "the session's folder exists while the body runs");
            b.getExecutor().interrupt();
            j.assertBuildStatus(Result.ABORTED, j.waitForCompletion(b));
            assertEquals(List.of(), sessionFolders(j, b));
        });
    }

    @Test
    void aTimeoutAroundTheBlockStillCleansUp() throws Throwable {
        String key = TESTBED.get().newApiKey();
        sessions.then(j -> {
            store("icr", key);
            WorkflowJob p = pipeline(j, "node { timeout(time: 3, unit: 'SECONDS') { withIcrLogin(" + options("icr")
                    + ") { sleep 60 } } }");
            WorkflowRun b = j.assertBuildStatus(Result.ABORTED, p.scheduleBuild2(0));
            j.assertLogContains("removed the session's folder", b);
            assertEquals(List.of(), sessionFolders(j, b));
        });
    }

    @Test
    void secretTextAndUsernamePasswordCredentialsWorkTooAndOtherKindsAreNamed() throws Throwable {
        String key = TESTBED.get().newApiKey();
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
                    + "  withIcrLogin(" + options("text") + ") { sh 'test -f \"$DOCKER_CONFIG/config.json\"' }\n"
                    + "  withIcrLogin(" + options("userpass") + ") { sh 'test -f \"$DOCKER_CONFIG/config.json\"' }\n"
                    + "}"));
            WorkflowRun retired = j.assertBuildStatus(Result.FAILURE,
                    pipeline(j, "node { withIcrLogin(" + options("retired") + ") { echo 'never' } }").scheduleBuild2(0));
            j.assertLogContains("The username 'token' was retired", retired);
            WorkflowRun file = j.assertBuildStatus(Result.FAILURE,
                    pipeline(j, "node { withIcrLogin(" + options("file") + ") { echo 'never' } }").scheduleBuild2(0));
            j.assertLogContains("withIcrLogin takes an \"IBM Cloud API key\"", file);
            j.assertLogNotContains(key, retired);
        });
    }

    @Test
    void aFolderLeftOnAnAgentThatWentAwayIsRemovedWhenItIsBack() throws Throwable {
        String key = TESTBED.get().newApiKey();
        sessions.then(j -> {
            store("icr", key);
            DumbSlave agent = j.createOnlineSlave(Label.get("away"));
            WorkflowJob p = pipeline(j, "node('away') { withIcrLogin(" + options("icr") + ") {\n"
                    + "  sh 'echo \"$DOCKER_CONFIG\" > ../where'\n"
                    + "  semaphore 'away'\n"
                    + "} }");
            WorkflowRun b = p.scheduleBuild2(0).waitForStart();
            SemaphoreStep.waitForStart("away/1", b);
            String folder = agent.getWorkspaceFor(p).getParent().child("where").readToString().strip();
            agent.toComputer().disconnect(null).get();
            SemaphoreStep.success("away/1", null);
            j.waitForCompletion(b);
            j.assertLogContains("is not connected, so the session folder " + folder, b);
            assertTrue(new File(folder).isDirectory(), "the folder waits for its agent");
            agent.toComputer().connect(false).get();
            for (int i = 0; i < 100 && new File(folder).exists(); i++) {
                Thread.sleep(100); // onOnline runs just after the connection is up
            }
            assertFalse(new File(folder).exists(), "removed when the agent came back");
        });
    }

    @Test
    void aFolderLeftByABuildThatNoLongerRunsIsSweptAtTheNextLogin() throws Throwable {
        String key = TESTBED.get().newApiKey();
        sessions.then(j -> {
            store("icr", key);
            WorkflowJob p = pipeline(j, "node { withIcrLogin(" + options("icr") + ") { echo 'in the block' } }");
            FilePath tmp = WorkspaceList.tempDir(j.jenkins.getWorkspaceFor(p));
            FilePath stale = leftFolder(tmp, "icr-stale", "jenkins " + j.jenkins.getLegacyInstanceId() + " p#99");
            FilePath otherController = leftFolder(tmp, "icr-other", "jenkins 0123456789abcdef p#99");
            FilePath commandLine = leftFolder(tmp, "icr-cli", "pid 1@another-host");
            WorkflowRun b = j.buildAndAssertSuccess(p);
            j.assertLogContains("Removed the session folder " + stale.getRemote(), b);
            assertFalse(stale.exists());
            assertTrue(otherController.exists() && commandLine.exists(), "folders this controller cannot judge stay");
        });
    }

    private static FilePath leftFolder(FilePath base, String name, String owner) throws Exception {
        FilePath folder = base.child(name);
        folder.mkdirs();
        folder.child(".icr-session").write("{\"owner\":\"" + owner + "\"}", "UTF-8");
        folder.child("config.json").write("{\"auths\":{}}", "UTF-8");
        return folder;
    }

    @Test
    void aControllerRestartInTheMiddleOfTheBlockStillCleansUp() throws Throwable {
        String key = TESTBED.get().newApiKey();
        sessions.then(j -> {
            store("icr", key);
            WorkflowJob p = pipeline(j, "node { withIcrLogin(" + options("icr") + ") {\n"
                    + "  semaphore 'restart'\n"
                    + "  sh 'test -f \"$DOCKER_CONFIG/config.json\"'\n"
                    + "} }");
            WorkflowRun b = p.scheduleBuild2(0).waitForStart();
            SemaphoreStep.waitForStart("restart/1", b);
        });
        sessions.then(j -> {
            WorkflowRun b = j.jenkins.getItemByFullName("p", WorkflowJob.class).getBuildByNumber(1);
            assertEquals(Set.of(), grep(b.getRootDir(), key), "the program's saved state holds no key");
            SemaphoreStep.success("restart/1", null);
            j.assertBuildStatusSuccess(j.waitForCompletion(b));
            assertEquals(List.of(), sessionFolders(j, b));
            j.assertLogNotContains(key, b);
        });
    }

    @Test
    void parallelBranchesWithDifferentKeysNeverSeeEachOthersLogin() throws Throwable {
        Installed.require("podman", "podman");
        String first = TESTBED.get().newApiKey();
        String second = TESTBED.get().newApiKey();
        sessions.then(j -> {
            store("first", first);
            store("second", second);
            j.buildAndAssertSuccess(pipeline(j, "node {\n"
                    + "  parallel a: {\n"
                    + "    withIcrLogin(" + options("first") + ", client: 'podman') {\n"
                    + "      sh 'cp \"$DOCKER_CONFIG/config.json\" a.json; " + push("a") + "'\n"
                    + "    }\n"
                    + "  }, b: {\n"
                    + "    withIcrLogin(" + options("second") + ", client: 'skopeo') {\n"
                    + "      sh 'cp \"$DOCKER_CONFIG/config.json\" b.json; " + push("b") + "'\n"
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
        String key = TESTBED.get().newApiKey();
        sessions.then(j -> {
            store("icr", key);
            WorkflowRun b = j.buildAndAssertSuccess(pipeline(j, "pipeline {\n"
                    + "  agent any\n"
                    + "  options { withIcrLogin(" + options("icr") + ") }\n"
                    + "  stages {\n"
                    + "    stage('in options') { steps { sh 'test -f \"$DOCKER_CONFIG/config.json\"' } }\n"
                    + "    stage('in steps') { steps { withIcrLogin(" + options("icr") + ") { sh 'echo inner=$DOCKER_CONFIG' } } }\n"
                    + "  }\n"
                    + "}"));
            j.assertLogContains("inner=", b);
            assertEquals(List.of(), sessionFolders(j, b));
        });
    }

    @Test
    void mistakesFailTheBuildWithWhatToDo() throws Throwable {
        sessions.then(j -> {
            store("icr", TESTBED.get().newApiKey());
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
                            + " 'privateEndpoint': false, 'caCertificate': '', 'exposeApiKeyAs': ''}"));
            assertEquals("withIcrLogin(client: 'podman', credentialsId: 'icr', mode: 'bearer', privateEndpoint: true,"
                    + " region: 'eu-de') {\n    // some block\n}",
                    snippet(j, "{'credentialsId': 'icr', 'region': 'eu-de', 'client': 'podman', 'mode': 'bearer',"
                            + " 'privateEndpoint': true, 'caCertificate': '', 'exposeApiKeyAs': ''}"));
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

    static void store(String id, String key) throws Exception {
        CredentialsProvider.lookupStores(Jenkins.get()).iterator().next().addCredentials(Domain.global(),
                new IbmCloudApiKeyCredentials(CredentialsScope.GLOBAL, id, null, Secret.fromString(key)));
    }

    /** A key whose IAM is the testbed's emulator, for bearer mode. */
    static void storeWithIam(String id, String key) throws Exception {
        IbmCloudApiKeyCredentials credentials = new IbmCloudApiKeyCredentials(CredentialsScope.GLOBAL, id, null,
                Secret.fromString(key));
        credentials.setIamEndpoint(TESTBED.get().iam().baseUrl());
        CredentialsProvider.lookupStores(Jenkins.get()).iterator().next().addCredentials(Domain.global(), credentials);
    }

    static String options(String credentialsId) throws Exception {
        return "credentialsId: '" + credentialsId + "', region: '" + TESTBED.get().host() + "', caCertificate: '''"
                + TESTBED.get().pki().caPem() + "'''";
    }

    static WorkflowJob pipeline(JenkinsRule j, String script) throws Exception {
        WorkflowJob p = j.jenkins.getItemByFullName("p", WorkflowJob.class);
        if (p == null) {
            p = j.createProject(WorkflowJob.class, "p");
        }
        p.setDefinition(new CpsFlowDefinition(script, true));
        return p;
    }

    /** A shell command pushing the test image through the session's login only (REGISTRY_AUTH_FILE). */
    private static String push(String name) throws Exception {
        return "skopeo copy --dest-tls-verify=false " + image() + " docker://$ICR_REGISTRY/ns/" + name + ":1";
    }

    private static String image() throws Exception {
        return io.jenkins.plugins.icr.testbed.TestImage.create(TESTBED.get().newFolder("image"), "pushed from Jenkins");
    }

    static String basic(String key) {
        return Base64.getEncoder().encodeToString(("iamapikey:" + key).getBytes(StandardCharsets.UTF_8));
    }

    /** The icr-* folders beside the build's workspace. */
    static List<String> sessionFolders(JenkinsRule j, WorkflowRun b) throws Exception {
        FilePath tmp = WorkspaceList.tempDir(j.jenkins.getWorkspaceFor(b.getParent()));
        if (tmp == null || !tmp.exists()) {
            return List.of();
        }
        return tmp.list().stream().map(FilePath::getName).filter(n -> n.startsWith("icr-")).toList();
    }

    /** Files under {@code dir} that contain the text, as credentials-binding's tests look for leaks. */
    static Set<String> grep(File dir, String text) throws Exception {
        Set<String> hits = new TreeSet<>();
        try (Stream<java.nio.file.Path> files = Files.walk(dir.toPath())) {
            for (java.nio.file.Path f : files.filter(Files::isRegularFile).toList()) {
                if (new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1).contains(text)) {
                    hits.add(dir.toPath().relativize(f).toString());
                }
            }
        }
        return hits;
    }
}
