package io.jenkins.plugins.icr.iam;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import io.jenkins.plugins.icr.FrontEnd;
import io.jenkins.plugins.icr.testbed.IamEmulator;
import io.jenkins.plugins.icr.testbed.IamEmulator.Fault;
import io.jenkins.plugins.icr.testbed.IamEmulator.Link;
import io.jenkins.plugins.icr.testbed.TestCluster;
import io.jenkins.plugins.icr.testbed.VpcMetadataEmulator;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A trusted profile's IAM tokens against the IAM emulator's {@code cr-token} grant and the VPC metadata emulator:
 * the tokens the registry accepts, the token file read anew at each call, and every refusal in words that say
 * what to do. Where the emulator answers with a code IBM does not document, the test says so: the engine keys on
 * IBM's documented BXNIM0407E only and passes any other code on with its advice.
 */
class ProfileTokensTest {

    private IamEmulator iam;
    private TestCluster cluster;
    private IamEmulator.Profile profile;

    @TempDir
    Path work;

    @BeforeEach
    void start() throws Exception {
        iam = IamEmulator.start();
        cluster = TestCluster.create();
        iam.trust(cluster);
        profile = iam.createProfile("ci-pusher", new Link(cluster.id(), "ci", "jenkins"));
    }

    @AfterEach
    void stop() {
        iam.close();
    }

    private ProfileTokens tokens(String profileRef, Path file) throws Exception {
        return tokens(profileRef, file, null, FrontEnd.JENKINS);
    }

    private ProfileTokens tokens(String profileRef, Path file, TokenCache cache, FrontEnd frontEnd) throws Exception {
        TrustedProfile trusted = new TrustedProfile(profileRef, new TrustedProfile.TokenFile(file.toString()),
                iam.baseUrl());
        ProfileTokens.Builder builder = ProfileTokens.builder(trusted)
                .allowed(IamEndpoints.allowing(List.of(iam.baseUrl())))
                .iam(IamClient.builder().retry(Retry.NONE)).frontEnd(frontEnd);
        if (cache != null) {
            builder.cache(cache);
        }
        return builder.build();
    }

    private Path tokenFile(String namespace, String serviceAccount) throws Exception {
        return Files.writeString(work.resolve("sa-token"),
                cluster.serviceAccountToken(namespace, serviceAccount, Duration.ofHours(1)));
    }

    @Test
    void aServiceAccountTokenBecomesAnIamTokenOfTheProfileThatTheRegistryAccepts() throws Exception {
        Path file = tokenFile("ci", "jenkins");

        AccessToken byId = tokens(profile.id(), file).token();
        AccessToken byName = tokens("ci-pusher", file).token();

        assertTrue(iam.acceptsAccessToken(byId.token()), "the registry's token service takes it as iambearer");
        assertTrue(iam.acceptsAccessToken(byName.token()));
        assertEquals("iam-" + profile.id(), byId.identity().iamId());
        assertEquals(Identity.Kind.OTHER, byId.identity().kind());
        assertFalse(byId.toString().contains(byId.token()));
    }

    @Test
    void theTokenFileIsReadAnewAtEveryCallSoARotatedTokenIsTheOneSent() throws Exception {
        Path file = tokenFile("ci", "jenkins");
        String first = Files.readString(file);
        TokenCache cache = new TokenCache();
        ProfileTokens tokens = tokens(profile.id(), file, cache, FrontEnd.JENKINS);

        AccessToken one = tokens.token();
        AccessToken again = tokens.token();
        int beforeRotation = iam.requestCount();
        String rotated = cluster.serviceAccountToken("ci", "jenkins", Duration.ofHours(1));
        Files.writeString(file, rotated); // what the kubelet does, well before the first one expires
        AccessToken renewed = tokens.after(one);

        assertEquals(one.token(), again.token(), "one compute resource token, one IAM call: the cache's");
        assertEquals(1, beforeRotation);
        assertTrue(iam.sawCrToken(first));
        assertTrue(iam.sawCrToken(rotated), "the renewal read the file again");
        assertEquals(2, iam.requestCount());
        assertTrue(iam.acceptsAccessToken(renewed.token()));
    }

