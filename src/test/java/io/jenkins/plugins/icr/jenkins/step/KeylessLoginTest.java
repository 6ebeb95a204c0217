package io.jenkins.plugins.icr.jenkins.step;

import static io.jenkins.plugins.icr.jenkins.step.BlockFixtures.pipeline;
import static io.jenkins.plugins.icr.jenkins.step.ProfileFixtures.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import hudson.FilePath;
import hudson.model.FreeStyleBuild;
import hudson.model.FreeStyleProject;
import hudson.model.Label;
import hudson.model.Result;
import hudson.slaves.DumbSlave;
import hudson.slaves.RetentionStrategy;
import hudson.tasks.Shell;
import io.jenkins.plugins.icr.jenkins.credentials.IcrGlobalConfiguration;
import io.jenkins.plugins.icr.testbed.ArgvSampler;
import io.jenkins.plugins.icr.testbed.VpcMetadataEmulator;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.jenkinsci.plugins.workflow.test.steps.SemaphoreStep;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.SimpleCommandLauncher;
import org.jvnet.hudson.test.junit.jupiter.BuildWatcherExtension;
import org.jvnet.hudson.test.junit.jupiter.JenkinsSessionExtension;

/**
 * Keyless logins on a real remote agent (a JVM of its own): the test writes the pod's projected service account
 * token into a file, as the kubelet would, the agent exchanges it with the testbed's IAM for a token of the trusted
 * profile, and the registry takes that as {@code iambearer}. Nothing of either token is left anywhere.
 */
class KeylessLoginTest {

    private static final Duration LIFETIME = Duration.ofSeconds(4);

    @RegisterExtension
    static final BuildWatcherExtension BUILD_WATCHER = new BuildWatcherExtension();

    @RegisterExtension
    static final BlockFixtures FIXTURES = new BlockFixtures();

    @RegisterExtension
    final JenkinsSessionExtension sessions = new JenkinsSessionExtension();

    @TempDir
    Path pod;

    private ProfileFixtures pods;

    @BeforeEach
    void aClusterAndAProfileLinkedToItsNamespaceCi() throws Exception {
        pods = new ProfileFixtures(FIXTURES, pod);
    }

    @Test
    void aPipelineOnARemoteAgentPushesThroughTheProfileAndLeavesNoTokenAnywhere() throws Throwable {
        String saToken = pods.rotate("ci");
        sessions.then(j -> {
            pods.store(pods.tokenFile());
            DumbSlave agent = j.createOnlineSlave(Label.get("pod"));
            WorkflowRun b;
            try (ArgvSampler sampler = pods.sampler(List.of(saToken))) {
                b = j.buildAndAssertSuccess(pipeline(j, "node('pod') { withIcrLogin(" + FIXTURES.options("tp")
                        + ") {\n  sh '" + FIXTURES.push("keyless") + "'\n"
                        + "  sh 'cat \"$REGISTRY_AUTH_FILE\"'\n" // the login's auth value, masked
                        + "} }"));
                sampler.close();
                assertEquals(Set.of(), sampler.hits(), "no process held the service account token or an IAM token");
            }
            j.assertLogContains("IAM token of the trusted profile, made on the agent", b);
            assertTrue(FIXTURES.testbed().iam().sawCrToken(saToken));
            pods.assertNoTokenLeft(j, b, agent, saToken);
        });
    }

