package io.jenkins.plugins.icr.jenkins.step;

import com.cloudbees.plugins.credentials.CredentialsProvider;
import com.cloudbees.plugins.credentials.CredentialsScope;
import com.cloudbees.plugins.credentials.domains.Domain;
import hudson.FilePath;
import hudson.slaves.WorkspaceList;
import hudson.util.Secret;
import io.jenkins.plugins.icr.jenkins.credentials.IbmCloudApiKeyCredentials;
import io.jenkins.plugins.icr.jenkins.credentials.IcrGlobalConfiguration;
import io.jenkins.plugins.icr.testbed.IcrTestbed;
import io.jenkins.plugins.icr.testbed.Installed;
import io.jenkins.plugins.icr.testbed.TestbedExtension;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import jenkins.model.Jenkins;
import org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.jvnet.hudson.test.JenkinsRule;

/**
 * What the withIcrLogin tests share: the ICR testbed, with custom hosts allowed so that a block may name it, for the
 * tests of a class ({@code @RegisterExtension static final BlockFixtures FIXTURES = new BlockFixtures();}); and
 * credentials, pipelines against it, and looking for leftovers.
 */
public final class BlockFixtures implements BeforeAllCallback, AfterAllCallback {

    private final TestbedExtension testbed = new TestbedExtension();

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        testbed.beforeAll(context);
        System.setProperty(IcrLoginSettings.ALLOW_CUSTOM_HOSTS, "true");
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        System.clearProperty(IcrLoginSettings.ALLOW_CUSTOM_HOSTS);
        testbed.afterAll(context);
    }

    public IcrTestbed testbed() {
        return testbed.get();
    }

    public static void store(String id, String key) throws Exception {
        CredentialsProvider.lookupStores(Jenkins.get()).iterator().next().addCredentials(Domain.global(),
                new IbmCloudApiKeyCredentials(CredentialsScope.GLOBAL, id, null, Secret.fromString(key)));
    }

    /** A key whose IAM is the testbed's emulator, for bearer mode; the emulator is allowed as an administrator would. */
    public void storeWithIam(String id, String key) throws Exception {
        IcrGlobalConfiguration.get().setAllowedIamEndpoints(testbed().iam().baseUrl());
        IbmCloudApiKeyCredentials credentials = new IbmCloudApiKeyCredentials(CredentialsScope.GLOBAL, id, null,
                Secret.fromString(key));
        credentials.setIamEndpoint(testbed().iam().baseUrl());
        CredentialsProvider.lookupStores(Jenkins.get()).iterator().next().addCredentials(Domain.global(), credentials);
    }

    public String options(String credentialsId) throws Exception {
        return "credentialsId: '" + credentialsId + "', region: '" + testbed().host() + "', caCertificate: '''"
                + testbed().pki().caPem() + "'''";
    }

    /** A folder holding the testbed's CA as {@code ca.crt}, for a client's {@code --cert-dir}. */
    String certDir() throws Exception {
        java.nio.file.Path dir = testbed().newFolder("certs");
        Files.writeString(dir.resolve("ca.crt"), testbed().pki().caPem());
        return dir.toString();
    }

    public static WorkflowJob pipeline(JenkinsRule j, String script) throws Exception {
        WorkflowJob p = j.jenkins.getItemByFullName("p", WorkflowJob.class);
        if (p == null) {
            p = j.createProject(WorkflowJob.class, "p");
        }
        p.setDefinition(new CpsFlowDefinition(script, true));
        return p;
    }

    /** A shell command pushing the test image through the session's login only (REGISTRY_AUTH_FILE). */
    String push(String name) throws Exception {
        Installed.require("skopeo", "skopeo");
        return "skopeo copy --dest-tls-verify=false " + image() + " docker://$ICR_REGISTRY/ns/" + name + ":1";
    }

    public String image() throws Exception {
        return io.jenkins.plugins.icr.testbed.TestImage.create(testbed().newFolder("image"), "pushed from Jenkins");
    }

    static String basic(String key) {
        return Base64.getEncoder().encodeToString(("iamapikey:" + key).getBytes(StandardCharsets.UTF_8));
    }

    /** The build's page as a user reads it. */
    static String buildPage(JenkinsRule j, hudson.model.Run<?, ?> b) throws Exception {
        try (JenkinsRule.WebClient wc = j.createWebClient()) {
            return wc.getPage(b).asNormalizedText();
        }
    }

    /** The icr-* folders beside the build's workspace. */
    static List<String> sessionFolders(JenkinsRule j, WorkflowRun b) throws Exception {
        FilePath tmp = WorkspaceList.tempDir(j.jenkins.getWorkspaceFor(b.getParent()));
        if (tmp == null || !tmp.exists()) {
            return List.of();
        }
        return tmp.list().stream().map(FilePath::getName).filter(n -> n.startsWith("icr-")).toList();
    }

    /**
     * Files under {@code dir} that contain the text, as credentials-binding's tests look for leaks. A running Jenkins
     * writes its files through temporary ones that it renames: a file or folder gone while it is read held nothing
     * that is left behind, and is skipped.
     */
    public static Set<String> grep(File dir, String text) throws Exception {
        Set<String> hits = new TreeSet<>();
        java.nio.file.Path root = dir.toPath();
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(java.nio.file.Path f, BasicFileAttributes attributes) throws IOException {
                try {
                    if (attributes.isRegularFile()
                            && new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1).contains(text)) {
                        hits.add(root.relativize(f).toString());
                    }
                } catch (NoSuchFileException gone) {
                    // renamed or deleted meanwhile
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(java.nio.file.Path f, IOException e) throws IOException {
                if (e instanceof NoSuchFileException) {
                    return FileVisitResult.CONTINUE;
                }
                throw e;
            }
        });
        return hits;
    }
}
