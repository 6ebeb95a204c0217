package io.jenkins.plugins.icr.jenkins.credentials;

import static io.jenkins.plugins.icr.jenkins.Pages.click;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cloudbees.plugins.credentials.CredentialsNameProvider;
import com.cloudbees.plugins.credentials.CredentialsProvider;
import com.cloudbees.plugins.credentials.CredentialsScope;
import com.cloudbees.plugins.credentials.domains.Domain;
import hudson.util.FormValidation;
import hudson.util.Secret;
import io.jenkins.plugins.icr.jenkins.Pages;
import io.jenkins.plugins.icr.testbed.IamEmulator;
import java.net.URL;
import java.util.List;
import jenkins.model.Jenkins;
import org.htmlunit.HttpMethod;
import org.htmlunit.Page;
import org.htmlunit.WebRequest;
import org.htmlunit.html.HtmlForm;
import org.htmlunit.html.HtmlPage;
import org.htmlunit.util.NameValuePair;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.MockAuthorizationStrategy;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

/** The credentials type: its username/password fit, its name, its form, and the Verify button against IAM. */
@WithJenkins
class IbmCloudApiKeyCredentialsTest {

    private static final String VERIFY = "descriptorByName/" + IbmCloudApiKeyCredentials.class.getName() + "/verifyKey";

    private IamEmulator iam;

    @BeforeEach
    void startIam() throws Exception {
        iam = IamEmulator.start();
    }

    @AfterEach
    void stopIam() {
        iam.close();
    }

    @Test
    void isAUsernamePasswordWithAnOpenUsernameAndANameWithoutTheKey(JenkinsRule j) {
        var key = new IbmCloudApiKeyCredentials(CredentialsScope.GLOBAL, "icr", null, Secret.fromString("k3y-abc"));
        assertEquals("iamapikey", key.getUsername());
        assertFalse(key.isUsernameSecret());
        assertEquals("k3y-abc", key.getPassword().getPlainText());
        assertEquals("IBM Cloud API key icr", CredentialsNameProvider.name(key));
        var described = new IbmCloudApiKeyCredentials(CredentialsScope.GLOBAL, "icr2", "CI pusher", Secret.fromString("k3y"));
        assertEquals("CI pusher", CredentialsNameProvider.name(described));
    }

    @Test
    void theUpdateFormKeepsEveryField(JenkinsRule j) throws Exception {
        var key = new IbmCloudApiKeyCredentials(CredentialsScope.GLOBAL, "icr", "pusher", Secret.fromString("k3y-abc"));
        key.setIamEndpoint("https://private.iam.cloud.ibm.com");
        CredentialsProvider.lookupStores(Jenkins.get()).iterator().next().addCredentials(Domain.global(), key);
        try (JenkinsRule.WebClient wc = j.createWebClient()) {
            HtmlPage page = wc.goTo("manage/credentials/store/system/domain/_/credential/icr/update");
            HtmlForm form = page.getFormByName("update");
            j.submit(form);
        }
        var saved = CredentialsProvider.lookupCredentialsInItemGroup(IbmCloudApiKeyCredentials.class, Jenkins.get(),
                null, List.of()).get(0);
        assertEquals("pusher", saved.getDescription());
        assertEquals("k3y-abc", saved.getApiKey().getPlainText());
        assertEquals("https://private.iam.cloud.ibm.com", saved.getIamEndpoint());
    }

    @Test
    void verifyShowsWhoseKeyItIs(JenkinsRule j) throws Exception {
        allowEmulator();
        String key = iam.createApiKey(IamEmulator.Identity.serviceId("ci-pusher", "acct-42"));
        String answer = verify(j, null, key, iam.baseUrl()).getWebResponse().getContentAsString();
        assertTrue(answer.contains("IAM accepted the key: service ID ci-pusher"), answer);
        assertTrue(answer.contains("acct-42"), answer);
        assertFalse(answer.contains(key));
    }

    @Test
    void verifyWarnsAboutSpacesAroundTheKeyAndRefusesAToken(JenkinsRule j) throws Exception {
        allowEmulator();
        String key = iam.createApiKey(IamEmulator.Identity.serviceId("ci-pusher", "acct-42"));
        String trimmed = verify(j, null, " " + key + "\n", iam.baseUrl()).getWebResponse().getContentAsString();
        assertTrue(trimmed.contains("class=\"warning\"") && trimmed.contains("service ID ci-pusher")
                && trimmed.contains("they were removed"), trimmed);
        String uaa = verify(j, null, "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1c2VyIn0.c2lnbmF0dXJl", iam.baseUrl())
                .getWebResponse().getContentAsString();
        assertTrue(uaa.contains("This secret is a token, not an API key"), uaa);
        assertEquals(1, iam.requestCount(key), "the token was not sent to IAM");
    }

    @Test
    void anIamEndpointInClearTextOrNotIbmsIsRefusedInTheForm(JenkinsRule j) throws Exception {
        var descriptor = j.jenkins.getDescriptorByType(IbmCloudApiKeyCredentials.DescriptorImpl.class);
        assertEquals(FormValidation.Kind.ERROR, descriptor.doCheckIamEndpoint(null, "http://iam.example.com").kind);
        FormValidation foreign = descriptor.doCheckIamEndpoint(null, "https://iam.example.com");
        assertEquals(FormValidation.Kind.ERROR, foreign.kind);
        assertTrue(foreign.getMessage().contains("https://iam.example.com") && foreign.getMessage().contains("administrator"),
                foreign.getMessage());
        assertEquals(FormValidation.Kind.OK, descriptor.doCheckIamEndpoint(null, "https://private.iam.cloud.ibm.com").kind);
        assertEquals(FormValidation.Kind.OK, descriptor.doCheckIamEndpoint(null, "https://private.eu-de.iam.cloud.ibm.com/").kind);
        assertEquals(FormValidation.Kind.OK, descriptor.doCheckIamEndpoint(null, "").kind);
    }