    /**
     * docs/security.md row 46: the service account token is read by the agent's JVM, never the controller's. The agent
     * runs in a mount namespace of its own with a private tmpfs over a directory the controller sees empty, and the
     * token file lies in that tmpfs, so only the agent's JVM can read it: the push works only if the agent made the
     * exchange, and the controller is shown not to see the file.
     */
    @Test
    void theTokenFileOnlyTheAgentCanSeeIsReadThereAndTheLoginWorks() throws Throwable {
        Path projected = Files.createDirectory(pod.resolve("projected")); // empty, as the controller will see it
        assumeMountNamespaces(projected);
        String saToken = pods.serviceAccountToken("ci");
        sessions.then(j -> {
            DumbSlave agent = agentWithAPrivateTmpfsOver(j, "ns", projected);
            Path tokenFile = projected.resolve("sa-token");
            // The test writes the file through the agent's channel, into the agent's tmpfs, as the kubelet writes into
            // the pod's; on the controller the same path lies in the empty directory under that tmpfs.
            FilePath onTheAgent = new FilePath(agent.getChannel(), tokenFile.toString());
            onTheAgent.write(saToken, "UTF-8");
            assertTrue(onTheAgent.exists(), "the agent sees the token file");
            assertFalse(Files.exists(tokenFile), "the controller cannot see the token file");
            pods.store(tokenFile);
            WorkflowRun b = j.buildAndAssertSuccess(pipeline(j, "node('ns') { withIcrLogin(" + FIXTURES.options("tp")
                    + ") {\n  sh '" + FIXTURES.push("keyless-namespaced") + "'\n} }"));
            j.assertLogContains("IAM token of the trusted profile, made on the agent", b);
            assertTrue(FIXTURES.testbed().iam().sawCrToken(saToken), "IAM got the token only the agent could read");
            assertFalse(Files.exists(tokenFile), "the controller still cannot see the token file");
            pods.assertNoTokenLeft(j, b, agent, saToken);
        });
    }

    @Test
    void theFreestyleWrapperPushesThroughTheProfileOnARemoteAgent() throws Throwable {
        String saToken = pods.rotate("ci");
        sessions.then(j -> {
            pods.store(pods.tokenFile());
            DumbSlave agent = j.createOnlineSlave(Label.get("pod"));
            FreeStyleProject p = j.createFreeStyleProject("f");
            p.setAssignedNode(agent);
            IcrLoginBuildWrapper wrapper = new IcrLoginBuildWrapper("tp", FIXTURES.testbed().host());
            wrapper.setCaCertificate(FIXTURES.testbed().pki().caPem());
            p.getBuildWrappersList().add(wrapper);
            p.getBuildersList().add(new Shell(FIXTURES.push("keyless-freestyle")));
            FreeStyleBuild b = j.buildAndAssertSuccess(p);
            j.assertLogContains("IAM token of the trusted profile, made on the agent", b);
            pods.assertNoTokenLeft(j, b, agent, saToken);
        });
    }

    @Test
    void anAgentOnAVpcServerLogsInThroughItsMetadataService() throws Throwable {
        try (VpcMetadataEmulator vpc = VpcMetadataEmulator.start(FIXTURES.testbed().iam())) {
            vpc.link(pods.profile());
            sessions.then(j -> {
                pods.storeVpc(vpc.baseUrl());
                DumbSlave agent = j.createOnlineSlave(Label.get("vpc"));
                WorkflowRun b = j.buildAndAssertSuccess(pipeline(j, "node('vpc') { withIcrLogin("
                        + FIXTURES.options("tp") + ") {\n  sh '" + FIXTURES.push("keyless-vpc") + "'\n} }"));
                assertEquals(1, vpc.iamTokenCount(), "the agent asked the metadata service once");
                pods.assertNoTokenLeft(j, b, agent);
            });
        }
    }

    /**
     * The kubelet rotates the file while the block runs; each renewal reads it anew, and the block pushes after two
     * IAM token lifetimes with a login made from the last token file.
     */
    @Test
    void aBlockOutlivesTwoTokenLifetimesWhileTheTokenFileIsRotatedUnderneath() throws Throwable {
        FIXTURES.testbed().iam().tokenLifetime(LIFETIME);
        try {
            List<String> saTokens = new CopyOnWriteArrayList<>(List.of(pods.rotate("ci")));
            sessions.then(j -> {
                pods.store(pods.tokenFile());
                DumbSlave agent = j.createOnlineSlave(Label.get("pod"));
                WorkflowJob p = pipeline(j, "node('pod') { withIcrLogin(" + FIXTURES.options("tp") + ") {\n"
                        + "  sh '" + FIXTURES.push("rotated-1") + "'\n"
                        + "  semaphore 'rotate'\n"
                        + "  sh '" + FIXTURES.push("rotated-2") + "'\n"
                        + "} }");
                WorkflowRun b;
                try (ArgvSampler sampler = pods.sampler(saTokens)) {
                    b = p.scheduleBuild2(0).waitForStart();
                    SemaphoreStep.waitForStart("rotate/1", b);
                    Instant loggedIn = Instant.now();
                    for (int i = 0; i < 2; i++) {
                        String rotated = pods.rotate("ci");
                        saTokens.add(rotated);
                        await("a renewal that sends the rotated token",
                                () -> FIXTURES.testbed().iam().sawCrToken(rotated));
                    }
                    Instant twoLifetimes = loggedIn.plus(LIFETIME.multipliedBy(2));
                    await("two token lifetimes", () -> Instant.now().isAfter(twoLifetimes));
                    SemaphoreStep.success("rotate/1", null);
                    j.assertBuildStatusSuccess(j.waitForCompletion(b));
                    sampler.close();
                    assertEquals(Set.of(), sampler.hits(), "no process held a token, renewed or rotated");
                }
                j.assertLogContains("Renewed the IAM login for " + FIXTURES.testbed().host(), b);
                assertEquals(0, Renewals.get().running(), "no renewal is left scheduled");
                pods.assertNoTokenLeft(j, b, agent, saTokens.toArray(String[]::new));
            });
        } finally {
            FIXTURES.testbed().iam().tokenLifetime(Duration.ofHours(1));
        }
    }

