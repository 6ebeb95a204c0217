package io.jenkins.plugins.icr.va;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.icr.region.RegionResolver;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Image names as pipelines write them, and the ones the gate must refuse before it sends any token. */
class ImageReferenceTest {

    private static final String DIGEST = "sha256:" + "ab".repeat(32);
    private static final RegionResolver ICR = RegionResolver.standard();

    private static ImageReference parse(String image, String region) {
        return ImageReference.parse(image, region, ICR);
    }

    @Test
    void aDigestIsWhatIsCheckedEvenWithATag() {
        ImageReference byDigest = parse("us.icr.io/ns/app@" + DIGEST, null);
        assertEquals("us.icr.io", byDigest.host());
        assertEquals("ns/app", byDigest.repository());
        assertEquals(DIGEST, byDigest.reference());
        assertEquals("us.icr.io/ns/app@" + DIGEST, byDigest.name());
        ImageReference both = parse("de.icr.io/ns/team/app:1.2@" + DIGEST, null);
        assertEquals(Optional.of("1.2"), both.tag());
        assertEquals("de.icr.io/ns/team/app@" + DIGEST, both.name());
        assertEquals(List.of(), both.warnings());
    }

    @Test
    void aTagIsCheckedAsTaggedAndNoTagMeansLatestWithAWarning() {
        assertEquals("us.icr.io/ns/app:1", parse(" us.icr.io/ns/app:1 ", null).name());
        ImageReference latest = parse("us.icr.io/ns/app", null);
        assertEquals("us.icr.io/ns/app:latest", latest.name());
        assertTrue(latest.warnings().get(0).contains("Gate on the digest you pushed"), latest.warnings().get(0));
    }

    @Test
    void theRegionGivesTheHostWhenTheNameHasNoneAndMustAgreeWhenItHasOne() {
        assertEquals("jp.icr.io/ns/app:1", parse("ns/app:1", "jp-tok").name());
        assertEquals("us.icr.io/ns/app:1", parse("us.icr.io/ns/app:1", "us-south").name());
        assertEquals("private.us.icr.io/ns/app:1", parse("private.us.icr.io/ns/app:1", "us-south").name());
        IllegalArgumentException mismatch = assertThrows(IllegalArgumentException.class,
                () -> parse("us.icr.io/ns/app:1", "eu-de"));
        assertTrue(mismatch.getMessage().contains("is in us.icr.io, but region 'eu-de' is de.icr.io"),
                mismatch.getMessage());
        IllegalArgumentException none = assertThrows(IllegalArgumentException.class, () -> parse("ns/app:1", null));
        assertTrue(none.getMessage().contains("names no registry host"), none.getMessage());
    }

    @Test
    void aDeprecatedDomainIsCheckedAtItsNewHostWithItsWarning() {
        ImageReference old = parse("registry.ng.bluemix.net/ns/app:1", null);
        assertEquals("us.icr.io/ns/app:1", old.name());
        assertTrue(old.warnings().get(0).contains("deprecated domain"), old.warnings().get(0));
    }

    @Test
    void anImageElsewhereIsRefusedUnlessCustomHostsAreAllowed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> parse("docker.io/library/nginx:1", null));
        assertTrue(e.getMessage().startsWith("The image 'docker.io/library/nginx:1' is not in IBM Cloud Container"
                + " Registry: 'docker.io' is not an IBM Cloud Container Registry region."), e.getMessage());
        assertEquals("127.0.0.1:5000/ns/app:1",
                ImageReference.parse("127.0.0.1:5000/ns/app:1", null, RegionResolver.allowingCustomHosts()).name());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "us.icr.io/ns/App:1", "us.icr.io/ns/app:-bad", "us.icr.io/ns/app@sha256:xyz",
        "us.icr.io/ns//app:1", "us.icr.io/ns/app:1 2"})
    void aNameThatIsNoImageNameSaysHowOneLooks(String image) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> parse(image, "us-south"));
        assertTrue(e.getMessage().contains("is not an image name. Give HOST/NAMESPACE/REPOSITORY"), e.getMessage());
    }

    @Test
    void aRepositoryWithoutNamespaceIsNotAnIcrImage() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> parse("us.icr.io/app:1", null));
        assertTrue(e.getMessage().contains("names no namespace"), e.getMessage());
    }
}
