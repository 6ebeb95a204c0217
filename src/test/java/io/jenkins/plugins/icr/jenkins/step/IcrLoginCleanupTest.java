package io.jenkins.plugins.icr.jenkins.step;

import static io.jenkins.plugins.icr.jenkins.step.BlockFixtures.grep;
import static io.jenkins.plugins.icr.jenkins.step.BlockFixtures.pipeline;
import static io.jenkins.plugins.icr.jenkins.step.BlockFixtures.sessionFolders;
import static io.jenkins.plugins.icr.jenkins.step.BlockFixtures.store;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import hudson.FilePath;
import hudson.model.Label;
import hudson.model.Result;
import hudson.slaves.DumbSlave;
import hudson.slaves.WorkspaceList;
import java.io.File;
import java.util.List;
import java.util.Set;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.jenkinsci.plugins.workflow.test.steps.SemaphoreStep;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.jvnet.hudson.test.junit.jupiter.BuildWatcherExtension;
import org.jvnet.hudson.test.junit.jupiter.JenkinsSessionExtension;

/** withIcrLogin cleans up whatever happens: a failing body, abort, timeout, a restart, an agent gone, a dead build. */
class IcrLoginCleanupTest {

    @RegisterExtension
    static final BuildWatcherExtension BUILD_WATCHER = new BuildWatcherExtension();

    @RegisterExtension
    static final BlockFixtures FIXTURES = new BlockFixtures();

    @RegisterExtension
    final JenkinsSessionExtension sessions = new JenkinsSessionExtension();

    @Test
    void aFailingBodyStillCleansUpAndKeepsItsError() throws Throwable {
        String key = FIXTURES.testbed().newApiKey();
        sessions.then(j -> {
            store("icr", key);
            WorkflowJob p = pipeline(j, "node { withIcrLogin(" + FIXTURES.options("icr") + ") { error 'body failed' } }");
            WorkflowRun b = j.assertBuildStatus(Result.FAILURE, p.scheduleBuild2(0));
            j.assertLogContains("body failed", b);
            j.assertLogContains("removed the session's folder", b);
            assertEquals(List.of(), sessionFolders(j, b));
        });
    }

    @Test
    void anAbortedBuildCleansUp() throws Throwable {
        String key = FIXTURES.testbed().newApiKey();
        sessions.then(j -> {
            store("icr", key);
            WorkflowJob p = pipeline(j, "node { withIcrLogin(" + FIXTURES.options("icr") + ") { semaphore 'inside' } }");
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
        String key = FIXTURES.testbed().newApiKey();
        sessions.then(j -> {
            store("icr", key);
            WorkflowJob p = pipeline(j, "node { timeout(time: 3, unit: 'SECONDS') { withIcrLogin(" + FIXTURES.options("icr")
                    + ") { sleep 60 } } }");
            WorkflowRun b = j.assertBuildStatus(Result.ABORTED, p.scheduleBuild2(0));
            j.assertLogContains("removed the session's folder", b);
            assertEquals(List.of(), sessionFolders(j, b));
        });
    }

    @Test
    void aFolderLeftOnAnAgentThatWentAwayIsRemovedWhenItIsBack() throws Throwable {
        String key = FIXTURES.testbed().newApiKey();
        sessions.then(j -> {
            store("icr", key);
            DumbSlave agent = j.createOnlineSlave(Label.get("away"));
            WorkflowJob p = pipeline(j, "node('away') { withIcrLogin(" + FIXTURES.options("icr") + ") {\n"
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
            String page = BlockFixtures.buildPage(j, b);
            assertTrue(page.contains("removal deferred until the agent is back"), page);
            agent.toComputer().connect(false).get();
            for (int i = 0; i < 100 && new File(folder).exists(); i++) {
                Thread.sleep(100); // onOnline runs just after the connection is up
            }
            assertFalse(new File(folder).exists(), "removed when the agent came back");
        });
    }

    @Test
    void aFolderLeftByABuildThatNoLongerRunsIsSweptAtTheNextLogin() throws Throwable {
        String key = FIXTURES.testbed().newApiKey();
        sessions.then(j -> {
            store("icr", key);
            WorkflowJob p = pipeline(j, "node { withIcrLogin(" + FIXTURES.options("icr") + ") { echo 'in the block' } }");
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
        String key = FIXTURES.testbed().newApiKey();
        sessions.then(j -> {
            store("icr", key);
            WorkflowJob p = pipeline(j, "node { withIcrLogin(" + FIXTURES.options("icr") + ") {\n"
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
}