    /** After a restart the agent reconnects and the block's login is renewed through it before the body goes on. */
    @Test
    void aBlockResumedAfterARestartPushesWithALoginRenewedOnTheAgent() throws Throwable {
        pods.rotate("ci");
        sessions.then(j -> {
            pods.store(pods.tokenFile());
            j.createOnlineSlave(Label.get("pod"));
            WorkflowJob p = pipeline(j, "node('pod') { withIcrLogin(" + FIXTURES.options("tp") + ") {\n"
                    + "  sh '" + FIXTURES.push("before-restart") + "'\n"
                    + "  semaphore 'restart'\n"
                    + "  sh '" + FIXTURES.push("after-restart") + "'\n"
                    + "} }");
            WorkflowRun b = p.scheduleBuild2(0).waitForStart();
            SemaphoreStep.waitForStart("restart/1", b);
        });
        FIXTURES.testbed().iam().expireIssuedTokens(); // the token the agent's session holds is worthless now
        String rotated = pods.rotate("ci");
        sessions.then(j -> {
            j.waitOnline((hudson.model.Slave) j.jenkins.getNode("slave0"));
            WorkflowRun b = j.jenkins.getItemByFullName("p", WorkflowJob.class).getBuildByNumber(1);
            SemaphoreStep.success("restart/1", null);
            j.assertBuildStatusSuccess(j.waitForCompletion(b));
            j.assertLogContains("Renewed the IAM login", b);
            assertTrue(FIXTURES.testbed().iam().sawCrToken(rotated), "the renewal read the rotated file");
            assertEquals(0, Renewals.get().running());
        });
    }

    @Test
    void aWrongNamespaceFailsBeforeTheBodyNamingTheProfileAndTheNamespace() throws Throwable {
        pods.rotate("other");
        sessions.then(j -> {
            pods.store(pods.tokenFile());
            j.createOnlineSlave(Label.get("pod"));
            WorkflowRun b = failing(j, "node('pod') { withIcrLogin(" + FIXTURES.options("tp")
                    + ") { echo 'BODY RAN' } }");
            j.assertLogContains("would not give the trusted profile " + pods.profile().id()
                    + " to the service account jenkins in namespace other", b);
            j.assertLogContains("trusted-profile-link-create", b);
            j.assertLogContains("the credentials' trusted profile", b);
            j.assertLogNotContains("BODY RAN", b);
        });
    }

    /** An administrator narrowed the allow-list after the credentials were stored: the controller refuses the use. */
    @Test
    void anEndpointNoLongerAllowedIsRefusedOnTheControllerBeforeTheAgentReadsTheToken() throws Throwable {
        String saToken = pods.rotate("ci");
        sessions.then(j -> {
            pods.store(pods.tokenFile());
            IcrGlobalConfiguration.get().setAllowedIamEndpoints("");
            j.createOnlineSlave(Label.get("pod"));
            WorkflowRun b = failing(j, "node('pod') { withIcrLogin(" + FIXTURES.options("tp")
                    + ") { echo 'BODY RAN' } }");
            j.assertLogContains("is not one of IBM Cloud's", b);
            j.assertLogNotContains("BODY RAN", b);
            assertFalse(FIXTURES.testbed().iam().sawCrToken(saToken), "the token never reached IAM");
        });
    }

