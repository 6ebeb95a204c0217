package io.jenkins.plugins.icr.jenkins.step;

import static io.jenkins.plugins.icr.jenkins.step.BlockFixtures.grep;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cloudbees.plugins.credentials.CredentialsProvider;
import com.cloudbees.plugins.credentials.CredentialsScope;
import com.cloudbees.plugins.credentials.domains.Domain;
import hudson.FilePath;
import hudson.model.Run;
import hudson.model.TopLevelItem;
import hudson.slaves.DumbSlave;
import hudson.slaves.WorkspaceList;
import io.jenkins.plugins.icr.jenkins.credentials.IbmCloudTrustedProfileCredentials;
import io.jenkins.plugins.icr.jenkins.credentials.IcrGlobalConfiguration;
import io.jenkins.plugins.icr.testbed.ArgvSampler;
import io.jenkins.plugins.icr.testbed.IamEmulator;
import io.jenkins.plugins.icr.testbed.TestCluster;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BooleanSupplier;
import jenkins.model.Jenkins;
import org.jvnet.hudson.test.JenkinsRule;

/**
 * A pod as the trusted profile tests need it: a cluster IAM trusts, a profile linked to its namespace {@code ci} and
 * service account {@code jenkins}, the projected token's file the test writes as the kubelet would, credentials
 * naming them, and the look for tokens left anywhere.
 */
final class ProfileFixtures {

    private final BlockFixtures fixtures;
    private final TestCluster cluster;
    private final IamEmulator.Profile profile;
    private final Path pod;
    private final Path tokenFile;

    ProfileFixtures(BlockFixtures fixtures, Path pod) throws Exception {
        this.fixtures = fixtures;
        this.cluster = TestCluster.create();
        fixtures.testbed().iam().trust(cluster);
        this.profile = fixtures.testbed().iam().createProfile("ci-pusher",
                new IamEmulator.Link(cluster.id(), "ci", "jenkins"));
        this.pod = pod;
        this.tokenFile = pod.resolve("sa-token");
    }

    IamEmulator.Profile profile() {
        return profile;
    }

    Path tokenFile() {
        return tokenFile;
    }

    /** What the kubelet does: a new projected token for the service account jenkins in {@code namespace}. */
    String rotate(String namespace) throws Exception {
        String token = serviceAccountToken(namespace);
        Path next = Files.writeString(pod.resolve("sa-token.next"), token);
        // As the kubelet swaps its ..data link: a reader sees the old token or the new one, never half of either.
        Files.move(next, tokenFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return token;
    }

    /** A projected token for the service account jenkins in {@code namespace}, for the test to put where it likes. */
    String serviceAccountToken(String namespace) throws Exception {
        return cluster.serviceAccountToken(namespace, "jenkins", Duration.ofMinutes(10));
    }

    /** Trusted profile credentials {@code tp} reading {@code file}, with the testbed's IAM allowed for them. */
    void store(Path file) throws Exception {
        IcrGlobalConfiguration.get().setAllowedIamEndpoints(fixtures.testbed().iam().baseUrl());
        var credentials = new IbmCloudTrustedProfileCredentials(CredentialsScope.GLOBAL, "tp", null, profile.id());
        credentials.setTokenFile(file.toString());
        credentials.setIamEndpoint(fixtures.testbed().iam().baseUrl());
        add(credentials);
    }

    /** Trusted profile credentials {@code tp} asking the VPC instance metadata service at {@code url}. */
    void storeVpc(String url) throws Exception {
        var credentials = new IbmCloudTrustedProfileCredentials(CredentialsScope.GLOBAL, "tp", null, profile.id());
        credentials.setVpcMetadata(true);
        credentials.setVpcMetadataUrl(url);
        add(credentials);
    }

    private static void add(IbmCloudTrustedProfileCredentials credentials) throws Exception {
        CredentialsProvider.lookupStores(Jenkins.get()).iterator().next().addCredentials(Domain.global(), credentials);
    }

    /**
     * Samples every process's argv and environment for the service account tokens and every IAM token the testbed
     * issued so far, as they are made: {@code saTokens} may grow while it samples.
     */
    ArgvSampler sampler(Collection<String> saTokens) {
        return ArgvSampler.watch(() -> {
            List<String> all = new ArrayList<>(saTokens);
            all.addAll(fixtures.testbed().iam().issuedAccessTokens());
            return all;
        });
    }

    /** Polls a condition the test is waiting for, rather than sleeping for a time it hopes is enough. */
    static void await(String what, BooleanSupplier condition) throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        while (!condition.getAsBoolean()) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("waited a minute for " + what);
            }
            Thread.sleep(50);
        }
    }

    /**
     * Neither the service account tokens nor any IAM token the testbed issued (nor its {@code iambearer} auth value)
     * in the console, the build's folder, the controller's home, or anywhere under the agent's root; and the session
     * folder gone from {@code @tmp}.
     */
    void assertNoTokenLeft(JenkinsRule j, Run<?, ?> b, DumbSlave agent, String... saTokens) throws Exception {
        List<String> secrets = new ArrayList<>(List.of(saTokens));
        for (String token : fixtures.testbed().iam().issuedAccessTokens()) {
            secrets.add(token);
            secrets.add(Base64.getEncoder().encodeToString(("iambearer:" + token).getBytes(StandardCharsets.UTF_8)));
        }
        String console = JenkinsRule.getLog(b);
        Set<String> hits = new TreeSet<>();
        for (String secret : secrets) {
            if (console.contains(secret)) {
                hits.add("console");
            }
            grep(b.getRootDir(), secret).forEach(f -> hits.add("build folder: " + f));
            grep(j.jenkins.getRootDir(), secret).forEach(f -> hits.add("JENKINS_HOME: " + f));
            grep(new File(agent.getRemoteFS()), secret).forEach(f -> hits.add("agent: " + f));
        }
        assertEquals(Set.of(), hits);
        FilePath tmp = WorkspaceList.tempDir(agent.getWorkspaceFor((TopLevelItem) b.getParent()));
        assertTrue(tmp == null || !tmp.exists() || tmp.list().stream().noneMatch(f -> f.getName().startsWith("icr-")),
                "the session folder is gone from @tmp");
    }
}
