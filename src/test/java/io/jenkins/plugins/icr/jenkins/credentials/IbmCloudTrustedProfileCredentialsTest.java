package io.jenkins.plugins.icr.jenkins.credentials;

import static io.jenkins.plugins.icr.jenkins.Pages.click;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cloudbees.plugins.credentials.CredentialsProvider;
import com.cloudbees.plugins.credentials.CredentialsScope;
import com.cloudbees.plugins.credentials.domains.Domain;
import io.jenkins.plugins.icr.iam.TrustedProfile;
import io.jenkins.plugins.icr.jenkins.Pages;
import io.jenkins.plugins.icr.testbed.IamEmulator;
import io.jenkins.plugins.icr.testbed.TestCluster;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import jenkins.model.Jenkins;
import org.htmlunit.HttpMethod;
import org.htmlunit.WebRequest;
import org.htmlunit.html.HtmlForm;
import org.htmlunit.html.HtmlPage;
import org.htmlunit.util.NameValuePair;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.MockAuthorizationStrategy;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

/**
 * The trusted profile type: no secret in it, its form, the IAM endpoint's allow-list, and a Verify button that tries
 * the profile only where the controller has the token, and says plainly otherwise.
 */
@WithJenkins
class IbmCloudTrustedProfileCredentialsTest {

    private static final String VERIFY = "descriptorByName/" + IbmCloudTrustedProfileCredentials.class.getName()
            + "/verifyProfile";

    private IamEmulator iam;

    @TempDir
    Path work;

    @BeforeEach
    void startIam() throws Exception {
        iam = IamEmulator.start();
    }

    @AfterEach
    void stopIam() {
        iam.close();
    }

    @Test
    void theFormKeepsEveryFieldAndTheEngineGetsTheSameProfile(JenkinsRule j) throws Exception {
        var profile = new IbmCloudTrustedProfileCredentials(CredentialsScope.GLOBAL, "tp", "pods", "ci-pusher");
        profile.setTokenFile("/var/run/secrets/tokens/sa-token");
        profile.setIamEndpoint("https://private.iam.cloud.ibm.com");
        CredentialsProvider.lookupStores(Jenkins.get()).iterator().next().addCredentials(Domain.global(), profile);
        try (JenkinsRule.WebClient wc = j.createWebClient()) {
            HtmlPage page = wc.goTo("manage/credentials/store/system/domain/_/credential/tp/update");
            HtmlForm form = page.getFormByName("update");
            j.submit(form);
        }
        var saved = CredentialsProvider.lookupCredentialsInItemGroup(IbmCloudTrustedProfileCredentials.class,
                Jenkins.get(), null, List.of()).get(0);
        assertEquals("ci-pusher", saved.getProfile());
        assertEquals("/var/run/secrets/tokens/sa-token", saved.getTokenFile());
        assertFalse(saved.isVpcMetadata());
        assertEquals("https://private.iam.cloud.ibm.com", saved.getIamEndpoint());
        assertEquals(new TrustedProfile("ci-pusher", new TrustedProfile.TokenFile("/var/run/secrets/tokens/sa-token"),
                "https://private.iam.cloud.ibm.com"), saved.trustedProfile());
    }

    @Test
    void anEndpointNoKeyMayGoToCannotBeStoredAndNoProfileIsRefused(JenkinsRule j) {
        var profile = new IbmCloudTrustedProfileCredentials(CredentialsScope.GLOBAL, "tp", null, "ci-pusher");
        IllegalArgumentException foreign = assertThrows(IllegalArgumentException.class,
                () -> profile.setIamEndpoint("https://iam.example.com"));
        assertTrue(foreign.getMessage().contains("administrator"), foreign.getMessage());
        IllegalArgumentException none = assertThrows(IllegalArgumentException.class,
                () -> new IbmCloudTrustedProfileCredentials(CredentialsScope.GLOBAL, "tp", null, " "));
        assertTrue(none.getMessage().contains("Profile-"), none.getMessage());
    }

    @Test
    void verifySaysPlainlyThatTheTokenIsOnlyOnAgents(JenkinsRule j) throws Exception {
        String missing = work.resolve("no-such-token").toString();
        String answer = verify(j, null, List.of(new NameValuePair("profile", "ci-pusher"),
                new NameValuePair("tokenFile", missing)));
        assertTrue(answer.contains("the token exists only on the agents") && answer.contains(missing), answer);
        String vpc = verify(j, null, List.of(new NameValuePair("profile", "Profile-1"),
                new NameValuePair("vpcMetadata", "true")));
        assertTrue(vpc.contains("the token exists only on the agents on VPC servers"), vpc);
        assertEquals(0, iam.requestCount());
    }

