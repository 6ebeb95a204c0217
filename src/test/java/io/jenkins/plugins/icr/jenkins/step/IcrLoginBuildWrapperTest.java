package io.jenkins.plugins.icr.jenkins.step;

import static io.jenkins.plugins.icr.jenkins.step.BlockFixtures.store;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import hudson.model.FreeStyleBuild;
import hudson.model.FreeStyleProject;
import hudson.model.Result;
import hudson.tasks.Shell;
import io.jenkins.plugins.icr.jenkins.Pages;
import java.io.ByteArrayInputStream;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;
import javax.xml.transform.stream.StreamSource;
import org.htmlunit.html.HtmlForm;
import org.htmlunit.html.HtmlInput;
import org.htmlunit.html.HtmlPage;
import org.htmlunit.html.HtmlSelect;
import org.htmlunit.html.HtmlTextArea;
import org.jenkinsci.plugins.structs.describable.DescribableModel;
import org.jenkinsci.plugins.structs.describable.DescribableParameter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

/** The freestyle wrapper takes withIcrLogin's options, flat, however a user configures it. */
@WithJenkins
class IcrLoginBuildWrapperTest {

    @RegisterExtension
    static final BlockFixtures FIXTURES = new BlockFixtures();

    private static final String BUILD = "test -f \"$DOCKER_CONFIG/config.json\"\necho \"$DOCKER_CONFIG\" > where\n";

    @Test
    void itsOptionsAreWithIcrLoginsNamedAndTypedTheSame() {
        assertEquals(parameters(IcrLoginStep.class), parameters(IcrLoginBuildWrapper.class));
    }

    @Test
    void configuredThroughItsFormItPushesAndCleansUp(JenkinsRule j) throws Exception {
        store("icr", FIXTURES.testbed().newApiKey());
        FreeStyleProject p = j.createFreeStyleProject("f");
        p.getBuildersList().add(new Shell(BUILD + FIXTURES.push("form")));
        try (JenkinsRule.WebClient wc = j.createWebClient()) {
            HtmlPage page = wc.goTo("job/f/configure");
            HtmlForm form = page.getFormByName("config");
            HtmlInput enable = page.getFirstByXPath(
                    "//input[@type='checkbox' and @name='" + IcrLoginBuildWrapper.class.getName().replace('.', '-') + "']");
            enable.click();
            wc.waitForBackgroundJavaScript(10_000);
            HtmlSelect credentials = page.getFirstByXPath("//select[@name='_.credentialsId']");
            credentials.setSelectedAttribute("icr", true);
            ((HtmlInput) page.getFirstByXPath("//input[@name='_.region']")).setValue(FIXTURES.testbed().host());
            Pages.click(page, "Advanced");
            ((HtmlTextArea) page.getFirstByXPath("//textarea[@name='_.caCertificate']"))
                    .setText(FIXTURES.testbed().pki().caPem());
            j.submit(form);
        }
        IcrLoginBuildWrapper saved = p.getBuildWrappersList().get(IcrLoginBuildWrapper.class);
        assertEquals("icr", saved.getCredentialsId());
        assertEquals(FIXTURES.testbed().host(), saved.getRegion());
        assertPushesAndCleansUp(j, p);
    }

    @Test
    void configuredWithDescribableModelArgumentsItPushesAndCleansUp(JenkinsRule j) throws Exception {
        store("icr", FIXTURES.testbed().newApiKey());
        FreeStyleProject p = j.createFreeStyleProject("f");
        // What Job DSL, Configuration as Code and Pipeline's wrap hand over.
        p.getBuildWrappersList().add(DescribableModel.of(IcrLoginBuildWrapper.class).instantiate(Map.of(
                "credentialsId", "icr", "region", FIXTURES.testbed().host(),
                "caCertificate", FIXTURES.testbed().pki().caPem(), "client", "skopeo")));
        p.getBuildersList().add(new Shell(BUILD + FIXTURES.push("model")));
        assertPushesAndCleansUp(j, p);
    }

    @Test
    void configuredFromConfigXmlItPushesAndCleansUp(JenkinsRule j) throws Exception {
        store("icr", FIXTURES.testbed().newApiKey());
        String xml = "<project><builders><hudson.tasks.Shell><command>" + escape(BUILD + FIXTURES.push("xml"))
                + "</command></hudson.tasks.Shell></builders><buildWrappers>"
                + "<" + IcrLoginBuildWrapper.class.getName() + ">"
                + "<credentialsId>icr</credentialsId><region>" + FIXTURES.testbed().host() + "</region>"
                + "<caCertificate>" + escape(FIXTURES.testbed().pki().caPem()) + "</caCertificate>"
                + "</" + IcrLoginBuildWrapper.class.getName() + "></buildWrappers></project>";
        FreeStyleProject p = (FreeStyleProject) j.jenkins.createProjectFromXML("f",
                new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
        assertPushesAndCleansUp(j, p);
        p.updateByXml(new StreamSource(new ByteArrayInputStream(p.getConfigFile().asString()
                .getBytes(StandardCharsets.UTF_8))));
        assertPushesAndCleansUp(j, p);
    }

    @Test
    void aWrapperWithoutItsRequiredOptionsFailsNamingThem(JenkinsRule j) throws Exception {
        FreeStyleProject p = j.createFreeStyleProject("f");
        p.getBuildWrappersList().add(new IcrLoginBuildWrapper(null, "us-south"));
        p.getBuildersList().add(new Shell("echo never"));
        FreeStyleBuild b = j.assertBuildStatus(Result.FAILURE, p.scheduleBuild2(0));
        j.assertLogContains("The option credentialsId is missing", b);
        j.assertLogNotContains("\tat ", b);
        j.assertLogNotContains("never", b);

        p.getBuildWrappersList().replace(new IcrLoginBuildWrapper("icr", " "));
        b = j.assertBuildStatus(Result.FAILURE, p.scheduleBuild2(0));
        j.assertLogContains("The option region is missing", b);
        j.assertLogNotContains("\tat ", b);
    }

    private static void assertPushesAndCleansUp(JenkinsRule j, FreeStyleProject p) throws Exception {
        FreeStyleBuild b = j.buildAndAssertSuccess(p);
        j.assertLogContains("Logged in to " + FIXTURES.testbed().host(), b);
        String folder = p.getSomeWorkspace().child("where").readToString().strip();
        assertFalse(new File(folder).exists(), "the session's folder is gone: " + folder);
    }

    private static Map<String, String> parameters(Class<?> type) {
        Map<String, String> named = new TreeMap<>();
        for (DescribableParameter parameter : DescribableModel.of(type).getParameters()) {
            named.put(parameter.getName(), parameter.getType() + (parameter.isRequired() ? " required" : ""));
        }
        return named;
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
