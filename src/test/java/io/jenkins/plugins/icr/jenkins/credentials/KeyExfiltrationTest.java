package io.jenkins.plugins.icr.jenkins.credentials;

import static io.jenkins.plugins.icr.jenkins.Pages.click;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cloudbees.plugins.credentials.CredentialsProvider;
import com.cloudbees.plugins.credentials.CredentialsScope;
import com.cloudbees.plugins.credentials.domains.Domain;
import hudson.model.Result;
import hudson.util.Secret;
import io.jenkins.plugins.casc.ConfigurationAsCode;
import io.jenkins.plugins.icr.jenkins.Pages;
import io.jenkins.plugins.icr.jenkins.Pages;
import io.jenkins.plugins.icr.testbed.IamEmulator;
import io.jenkins.plugins.icr.testbed.KeyTrap;
import java.lang.reflect.Field;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import jenkins.model.Jenkins;
import org.htmlunit.HttpMethod;
import org.htmlunit.Page;
import org.htmlunit.WebRequest;
import org.htmlunit.html.HtmlInput;
import org.htmlunit.html.HtmlPage;
import org.htmlunit.util.NameValuePair;
import org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.MockAuthorizationStrategy;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

/**
 * A user who may edit credentials but not read them (Overall/Read, Credentials/View and Credentials/Update) tries
 * to have the controller send a stored key to a server of theirs, the {@link KeyTrap}. Each attack is stopped by one
 * defence, and each test fails when that defence is taken out.
 */
@WithJenkins
class KeyExfiltrationTest {

    private static final String EDITOR = "editor";
    private static final String UPDATE_PAGE = "credentials/store/system/domain/_/credential/icr/";

    private IamEmulator iam;
    private KeyTrap trap;
    private String key;

    @BeforeEach
    void start() throws Exception {
        iam = IamEmulator.start();
        trap = KeyTrap.start();
        key = iam.createApiKey(IamEmulator.Identity.serviceId("ci-pusher", "acct-42"));
    }

    @AfterEach
    void stop() {
        trap.close();
        iam.close();
    }

    /** Defence: a key that comes back encrypted is verified only against the endpoint stored with it. */
    @Test
    void verifyNeverSendsTheStoredKeyToANewEndpointEvenAnAllowedOne(JenkinsRule j) throws Exception {
        secure(j);
        IcrGlobalConfiguration.get().setAllowedIamEndpoints(iam.baseUrl() + "\n" + trap.url());
        store(iam.baseUrl());
        try (JenkinsRule.WebClient wc = j.createWebClient().withThrowExceptionOnFailingStatusCode(false)) {
            wc.login(EDITOR);
            String encrypted = encryptedKeyOnTheUpdatePage(wc);
            assertFalse(encrypted.contains(key), "the page shows the key only encrypted");

            String answer = verify(wc, j, encrypted, trap.url()).getWebResponse().getContentAsString();
            assertTrue(answer.contains("type the key again"), answer);
            assertEquals(0, trap.requests(), "nothing was sent to the attacker's endpoint");
            assertFalse(trap.received(key));

            String own = verify(wc, j, encrypted, iam.baseUrl()).getWebResponse().getContentAsString();
            assertTrue(own.contains("service ID ci-pusher"), "the stored endpoint still verifies: " + own);
        }
    }

    /** Defence: Verify sends a key only to IBM's IAM or an endpoint an administrator allowed. */
    @Test
    void verifySendsATypedKeyOnlyToAnAllowedEndpoint(JenkinsRule j) throws Exception {
        secure(j);
        try (JenkinsRule.WebClient wc = j.createWebClient().withThrowExceptionOnFailingStatusCode(false)) {
            wc.login(EDITOR);
            String answer = verify(wc, j, key, trap.url()).getWebResponse().getContentAsString();
            assertTrue(answer.contains(trap.url()) && answer.contains("not one of IBM Cloud"), answer);
            assertTrue(answer.contains("administrator"), answer);
        }
        assertEquals(0, trap.requests());
    }

    /**
     * Defence: the endpoint setter refuses what is not allowed, so the update form cannot store it; the form says why
     * as the endpoint is typed. (Jenkins' form binding logs a setter's refusal and saves the rest, so the page that
     * follows the save cannot show it: the check beside the field does.)
     */
    @Test
    void theUpdateFormCannotStoreAnEndpointThatIsNotAllowed(JenkinsRule j) throws Exception {
        secure(j);
        store(null);
        try (JenkinsRule.WebClient wc = j.createWebClient().withThrowExceptionOnFailingStatusCode(false)) {
            wc.login(EDITOR);
            HtmlPage page = wc.goTo(UPDATE_PAGE + "update");
            click(page, "Advanced");
            HtmlInput endpoint = Pages.field(page, "_.iamEndpoint");
            endpoint.type(trap.url());
            endpoint.blur();
            wc.waitForBackgroundJavaScript(10_000);
            String shown = page.asNormalizedText();
            assertTrue(shown.contains("The IAM endpoint " + trap.url() + " is not one of IBM Cloud's"), shown);
            j.submit(page.getFormByName("update"));
        }
        assertNull(stored().getIamEndpoint(), "the endpoint was not stored");
        assertEquals(key, stored().getApiKey().getPlainText(), "nor was anything else lost");
        assertEquals(0, trap.requests());
    }

