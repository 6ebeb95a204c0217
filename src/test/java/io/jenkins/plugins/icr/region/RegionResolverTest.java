package io.jenkins.plugins.icr.region;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

class RegionResolverTest {

    private final RegionResolver resolver = RegionResolver.standard();

    @ParameterizedTest
    @EnumSource(Region.class)
    void everyRegionResolvesFromEveryFormAUserTypes(Region region) {
        String host = region.host(Endpoint.PUBLIC);
        List<String> forms = new java.util.ArrayList<>(List.of(region.id(), region.id().toUpperCase(),
                "  " + region.id() + " ", host, "https://" + host, "https://" + host + "/", "HTTPS://" + host.toUpperCase()
                        + "/namespace/app:1", host + ":443", host + "."));
        region.formerName().ifPresent(forms::add);
        if (!region.shortName().isEmpty()) {
            forms.add(region.shortName());
        }
        for (String form : forms) {
            Registry registry = resolver.resolve(form, Endpoint.PUBLIC);
            assertEquals(host, registry.host(), form);
            assertEquals(Optional.of(region), registry.region(), form);
            assertEquals(List.of(), registry.warnings(), form);
        }
    }

    @ParameterizedTest
    @EnumSource(Region.class)
    void privateEndpointsByOptionOrByHost(Region region) {
        String privateHost = "private." + region.host(Endpoint.PUBLIC);
        assertEquals(privateHost, resolver.resolve(region.id(), Endpoint.PRIVATE).host());
        Registry direct = resolver.resolve("https://" + privateHost, Endpoint.PUBLIC);
        assertEquals(privateHost, direct.host());
        assertEquals(Endpoint.PRIVATE, direct.endpoint());
    }

    @Test
    void thirteenRegionsAsIbmDocumentsThem() {
        assertEquals(13, Region.values().length);
        assertEquals("ca2.icr.io", resolver.resolve("ca-mon", Endpoint.PUBLIC).host());
        assertEquals("in2.icr.io", resolver.resolve("in-mum", Endpoint.PUBLIC).host());
        assertEquals("uk.icr.io", resolver.resolve("uk-south", Endpoint.PUBLIC).host());
        assertEquals("jp.icr.io", resolver.resolve("ap-north", Endpoint.PUBLIC).host());
        assertEquals("icr.io", resolver.resolve("global", Endpoint.PUBLIC).host());
    }

    @ParameterizedTest
    @CsvSource({
        "registry.ng.bluemix.net, us.icr.io",
        "registry.bluemix.net, icr.io",
        "https://registry.eu-gb.bluemix.net/, uk.icr.io",
        "REGISTRY.EU-DE.BLUEMIX.NET, de.icr.io",
        "registry.au-syd.bluemix.net, au.icr.io"
    })
    void deprecatedDomainsMapToTodaysHostWithAWarning(String input, String host) {
        Registry registry = resolver.resolve(input, Endpoint.PUBLIC);
        assertEquals(host, registry.host());
        assertEquals(1, registry.warnings().size());
        assertTrue(registry.warnings().get(0).contains("deprecated") && registry.warnings().get(0).contains(host),
                registry.warnings().get(0));
    }

    @Test
    void aTypoNamesTheClosestRegionAndListsThemAll() {
        var e = assertThrows(UnknownRegionException.class, () -> resolver.resolve("us-sout", Endpoint.PUBLIC));
        assertTrue(e.getMessage().startsWith("'us-sout' is not an IBM Cloud Container Registry region."),
                e.getMessage());
        assertTrue(e.getMessage().contains("Did you mean 'us-south'?"), e.getMessage());
        for (Region r : Region.values()) {
            assertTrue(e.getMessage().contains(r.id()), r.id());
        }
        var host = assertThrows(UnknownRegionException.class, () -> resolver.resolve("us.icr.oi", Endpoint.PUBLIC));
        assertTrue(host.getMessage().contains("Did you mean 'us.icr.io'?"), host.getMessage());
    }

    @Test
    void nothingCloseMeansNoGuess() {
        var e = assertThrows(UnknownRegionException.class, () -> resolver.resolve("mars-north-7", Endpoint.PUBLIC));
        assertTrue(!e.getMessage().contains("Did you mean"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   "})
    void aMissingRegionListsTheValidOnes(String input) {
        var e = assertThrows(UnknownRegionException.class, () -> resolver.resolve(input, Endpoint.PUBLIC));
        assertTrue(e.getMessage().startsWith("No region was given: set region to one of") && e.getMessage().contains("us-south"),
                e.getMessage());
        assertThrows(UnknownRegionException.class, () -> resolver.resolve(null, Endpoint.PUBLIC));
    }

    @Test
    void customHostsOnlyWhenAskedFor() {
        assertThrows(UnknownRegionException.class, () -> resolver.resolve("127.0.0.1:5000", Endpoint.PUBLIC));
        assertThrows(UnknownRegionException.class, () -> resolver.resolve("fr2.icr.io", Endpoint.PUBLIC));
        RegionResolver custom = RegionResolver.allowingCustomHosts();
        assertEquals(Registry.custom("127.0.0.1:5000"), custom.resolve("https://127.0.0.1:5000/v2/", Endpoint.PUBLIC));
        assertEquals("fr2.icr.io", custom.resolve("fr2.icr.io", Endpoint.PUBLIC).host());
        assertEquals("us.icr.io", custom.resolve("us-south", Endpoint.PUBLIC).host(), "known names still win");
        assertThrows(UnknownRegionException.class, () -> custom.resolve("us-sout", Endpoint.PUBLIC),
                "a bare word is a typo even when custom hosts are allowed");
    }
}