    @Test
    void aWrongNamespaceServiceAccountOrClusterIsRefusedNamingTheProfileAndWhatTheTokenIsFor() throws Exception {
        TestCluster other = TestCluster.create();
        iam.trust(other);
        Map<String, String> cases = Map.of(
                "namespace", cluster.serviceAccountToken("other", "jenkins", Duration.ofHours(1)),
                "service account", cluster.serviceAccountToken("ci", "default", Duration.ofHours(1)),
                "cluster", other.serviceAccountToken("ci", "jenkins", Duration.ofHours(1)));
        for (Map.Entry<String, String> wrong : cases.entrySet()) {
            Path file = Files.writeString(work.resolve("sa-token"), wrong.getValue());

            IamException e = assertThrows(IamException.class, () -> tokens(profile.id(), file).token());

            assertEquals(IamException.Reason.PROFILE_NOT_TRUSTED, e.reason(), wrong.getKey());
            // LINK_MISMATCH is the emulator's assumed code: what matters is that IAM's words reach the user.
            assertTrue(e.getMessage().contains(IamEmulator.LINK_MISMATCH), e.getMessage());
            assertTrue(e.getMessage().contains("would not give the trusted profile " + profile.id()), e.getMessage());
            assertTrue(e.getMessage().contains("trusted-profile-link-create"), e.getMessage());
            assertFalse(e.getMessage().contains(wrong.getValue()), "the token itself is never shown");
        }
        Path file = Files.writeString(work.resolve("sa-token"),
                cluster.serviceAccountToken("other", "jenkins", Duration.ofHours(1)));
        IamException e = assertThrows(IamException.class, () -> tokens(profile.id(), file).token());
        assertTrue(e.getMessage().contains("service account jenkins in namespace other (issuer " + cluster.issuer()),
                "what the token is for, to compare with the link: " + e.getMessage());
    }

    @Test
    void anUnknownProfileIsRefusedWithIamsWordsAndTheAdvice() throws Exception {
        Path file = tokenFile("ci", "jenkins");

        IamException e = assertThrows(IamException.class, () -> tokens("no-such-profile", file).token());

        assertEquals(IamException.Reason.PROFILE_NOT_TRUSTED, e.reason());
        // UNKNOWN_PROFILE is the emulator's assumed code; IAM's own text tells the two refusals apart.
        assertTrue(e.getMessage().contains(IamEmulator.UNKNOWN_PROFILE + ": Trusted profile not found."), e.getMessage());
        assertTrue(e.getMessage().contains("ibmcloud iam trusted-profiles"), e.getMessage());
        assertTrue(e.getMessage().contains("IAM request id: "), e.getMessage());
    }

    @Test
    void noTokenFileShowsThePodTemplateThatMountsOne() throws Exception {
        Path missing = work.resolve("nothing-here");

        IamException step = assertThrows(IamException.class, () -> tokens(profile.id(), missing).token());
        IamException cli = assertThrows(IamException.class,
                () -> tokens(profile.id(), missing, null, FrontEnd.CLI).token());

        assertEquals(IamException.Reason.NO_TOKEN_FILE, step.reason());
        assertTrue(step.getMessage().startsWith("There is no service account token at " + missing), step.getMessage());
        for (String yaml : List.of("projected:", "- serviceAccountToken:", "audience: iam",
                "mountPath: /var/run/secrets/tokens", "path: sa-token")) {
            assertTrue(step.getMessage().contains(yaml), yaml + " in " + step.getMessage());
        }
        assertTrue(step.getMessage().contains("the credentials' token file"), step.getMessage());
        assertTrue(cli.getMessage().contains("--cr-token-file"), cli.getMessage());
        assertEquals(0, iam.requestCount(), "nothing was sent");
    }

    @Test
    void withNoFileNamedTheSdksTwoDefaultsAreTried() throws Exception {
        assumeFalse(TrustedProfile.DEFAULT_TOKEN_FILES.stream().anyMatch(f -> Files.exists(Path.of(f))),
                "this machine is a pod with a projected token");
        TrustedProfile trusted = new TrustedProfile(profile.id(), TrustedProfile.TokenFile.defaults(), iam.baseUrl());
        ProfileTokens tokens = ProfileTokens.builder(trusted).allowed(IamEndpoints.allowing(List.of(iam.baseUrl())))
                .build();

        IamException e = assertThrows(IamException.class, tokens::token);

        assertTrue(e.getMessage().startsWith("There is no service account token at "
                + "/var/run/secrets/tokens/vault-token or /var/run/secrets/tokens/sa-token,"), e.getMessage());
    }

    @Test
    void anUnreadableFileOrOneWithNoTokenSaysSo() throws Exception {
        Path folder = Files.createDirectories(work.resolve("a-folder")); // root reads any file: a folder it cannot
        Path hello = Files.writeString(work.resolve("hello"), "hello\n");

        IamException unreadable = assertThrows(IamException.class, () -> tokens(profile.id(), folder).token());
        IamException notAToken = assertThrows(IamException.class, () -> tokens(profile.id(), hello).token());

        assertEquals(IamException.Reason.UNREADABLE_TOKEN, unreadable.reason());
        assertTrue(unreadable.getMessage().startsWith("Could not read the service account token at " + folder),
                unreadable.getMessage());
        assertEquals(IamException.Reason.UNREADABLE_TOKEN, notAToken.reason());
        assertTrue(notAToken.getMessage().startsWith(hello + " holds no service account token"), notAToken.getMessage());
        assertEquals(0, iam.requestCount());
    }

