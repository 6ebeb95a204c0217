package io.jenkins.plugins.icr.jenkins.step;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cloudbees.plugins.credentials.CredentialsProvider;
import com.cloudbees.plugins.credentials.CredentialsScope;
import com.cloudbees.plugins.credentials.domains.Domain;
import com.cloudbees.plugins.credentials.impl.UsernamePasswordCredentialsImpl;
import hudson.model.Item;
import hudson.util.Secret;
import io.jenkins.plugins.icr.jenkins.Pages;
import io.jenkins.plugins.icr.jenkins.credentials.IbmCloudApiKeyCredentials;
import java.net.URL;
import java.util.List;
import jenkins.model.Jenkins;
import org.htmlunit.HttpMethod;
import org.htmlunit.Page;
import org.htmlunit.WebRequest;
import org.htmlunit.html.HtmlElement;
import org.htmlunit.html.HtmlInput;
import org.htmlunit.html.HtmlOption;
import org.htmlunit.html.HtmlPage;
import org.htmlunit.html.HtmlSelect;
import org.htmlunit.html.HtmlTextArea;
import org.htmlunit.util.NameValuePair;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.junit.jupiter.api.Test;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.MockAuthorizationStrategy;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

/** The step's form: the credentials drop-down lists ids only for those who may configure the job. */
@WithJenkins
class IcrLoginFormTest {

    private static final String FILL = "job/p/descriptorByName/" + IcrLoginStep.class.getName() + "/fillCredentialsIdItems";

    @Test
    void theCredentialsDropDownNeedsPostAndConfigurePermission(JenkinsRule j) throws Exception {
        var store = CredentialsProvider.lookupStores(Jenkins.get()).iterator().next();
        store.addCredentials(Domain.global(),
                new IbmCloudApiKeyCredentials(CredentialsScope.GLOBAL, "icr-secret-id", null, Secret.fromString("k")));
        store.addCredentials(Domain.global(),
                new UsernamePasswordCredentialsImpl(CredentialsScope.GLOBAL, "icr-as-userpass", null, "iamapikey", "k"));
        store.addCredentials(Domain.global(),
                new UsernamePasswordCredentialsImpl(CredentialsScope.GLOBAL, "github-login", null, "bob", "pw"));
        j.createProject(WorkflowJob.class, "p");
        j.jenkins.setSecurityRealm(j.createDummySecurityRealm());
        j.jenkins.setAuthorizationStrategy(new MockAuthorizationStrategy()
                .grant(Jenkins.READ, Item.READ).everywhere().to("reader")
                .grant(Jenkins.READ, Item.READ, Item.CONFIGURE).everywhere().to("dev"));

        String listed = fill(j, "dev", HttpMethod.POST).getWebResponse().getContentAsString();
        assertTrue(listed.contains("icr-secret-id") && listed.contains("icr-as-userpass"), listed);
        assertFalse(listed.contains("github-login"), "a login the block cannot use is not offered");
        assertFalse(fill(j, "reader", HttpMethod.POST).getWebResponse().getContentAsString().contains("icr-secret-id"),
                "a reader does not learn which credentials exist");
        Page get = fill(j, "dev", HttpMethod.GET);
        assertTrue(get.getWebResponse().getStatusCode() >= 400, "GET is refused");
    }

    /** The snippet generator as a user clicks it: pick the step, pick the key, type a region, generate. */
    @Test
    void theSnippetGeneratorListsTheKeyChecksTheRegionAndWritesTheStep(JenkinsRule j) throws Exception {
        CredentialsProvider.lookupStores(Jenkins.get()).iterator().next().addCredentials(Domain.global(),
                new IbmCloudApiKeyCredentials(CredentialsScope.GLOBAL, "icr-key", "CI pusher", Secret.fromString("k")));
        j.createProject(WorkflowJob.class, "p");
        try (JenkinsRule.WebClient wc = j.createWebClient()) {
            HtmlPage page = stepForm(wc);
            HtmlSelect credentials = page.getFirstByXPath("//select[@name='_.credentialsId']");
            assertTrue(credentials.getOptions().stream().anyMatch(o -> o.getValueAttribute().equals("icr-key")),
                    credentials.asXml());
            credentials.setSelectedAttribute("icr-key", true);

            HtmlInput region = page.getFirstByXPath("//input[@name='_.region']");
            region.type("us-sout");
            region.blur();
            wc.waitForBackgroundJavaScript(10_000);
            assertTrue(page.asNormalizedText().contains("Did you mean 'us-south'?"), page.asNormalizedText());
            region.setValue("us-south");
            region.blur();

            HtmlElement generate = page.getFirstByXPath("//button[normalize-space(.)='Generate Pipeline Script']");
            generate.click();
            wc.waitForBackgroundJavaScript(10_000);
            HtmlTextArea snippet = page.getFirstByXPath("//textarea[@id='prototypeText']");
            assertTrue(snippet.getText().contains("withIcrLogin(credentialsId: 'icr-key', region: 'us-south')"),
                    snippet.getText());
        }
    }

    /** The pull secret's fields say, as they are typed, what Kubernetes would refuse. */
    @Test
    void thePullSecretFieldsSayWhatKubernetesTakesAsTheyAreTyped(JenkinsRule j) throws Exception {
        j.createProject(WorkflowJob.class, "p");
        try (JenkinsRule.WebClient wc = j.createWebClient()) {
            HtmlPage page = stepForm(wc);
            Pages.click(page, "Advanced");
            for (String[] typed : List.of(new String[] {"_.pullSecret", "Icr_Pull"},
                    new String[] {"_.pullSecretNamespace", "apps.prod"})) {
                HtmlInput field = Pages.field(page, typed[0]);
                field.type(typed[1]);
                field.blur();
            }
            wc.waitForBackgroundJavaScript(10_000);
            String text = page.asNormalizedText();
            assertTrue(text.contains("'Icr_Pull' cannot name a Kubernetes secret. Give pullSecret lower-case letters")
                    && text.contains("'apps.prod' is not a Kubernetes namespace."), text);
        }
    }

    /** The Pipeline Syntax page with withIcrLogin picked, as a user picks it. */
    private static HtmlPage stepForm(JenkinsRule.WebClient wc) throws Exception {
        HtmlPage page = wc.goTo("job/p/pipeline-syntax/");
        HtmlSelect steps = page.getFirstByXPath("//select[option[starts-with(normalize-space(.), 'withIcrLogin')]]");
        HtmlOption withIcrLogin = steps.getFirstByXPath("option[starts-with(normalize-space(.), 'withIcrLogin')]");
        steps.setSelectedAttribute(withIcrLogin, true);
        wc.waitForBackgroundJavaScript(10_000);
        return page;
    }

    private static Page fill(JenkinsRule j, String user, HttpMethod method) throws Exception {
        JenkinsRule.WebClient wc = j.createWebClient().withThrowExceptionOnFailingStatusCode(false).login(user);
        WebRequest request = new WebRequest(new URL(j.getURL(), FILL), method);
        request.setRequestParameters(List.of(new NameValuePair("credentialsId", "")));
        return wc.getPage(method == HttpMethod.POST ? wc.addCrumb(request) : request);
    }
}