    /** Defence: a credential read from a user's XML is held to the same rule as the form (readResolve). */
    @Test
    void configXmlCannotStoreAnEndpointThatIsNotAllowed(JenkinsRule j) throws Exception {
        secure(j);
        store(null);
        try (JenkinsRule.WebClient wc = j.createWebClient().withThrowExceptionOnFailingStatusCode(false)) {
            wc.withBasicApiToken(EDITOR); // as a script would post it: no session, no crumb
            String encrypted = encryptedKeyOnTheUpdatePage(wc);
            String xml = "<" + IbmCloudApiKeyCredentials.class.getName() + ">"
                    + "<scope>GLOBAL</scope><id>icr</id><description>pusher</description>"
                    + "<apiKey>" + encrypted + "</apiKey><iamEndpoint>" + trap.url() + "</iamEndpoint>"
                    + "</" + IbmCloudApiKeyCredentials.class.getName() + ">";
            WebRequest post = new WebRequest(new URL(j.getURL(), UPDATE_PAGE + "config.xml"), HttpMethod.POST);
            post.setAdditionalHeader("Content-Type", "application/xml");
            post.setRequestBody(xml);
            Page result = wc.getPage(post);
            assertTrue(result.getWebResponse().getStatusCode() >= 400, "the update is refused");
            assertTrue(result.getWebResponse().getContentAsString().contains("not one of IBM Cloud"),
                    "and says why");
        }
        assertNull(stored().getIamEndpoint(), "the credential is unchanged");
        assertEquals(key, stored().getApiKey().getPlainText());
    }

    /** Defence: Configuration as Code goes through the same setter. */
    @Test
    void configurationAsCodeCannotStoreAnEndpointThatIsNotAllowed(JenkinsRule j, @TempDir Path dir) throws Exception {
        Path yaml = dir.resolve("jenkins.yaml");
        Files.writeString(yaml, """
                credentials:
                  system:
                    domainCredentials:
                      - credentials:
                          - ibmCloudApiKey:
                              id: "icr"
                              apiKey: "casc-k3y-0123456789"
                              iamEndpoint: "%s"
                """.formatted(trap.url()), StandardCharsets.UTF_8);
        Exception refused = assertThrows(Exception.class, () -> ConfigurationAsCode.get().configure(yaml.toString()));
        assertTrue(messages(refused).contains(trap.url()), messages(refused));
        assertTrue(CredentialsProvider.lookupCredentialsInItemGroup(IbmCloudApiKeyCredentials.class, Jenkins.get(),
                null, List.of()).isEmpty());
    }

    /** Defence: every use checks the endpoint, so a value changed behind the forms' back sends nothing. */
    @Test
    void aBearerBuildRefusesAnEndpointChangedBehindTheFormsBack(JenkinsRule j) throws Exception {
        store(null);
        Field endpoint = IbmCloudApiKeyCredentials.class.getDeclaredField("iamEndpoint");
        endpoint.setAccessible(true);
        endpoint.set(stored(), trap.url()); // as a hand-edited credentials.xml, or a plugin bug, would
        WorkflowJob p = j.createProject(WorkflowJob.class, "p");
        p.setDefinition(new CpsFlowDefinition(
                "node { withIcrLogin(credentialsId: 'icr', region: 'us-south', mode: 'bearer') { echo 'inside' } }",
                true));
        WorkflowRun b = j.assertBuildStatus(Result.FAILURE, p.scheduleBuild2(0));
        j.assertLogContains("not one of IBM Cloud", b);
        j.assertLogNotContains("inside", b);
        j.assertLogNotContains("\tat ", b); // a message, not a stack trace
        assertEquals(0, trap.requests(), "nothing left the controller");
    }

    private void secure(JenkinsRule j) {
        j.jenkins.setSecurityRealm(j.createDummySecurityRealm());
        j.jenkins.setAuthorizationStrategy(new MockAuthorizationStrategy()
                .grant(Jenkins.ADMINISTER).everywhere().to("admin")
                .grant(Jenkins.READ, CredentialsProvider.VIEW, CredentialsProvider.UPDATE).everywhere().to(EDITOR));
    }

    private void store(String endpoint) throws Exception {
        var credentials = new IbmCloudApiKeyCredentials(CredentialsScope.GLOBAL, "icr", "pusher", Secret.fromString(key));
        if (endpoint != null) {
            credentials.setIamEndpoint(endpoint);
        }
        CredentialsProvider.lookupStores(Jenkins.get()).iterator().next().addCredentials(Domain.global(), credentials);
    }

    private static IbmCloudApiKeyCredentials stored() {
        return CredentialsProvider.lookupCredentialsInItemGroup(IbmCloudApiKeyCredentials.class, Jenkins.get(), null,
                List.of()).get(0);
    }

    /** What an editor can take from the update page: the key field's value, encrypted. */
    private static String encryptedKeyOnTheUpdatePage(JenkinsRule.WebClient wc) throws Exception {
        HtmlPage page = wc.goTo(UPDATE_PAGE + "update");
        String value = page.getFormByName("update").getInputByName("_.apiKey").getValue();
        assertTrue(Secret.decrypt(value) != null, "the field holds the encrypted key: " + value);
        return value;
    }

    private static Page verify(JenkinsRule.WebClient wc, JenkinsRule j, String apiKey, String endpoint)
            throws Exception {
        WebRequest request = new WebRequest(new URL(j.getURL(), "descriptorByName/"
                + IbmCloudApiKeyCredentials.class.getName() + "/verifyKey"), HttpMethod.POST);
        request.setRequestParameters(List.of(new NameValuePair("apiKey", apiKey),
                new NameValuePair("iamEndpoint", endpoint)));
        return wc.getPage(wc.addCrumb(request));
    }

    private static String messages(Throwable t) {
        StringBuilder all = new StringBuilder();
        for (Throwable c = t; c != null; c = c.getCause()) {
            all.append(c.getMessage()).append('\n');
        }
        return all.toString();
    }
}