    @Test
    void verifyShowsIamsErrorWithWhatToDo(JenkinsRule j) throws Exception {
        allowEmulator();
        String key = iam.createApiKey(IamEmulator.Identity.serviceId("gone", "acct"));
        iam.deleteApiKey(key);
        String answer = verify(j, null, key, iam.baseUrl()).getWebResponse().getContentAsString();
        assertTrue(answer.contains("BXNIM0415E") && answer.contains("api-key-create"), answer);
        assertTrue(answer.contains("IAM request id"), answer);
        assertFalse(answer.contains(key));
    }

    @Test
    void verifyIsRefusedForGetAndForUsersWhoCannotCreateCredentials(JenkinsRule j) throws Exception {
        allowEmulator();
        String key = iam.createApiKey(IamEmulator.Identity.serviceId("ci", "acct"));
        j.jenkins.setSecurityRealm(j.createDummySecurityRealm());
        j.jenkins.setAuthorizationStrategy(new MockAuthorizationStrategy()
                .grant(Jenkins.ADMINISTER).everywhere().to("admin")
                .grant(Jenkins.READ).everywhere().to("reader"));
        try (JenkinsRule.WebClient wc = j.createWebClient().withThrowExceptionOnFailingStatusCode(false)) {
            wc.login("admin");
            var get = wc.goTo(VERIFY + "?apiKey=" + key + "&iamEndpoint=" + iam.baseUrl(), null);
            assertTrue(get.getWebResponse().getStatusCode() >= 400, "GET is refused");
        }
        assertEquals(403, verify(j, "reader", key, iam.baseUrl()).getWebResponse().getStatusCode());
        assertEquals(0, iam.requestCount(key), "IAM was never asked");
        assertTrue(verify(j, "admin", key, iam.baseUrl()).getWebResponse().getContentAsString().contains("service ID ci"));
    }

    /** As a user clicks it: open Advanced, type the endpoint and the key, press Verify, read the answer. */
    @Test
    void theVerifyButtonSendsTheKeyAndTheEndpointOnThePage(JenkinsRule j) throws Exception {
        allowEmulator();
        String key = iam.createApiKey(IamEmulator.Identity.serviceId("ci-pusher", "acct-42"));
        CredentialsProvider.lookupStores(Jenkins.get()).iterator().next().addCredentials(Domain.global(),
                new IbmCloudApiKeyCredentials(CredentialsScope.GLOBAL, "icr", null, Secret.fromString(key)));
        try (JenkinsRule.WebClient wc = j.createWebClient()) {
            HtmlPage page = wc.goTo("credentials/store/system/domain/_/credential/icr/update");
            click(page, "Advanced");
            Pages.field(page, "_.iamEndpoint").setValue(iam.baseUrl());
            click(page, "Change Password");
            Pages.field(page, "_.apiKey").setValue(key);
            click(page, "Verify");
            wc.waitForBackgroundJavaScript(10_000);
            String shown = page.asNormalizedText();
            assertTrue(shown.contains("IAM accepted the key: service ID ci-pusher"), shown);
            assertEquals(1, iam.requestCount(key), "the endpoint on the page was asked");
        }
    }

    /** A stored key, not typed again, is verified with the endpoint stored with it; another one asks to retype. */
    @Test
    void theVerifyButtonChecksAStoredKeyOnlyWhereItIsStored(JenkinsRule j) throws Exception {
        allowEmulator();
        String key = iam.createApiKey(IamEmulator.Identity.serviceId("ci-pusher", "acct-42"));
        var stored = new IbmCloudApiKeyCredentials(CredentialsScope.GLOBAL, "icr", null, Secret.fromString(key));
        stored.setIamEndpoint(iam.baseUrl());
        CredentialsProvider.lookupStores(Jenkins.get()).iterator().next().addCredentials(Domain.global(), stored);
        try (JenkinsRule.WebClient wc = j.createWebClient()) {
            HtmlPage page = wc.goTo("credentials/store/system/domain/_/credential/icr/update");
            click(page, "Verify");
            wc.waitForBackgroundJavaScript(10_000);
            assertTrue(page.asNormalizedText().contains("IAM accepted the key: service ID ci-pusher"),
                    page.asNormalizedText());

            click(page, "Advanced");
            Pages.field(page, "_.iamEndpoint").setValue("https://private.iam.cloud.ibm.com");
            click(page, "Verify");
            wc.waitForBackgroundJavaScript(10_000);
            assertTrue(page.asNormalizedText().contains("type the key again"), page.asNormalizedText());
            assertEquals(1, iam.requestCount(key));
        }
    }

    private void allowEmulator() {
        IcrGlobalConfiguration.get().setAllowedIamEndpoints(iam.baseUrl());
    }

    private static Page verify(JenkinsRule j, String user, String key, String endpoint) throws Exception {
        JenkinsRule.WebClient wc = j.createWebClient().withThrowExceptionOnFailingStatusCode(false);
        if (user != null) {
            wc.login(user);
        }
        WebRequest request = new WebRequest(new URL(j.getURL(), VERIFY), HttpMethod.POST);
        request.setRequestParameters(List.of(new NameValuePair("apiKey", key), new NameValuePair("iamEndpoint", endpoint)));
        return wc.getPage(wc.addCrumb(request));
    }
}