    @Test
    void aMissingTokenFileFailsBeforeTheBodyWithThePodTemplateThatAddsIt() throws Throwable {
        sessions.then(j -> {
            pods.store(pod.resolve("absent"));
            j.createOnlineSlave(Label.get("pod"));
            WorkflowRun b = failing(j, "node('pod') { withIcrLogin(" + FIXTURES.options("tp")
                    + ") { echo 'BODY RAN' } }");
            j.assertLogContains("There is no service account token at " + pod.resolve("absent"), b);
            j.assertLogContains("audience: iam", b);
            j.assertLogContains("the credentials' token file", b);
            j.assertLogNotContains("BODY RAN", b);
        });
    }

    @Test
    void aPullSecretAndAVulnerabilityCheckOutsideANodeAreRefusedWithTheReason() throws Throwable {
        pods.rotate("ci");
        sessions.then(j -> {
            pods.store(pods.tokenFile());
            j.createOnlineSlave(Label.get("pod"));
            int before = FIXTURES.testbed().iam().requestCount();
            WorkflowRun pull = failing(j, "node('pod') { withIcrLogin(" + FIXTURES.options("tp")
                    + ", pullSecret: 'icr-pull') { echo 'BODY RAN' } }");
            j.assertLogContains("expires within the hour", pull);
            j.assertLogContains("drop pullSecret", pull);
            j.assertLogNotContains("BODY RAN", pull);
            WorkflowRun va = failing(j, "icrVulnerabilityCheck(credentialsId: 'tp', image: '"
                    + FIXTURES.testbed().host() + "/ns/app:1')");
            j.assertLogContains("Run this step inside a node block on such an agent", va);
            assertEquals(before, FIXTURES.testbed().iam().requestCount(), "nothing was sent to IAM");
        });
    }

    /**
     * An agent like {@link JenkinsRule#createOnlineSlave}'s, launched by JTH's own command, but inside
     * {@code unshare --mount} with a tmpfs mounted over {@code dir} before the JVM starts: whatever the agent writes
     * there lives in its namespace only (the tmpfs goes with the namespace when the agent's processes end).
     */
    private static DumbSlave agentWithAPrivateTmpfsOver(JenkinsRule j, String label, Path dir) throws Exception {
        String usual = ((SimpleCommandLauncher) j.createComputerLauncher(null)).cmd;
        // sh gets the directory as $1 and JTH's command as the rest, so neither is quoted twice.
        String cmd = "unshare --mount --propagation private sh -c "
                + "'mount -t tmpfs -o mode=0700 tmpfs \"$1\" && shift && exec \"$@\"' sh \"" + dir + "\" " + usual;
        DumbSlave agent = new DumbSlave(label, new File(j.jenkins.getRootDir(), label).getAbsolutePath(),
                new SimpleCommandLauncher(cmd));
        agent.setLabelString(label);
        agent.setRetentionStrategy(RetentionStrategy.NOOP);
        j.jenkins.addNode(agent);
        j.waitOnline(agent);
        return agent;
    }

    /**
     * A mount namespace with a tmpfs needs root (CI runs as root, where the proof must run): elsewhere the test is
     * skipped, saying why; as root a refusal is a failure, not a skip.
     */
    private static void assumeMountNamespaces(Path dir) throws Exception {
        boolean permitted;
        try {
            permitted = new ProcessBuilder("unshare", "--mount", "--propagation", "private", "mount", "-t", "tmpfs",
                    "tmpfs", dir.toString()).inheritIO().start().waitFor() == 0;
        } catch (java.io.IOException noUnshare) {
            permitted = false;
        }
        String user = System.getProperty("user.name");
        if ("root".equals(user)) {
            assertTrue(permitted, "root can mount a tmpfs in a mount namespace of its own (unshare, util-linux)");
        }
        assumeTrue(permitted, "unshare --mount and mount -t tmpfs need root; as " + user
                + " the test cannot hide the token file from the controller (docs/security.md row 46)");
    }

    private static WorkflowRun failing(JenkinsRule j, String script) throws Exception {
        WorkflowJob p = pipeline(j, script);
        return j.assertBuildStatus(Result.FAILURE, p.scheduleBuild2(0));
    }
}
