package io.jenkins.plugins.icr.jenkins.step;

import static io.jenkins.plugins.icr.jenkins.step.BlockFixtures.basic;
import static io.jenkins.plugins.icr.jenkins.step.BlockFixtures.pipeline;
import static io.jenkins.plugins.icr.jenkins.step.BlockFixtures.store;

import hudson.model.FreeStyleBuild;
import hudson.model.FreeStyleProject;
import hudson.model.Label;
import hudson.tasks.Shell;
import io.jenkins.plugins.icr.testbed.Installed;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

/**
 * The key type where users already use username/password credentials, with no code of ours: {@code
 * docker.withRegistry}, {@code usernamePassword} bindings, Declarative {@code credentials()}; and the freestyle
 * wrapper.
 */
@WithJenkins
class CredentialsEcosystemTest {

    @RegisterExtension
    static final BlockFixtures FIXTURES = new BlockFixtures();

    @Test
    void dockerWithRegistryTakesTheKeyAsUsernameAndPassword(JenkinsRule j) throws Exception {
        Installed.require("docker", "docker.io");
        String key = FIXTURES.testbed().newApiKey();
        store("icr", key);
        // docker treats a loopback registry as insecure, so the testbed's CA is not needed here (icr-facts).
        WorkflowJob p = pipeline(j, "node {\n"
                + "  docker.withRegistry('https://" + FIXTURES.testbed().host() + "', 'icr') {\n"
                + "    sh 'grep -q " + FIXTURES.testbed().host() + " \"$DOCKER_CONFIG/config.json\"'\n"
                + "  }\n"
                + "}");
        WorkflowRun b = j.waitForCompletion(p.scheduleBuild2(0).waitForStart());
        j.assertLogContains("docker login -u iamapikey -p ******** https://" + FIXTURES.testbed().host(), b);
        j.assertLogNotContains(key, b);
        if (Installed.find("docker-credential-secretservice").isEmpty()) {
            j.assertBuildStatusSuccess(b);
        } else {
            // docker-commons keeps no seed against credential helpers: docker hands the key to the helper on the
            // PATH, which fails without a desktop session (icr-facts). withIcrLogin does not have this trap.
            j.assertLogContains("Error saving credentials", b);
        }
    }

    @Test
    void usernamePasswordBindingAndDeclarativeCredentialsSeeIamapikey(JenkinsRule j) throws Exception {
        String key = FIXTURES.testbed().newApiKey();
        store("icr", key);
        WorkflowRun b = j.buildAndAssertSuccess(pipeline(j, "pipeline {\n"
                + "  agent any\n"
                + "  environment { ICR = credentials('icr') }\n"
                + "  stages { stage('s') { steps {\n"
                + "    sh 'echo \"user=$ICR_USR\"; test \"$ICR_PSW\" = \"$(printf %s \"$ICR_PSW\")\"'\n"
                + "    withCredentials([usernamePassword(credentialsId: 'icr', usernameVariable: 'U', passwordVariable: 'P')]) {\n"
                + "      sh 'echo \"bound=$U\"; echo \"$P\"'\n"
                + "    }\n"
                + "  } } }\n"
                + "}"));
        j.assertLogContains("user=iamapikey", b); // the username is not secret, so it is not masked
        j.assertLogContains("bound=iamapikey", b);
        j.assertLogNotContains(key, b);
    }

    @Test
    void theFreestyleWrapperLogsInMasksAndCleansUp(JenkinsRule j) throws Exception {
        String key = FIXTURES.testbed().newApiKey();
        store("icr", key);
        FreeStyleProject p = j.createFreeStyleProject("f");
        IcrLoginBuildWrapper wrapper = new IcrLoginBuildWrapper("icr", FIXTURES.testbed().host());
        wrapper.setCaCertificate(FIXTURES.testbed().pki().caPem());
        wrapper.setExposeApiKeyAs("CF_DOCKER_PASSWORD");
        p.getBuildWrappersList().add(wrapper);
        p.getBuildersList().add(new Shell("test -f \"$DOCKER_CONFIG/config.json\"\n"
                + "echo \"$DOCKER_CONFIG\" > where\n"
                + "echo \"exposed=$CF_DOCKER_PASSWORD\"\n"
                + "cat \"$DOCKER_CONFIG/config.json\""));
        FreeStyleBuild b = j.buildAndAssertSuccess(p);
        j.assertLogContains("exposed=****", b);
        j.assertLogNotContains(key, b);
        j.assertLogNotContains(basic(key), b);
        String folder = p.getSomeWorkspace().child("where").readToString().strip();
        org.junit.jupiter.api.Assertions.assertFalse(new java.io.File(folder).exists(), "the session's folder is gone");
        j.assertEqualDataBoundBeans(wrapper, j.configRoundtrip(p).getBuildWrappersList().get(IcrLoginBuildWrapper.class));
    }

    @Test
    void theWrapperInPipelineMasksOnAnAgentToo(JenkinsRule j) throws Exception {
        String key = FIXTURES.testbed().newApiKey();
        store("icr", key);
        j.createOnlineSlave(Label.get("remote"));
        WorkflowRun b = j.buildAndAssertSuccess(pipeline(j, "node('remote') {\n"
                + "  icrLogin(" + FIXTURES.options("icr") + ") {\n"
                + "    sh 'cat \"$DOCKER_CONFIG/config.json\"'\n"
                + "  }\n"
                + "}"));
        j.assertLogContains("\"auth\" : \"****\"", b);
        j.assertLogNotContains(basic(key), b);
    }
}