    @Test
    void anExpiredTokenIsRefusedHereWithTheFixAndNeverSent() throws Exception {
        Instant expired = Instant.now().minusSeconds(5);
        Path file = Files.writeString(work.resolve("sa-token"), cluster.serviceAccountToken("ci", "jenkins",
                TestCluster.IAM_AUDIENCE, expired));

        IamException e = assertThrows(IamException.class, () -> tokens(profile.id(), file).token());

        assertEquals(IamException.Reason.EXPIRED_TOKEN, e.reason());
        assertTrue(e.getMessage().contains("expired at " + Instant.ofEpochSecond(expired.getEpochSecond())), e.getMessage());
        assertTrue(e.getMessage().contains("projected serviceAccountToken volume"), e.getMessage());
        assertEquals(0, iam.requestCount(), "an expired token is not sent");
    }

    @Test
    void aTokenIamDoesNotAcceptIsRefusedWithBxnim0407eAndTheAudienceAdvice() throws Exception {
        var stranger = KeyPairGenerator.getInstance("RSA");
        stranger.initialize(2048);
        Map<String, String> cases = Map.of(
                "signed by another key", cluster.serviceAccountToken("ci", "jenkins", TestCluster.IAM_AUDIENCE,
                        Instant.now().plusSeconds(600), stranger.generateKeyPair().getPrivate()),
                "another audience", cluster.serviceAccountToken("ci", "jenkins", "https://kubernetes.default.svc",
                        Instant.now().plusSeconds(600)),
                "a cluster IAM does not trust", TestCluster.create().serviceAccountToken("ci", "jenkins",
                        Duration.ofHours(1)));
        for (Map.Entry<String, String> bad : cases.entrySet()) {
            Path file = Files.writeString(work.resolve("sa-token"), bad.getValue());

            IamException e = assertThrows(IamException.class, () -> tokens(profile.id(), file).token());

            assertEquals(IamException.Reason.TOKEN_REFUSED, e.reason(), bad.getKey());
            assertTrue(e.getMessage().contains("refused the service account token at " + file), e.getMessage());
            assertTrue(e.getMessage().contains("BXNIM0407E"), e.getMessage());
            assertTrue(e.getMessage().contains("audience: iam"), e.getMessage());
        }
    }

    @Test
    void anEndpointThatIsNotAllowedGetsNothingAndTheFileIsNotEvenRead() throws Exception {
        Path file = tokenFile("ci", "jenkins");
        TrustedProfile trusted = new TrustedProfile(profile.id(), new TrustedProfile.TokenFile(file.toString()),
                iam.baseUrl());

        IamException e = assertThrows(IamException.class,
                () -> ProfileTokens.builder(trusted).allowed(IamEndpoints.ibm()).build());

        assertEquals(IamException.Reason.ENDPOINT_NOT_ALLOWED, e.reason());
        assertTrue(e.getMessage().contains(iam.baseUrl()) && e.getMessage().contains("the credentials' IAM endpoint"),
                e.getMessage());
        assertEquals(0, iam.requestCount());
    }

    @Test
    void aServiceAccountTokenThatIamEchoesIsNotRepeated() throws Exception {
        Path file = tokenFile("ci", "jenkins");
        String token = Files.readString(file);
        iam.enqueue(new Fault.Canned(400, "{\"errorCode\":\"BXNIM0407E\",\"errorMessage\":\"Bad token " + token
                + "\"}", Map.of()));

        IamException e = assertThrows(IamException.class, () -> tokens(profile.id(), file).token());

        assertFalse(e.getMessage().contains(token), e.getMessage());
        assertTrue(e.getMessage().contains("Bad token ****"), e.getMessage());
    }

    @Test
    void aVpcInstanceGetsTheTokenOfALinkedProfileByIdOrCrnFromItsMetadataService() throws Exception {
        try (VpcMetadataEmulator vpc = VpcMetadataEmulator.start(iam)) {
            vpc.link(profile);
            for (String ref : List.of(profile.id(), profile.crn())) {
                TrustedProfile trusted = new TrustedProfile(ref, new TrustedProfile.VpcMetadata(vpc.baseUrl()), null);

                AccessToken token = ProfileTokens.builder(trusted).build().token();

                assertTrue(iam.acceptsAccessToken(token.token()), ref);
            }
            assertEquals(2, vpc.iamTokenCount());
            assertEquals(0, iam.requestCount(), "the instance flow never calls IAM's token endpoint itself");
        }
    }