    @Test
    void verifyOnAControllerWithATokenFileAsksIamForAdministratorsOnly(JenkinsRule j) throws Exception {
        IamEmulator.Profile profile = linkedProfile();
        Path file = work.resolve("sa-token");
        j.jenkins.setSecurityRealm(j.createDummySecurityRealm());
        j.jenkins.setAuthorizationStrategy(new MockAuthorizationStrategy()
                .grant(Jenkins.ADMINISTER).everywhere().to("admin")
                .grant(Jenkins.READ, CredentialsProvider.CREATE).everywhere().to("editor")
                .grant(Jenkins.READ).everywhere().to("reader"));
        List<NameValuePair> form = List.of(new NameValuePair("profile", profile.id()),
                new NameValuePair("tokenFile", file.toString()), new NameValuePair("iamEndpoint", iam.baseUrl()));

        String admin = verify(j, "admin", form);
        String editor = verify(j, "editor", form);
        String reader = verify(j, "reader", form);

        assertTrue(admin.contains("IAM gave a token of the trusted profile: iam-" + profile.id()), admin);
        assertTrue(editor.contains("only a Jenkins administrator"), editor);
        assertTrue(reader.startsWith("403"), "a reader is refused");
        assertEquals(1, iam.requestCount(), "only the administrator's click reached IAM");
        assertFalse(admin.contains(Files.readString(file)));
    }

    /**
     * As a user clicks it, on the stored credentials' page: Verify tries the token file the page names (here the
     * controller has it), and after the user types another path, that one, which only agents would have.
     */
    @Test
    void theVerifyButtonSendsTheProfileAndTheTokenFileOnThePage(JenkinsRule j) throws Exception {
        IamEmulator.Profile profile = linkedProfile();
        Path file = work.resolve("sa-token");
        var stored = new IbmCloudTrustedProfileCredentials(CredentialsScope.GLOBAL, "tp", null, profile.id());
        stored.setTokenFile(file.toString());
        stored.setIamEndpoint(iam.baseUrl());
        CredentialsProvider.lookupStores(Jenkins.get()).iterator().next().addCredentials(Domain.global(), stored);
        try (JenkinsRule.WebClient wc = j.createWebClient()) {
            HtmlPage page = wc.goTo("manage/credentials/store/system/domain/_/credential/tp/update");
            click(page, "Verify");
            wc.waitForBackgroundJavaScript(10_000);
            String shown = page.asNormalizedText();
            assertTrue(shown.contains("IAM gave a token of the trusted profile: iam-" + profile.id()), shown);
            assertEquals(1, iam.requestCount(), "the token file and endpoint on the page were used");

            String elsewhere = work.resolve("only-on-agents").toString();
            Pages.field(page, "_.tokenFile").setValue(elsewhere);
            click(page, "Verify");
            wc.waitForBackgroundJavaScript(10_000);
            shown = page.asNormalizedText();
            assertTrue(shown.contains("the token exists only on the agents") && shown.contains(elsewhere), shown);
            assertEquals(1, iam.requestCount(), "a file the controller lacks sends nothing");
        }
    }

    /**
     * A profile linked to a test cluster's service account, whose token the controller has in {@code sa-token}, and
     * the emulator allowed as an administrator would.
     */
    private IamEmulator.Profile linkedProfile() throws Exception {
        TestCluster cluster = TestCluster.create();
        iam.trust(cluster);
        IamEmulator.Profile profile = iam.createProfile("ci-pusher", new IamEmulator.Link(cluster.id(), "ci", "jenkins"));
        Files.writeString(work.resolve("sa-token"), cluster.serviceAccountToken("ci", "jenkins", Duration.ofMinutes(10)));
        IcrGlobalConfiguration.get().setAllowedIamEndpoints(iam.baseUrl());
        return profile;
    }

    private static String verify(JenkinsRule j, String user, List<NameValuePair> form) throws Exception {
        try (JenkinsRule.WebClient wc = j.createWebClient().withThrowExceptionOnFailingStatusCode(false)) {
            if (user != null) {
                wc.login(user);
            }
            WebRequest request = new WebRequest(new URL(j.getURL(), VERIFY), HttpMethod.POST);
            request.setRequestParameters(form);
            var page = wc.getPage(wc.addCrumb(request));
            return page.getWebResponse().getStatusCode() + " " + page.getWebResponse().getContentAsString();
        }
    }
}
