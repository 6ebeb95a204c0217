package io.jenkins.plugins.icr.jenkins.step;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cloudbees.plugins.credentials.CredentialsProvider;
import com.cloudbees.plugins.credentials.CredentialsScope;
import com.cloudbees.plugins.credentials.domains.Domain;
import com.cloudbees.plugins.credentials.impl.UsernamePasswordCredentialsImpl;
import hudson.model.Item;
import hudson.util.Secret;
import io.jenkins.plugins.icr.jenkins.credentials.IbmCloudApiKeyCredentials;
import java.net.URL;
import java.util.List;
import jenkins.model.Jenkins;
import org.htmlunit.HttpMethod;
import org.htmlunit.Page;
import org.htmlunit.WebRequest;
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

    private static Page fill(JenkinsRule j, String user, HttpMethod method) throws Exception {
        JenkinsRule.WebClient wc = j.createWebClient().withThrowExceptionOnFailingStatusCode(false).login(user);
        WebRequest request = new WebRequest(new URL(j.getURL(), FILL), method);
        request.setRequestParameters(List.of(new NameValuePair("credentialsId", "")));
        return wc.getPage(method == HttpMethod.POST ? wc.addCrumb(request) : request);
    }
}