    @Test
    void aVpcProfileThatIsNotLinkedANameAndAServiceThatDoesNotAnswerSaySo() throws Exception {
        try (VpcMetadataEmulator vpc = VpcMetadataEmulator.start(iam)) {
            TrustedProfile unlinked = new TrustedProfile(profile.id(), new TrustedProfile.VpcMetadata(vpc.baseUrl()),
                    null);
            IamException refused = assertThrows(IamException.class, () -> ProfileTokens.builder(unlinked).build().token());
            assertEquals(IamException.Reason.METADATA_FAILED, refused.reason());
            // NOT_LINKED is the emulator's assumed code, in the VPC API's {"errors":[{code,message}]} shape.
            assertTrue(refused.getMessage().contains("answered HTTP 400 (" + VpcMetadataEmulator.NOT_LINKED),
                    refused.getMessage());
            assertTrue(refused.getMessage().contains("--cr-type VSI"), refused.getMessage());

            TrustedProfile byName = new TrustedProfile("ci-pusher", new TrustedProfile.VpcMetadata(vpc.baseUrl()), null);
            IllegalArgumentException name = assertThrows(IllegalArgumentException.class,
                    () -> ProfileTokens.builder(byName).frontEnd(FrontEnd.CLI).build());
            assertTrue(name.getMessage().contains("not a name such as 'ci-pusher'")
                    && name.getMessage().contains("--trusted-profile"), name.getMessage());
        }
        int closed;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = socket.getLocalPort();
        }
        TrustedProfile silent = new TrustedProfile(profile.id(),
                new TrustedProfile.VpcMetadata("http://127.0.0.1:" + closed), null);
        IamException e = assertThrows(IamException.class,
                () -> ProfileTokens.builder(silent).frontEnd(FrontEnd.CLI).build().token());
        assertEquals(IamException.Reason.METADATA_FAILED, e.reason());
        assertTrue(e.getMessage().startsWith("The VPC instance metadata service at http://127.0.0.1:" + closed
                + "/ did not answer"), e.getMessage());
        assertTrue(e.getMessage().contains("--vpc-metadata works only on a VPC virtual server instance"), e.getMessage());

        TrustedProfile elsewhere = new TrustedProfile(profile.id(),
                new TrustedProfile.VpcMetadata("http://metadata.example.com"), null);
        IllegalArgumentException foreign = assertThrows(IllegalArgumentException.class,
                () -> ProfileTokens.builder(elsewhere).build());
        assertTrue(foreign.getMessage().startsWith("'http://metadata.example.com' is not the VPC instance metadata"),
                foreign.getMessage());
    }

    /** What a Jenkins adapter sends to an agent, and what comes back: no secret one way, the token the other. */
    @Test
    void theProfileAndItsTokenCrossAProcessBoundaryWhole() throws Exception {
        TrustedProfile trusted = new TrustedProfile(profile.id(), new TrustedProfile.TokenFile(
                tokenFile("ci", "jenkins").toString()), iam.baseUrl());
        AccessToken token = tokens(profile.id(), Path.of(((TrustedProfile.TokenFile) trusted.source()).path())).token();

        TrustedProfile profileBack = roundTrip(trusted);
        AccessToken tokenBack = roundTrip(token);

        assertEquals(trusted, profileBack);
        assertEquals(token.token(), tokenBack.token());
        assertEquals(token.expiresAt(), tokenBack.expiresAt());
        assertEquals(token.renewAt(), tokenBack.renewAt());
        assertEquals(new TrustedProfile.VpcMetadata(null), roundTrip(new TrustedProfile.VpcMetadata(null)));
    }

    @SuppressWarnings("unchecked")
    private static <T> T roundTrip(T value) throws Exception {
        var bytes = new java.io.ByteArrayOutputStream();
        try (var out = new java.io.ObjectOutputStream(bytes)) {
            out.writeObject(value);
        }
        try (var in = new java.io.ObjectInputStream(new java.io.ByteArrayInputStream(bytes.toByteArray()))) {
            return (T) in.readObject();
        }
    }

    @Test
    void aProfileMustBeNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TrustedProfile.of(" ", TrustedProfile.TokenFile.defaults(), null, FrontEnd.CLI));
        assertTrue(e.getMessage().contains("--trusted-profile takes the profile's ID"), e.getMessage());
        assertEquals(IamClient.PUBLIC_ENDPOINT, new TrustedProfile("p", null, null).iamEndpoint());
        assertEquals(TrustedProfile.TokenFile.defaults(), new TrustedProfile("p", null, null).source());
    }
}
