package io.jenkins.plugins.icr.jenkins.step;

import static io.jenkins.plugins.icr.jenkins.step.BlockFixtures.grep;
import static io.jenkins.plugins.icr.jenkins.step.BlockFixtures.pipeline;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import hudson.FilePath;
import hudson.model.FreeStyleBuild;
import hudson.model.FreeStyleProject;
import hudson.tasks.Shell;
import hudson.slaves.WorkspaceList;
import io.jenkins.plugins.icr.testbed.ArgvSampler;
import java.io.File;
import java.time.Duration;
import java.util.Set;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.jenkinsci.plugins.workflow.test.steps.SemaphoreStep;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.jvnet.hudson.test.junit.jupiter.BuildWatcherExtension;
import org.jvnet.hudson.test.junit.jupiter.JenkinsSessionExtension;

/**
 * Bearer blocks that outlive their IAM tokens: the emulator issues four-second tokens, and pushes after two and
 * three lifetimes work, in the same {@code sh} and in a later one, because the controller renewed the login.
 */
class BearerRenewalTest {

    private static final Duration LIFETIME = Duration.ofSeconds(4);

    @RegisterExtension
    static final BuildWatcherExtension BUILD_WATCHER = new BuildWatcherExtension();

    @RegisterExtension
    static final BlockFixtures FIXTURES = new BlockFixtures();

    @RegisterExtension
    final JenkinsSessionExtension sessions = new JenkinsSessionExtension();

    @BeforeEach
    void shortTokens() {
        FIXTURES.testbed().iam().tokenLifetime(LIFETIME);
    }

    @AfterEach
    void hourTokens() {
        FIXTURES.testbed().iam().tokenLifetime(Duration.ofHours(1));
    }

    @ParameterizedTest
    @ValueSource(strings = {"auth-file", "skopeo", "docker"})
    void aBlockPushesAfterTwoAndThreeTokenLifetimes(String client) throws Throwable {
        String key = FIXTURES.testbed().newApiKey();
        sessions.then(j -> {
            FIXTURES.storeWithIam("icr", key);
            String push = FIXTURES.push("renewed");
            try (ArgvSampler sampler = ArgvSampler.watch(key)) {
                WorkflowRun b = j.buildAndAssertSuccess(pipeline(j, "node { withIcrLogin(" + FIXTURES.options("icr")
                        + ", mode: 'bearer', client: '" + client + "') {\n"
                        + "  sh '" + push + " && sleep 9 && " + push + "'\n" // two lifetimes, in one sh
                        + "  sh 'sleep 4 && " + push + "'\n" // three, in a later one
                        + "} }"));
                sampler.close();
                j.assertLogContains("Renewed the IAM login for " + FIXTURES.testbed().host(), b);
                assertEquals(Set.of(), sampler.hits(), "no process held the key");
                assertNoKeyOnTheAgent(j, b, key);
            }
            assertEquals(0, Renewals.get().running(), "no renewal is left scheduled");
        });
    }

    @Test
    void theFreestyleWrapperRenewsTooForAsLongAsItsBuildRuns() throws Throwable {
        String key = FIXTURES.testbed().newApiKey();
        sessions.then(j -> {
            FIXTURES.storeWithIam("icr", key);
            FreeStyleProject p = j.createFreeStyleProject("f");
            IcrLoginBuildWrapper wrapper = new IcrLoginBuildWrapper("icr", FIXTURES.testbed().host());
            wrapper.setCaCertificate(FIXTURES.testbed().pki().caPem());
            wrapper.setMode("bearer");
            p.getBuildWrappersList().add(wrapper);
            String push = FIXTURES.push("freestyle-renewed");
            p.getBuildersList().add(new Shell(push + " && sleep 9 && " + push));
            FreeStyleBuild b = j.buildAndAssertSuccess(p);
            j.assertLogContains("Renewed the IAM login for " + FIXTURES.testbed().host(), b);
            assertEquals(0, Renewals.get().running(), "no renewal is left scheduled");
        });
    }

    @Test
    void aBlockResumedAfterARestartPushesWithARenewedLogin() throws Throwable {
        String key = FIXTURES.testbed().newApiKey();
        sessions.then(j -> {
            FIXTURES.storeWithIam("icr", key);
            WorkflowJob p = pipeline(j, "node { withIcrLogin(" + FIXTURES.options("icr") + ", mode: 'bearer') {\n"
                    + "  sh '" + FIXTURES.push("before-restart") + "'\n"
                    + "  semaphore 'restart'\n"
                    + "  sh '" + FIXTURES.push("after-restart") + "'\n"
                    + "} }");
            WorkflowRun b = p.scheduleBuild2(0).waitForStart();
            SemaphoreStep.waitForStart("restart/1", b);
        });
        Thread.sleep(LIFETIME.toMillis()); // the token the agent holds has expired by now
        sessions.then(j -> {
            WorkflowRun b = j.jenkins.getItemByFullName("p", WorkflowJob.class).getBuildByNumber(1);
            SemaphoreStep.success("restart/1", null);
            j.assertBuildStatusSuccess(j.waitForCompletion(b));
            j.assertLogContains("Renewed the IAM login", b);
            assertEquals(0, Renewals.get().running());
        });
    }

    @Test
    void parallelBlocksWithOneKeyMakeOneIamCallPerRenewal() throws Throwable {
        String key = FIXTURES.testbed().newApiKey();
        sessions.then(j -> {
            FIXTURES.storeWithIam("icr", key);
            StringBuilder branches = new StringBuilder();
            for (int i = 0; i < 5; i++) {
                branches.append("b").append(i).append(": { withIcrLogin(").append(FIXTURES.options("icr"))
                        .append(", mode: 'bearer') { sh 'sleep 10' } }, ");
            }
            int before = FIXTURES.testbed().iam().requestCount(key);
            j.buildAndAssertSuccess(pipeline(j, "node { parallel(" + branches + "failFast: true) }"));
            int calls = FIXTURES.testbed().iam().requestCount(key) - before;
            // Ten seconds are five renewal periods of a four-second token: a call per block would be 25 or more.
            assertTrue(calls >= 2 && calls <= 8, "IAM calls for five blocks over ten seconds: " + calls);
            assertEquals(0, Renewals.get().running());
        });
    }

    private static void assertNoKeyOnTheAgent(org.jvnet.hudson.test.JenkinsRule j, WorkflowRun b, String key)
            throws Exception {
        FilePath workspace = j.jenkins.getWorkspaceFor(b.getParent());
        FilePath tmp = WorkspaceList.tempDir(workspace);
        assertEquals(Set.of(), grep(new File(workspace.getRemote()), key));
        if (tmp != null && tmp.exists()) {
            assertEquals(Set.of(), grep(new File(tmp.getRemote()), key));
        }
    }
}
