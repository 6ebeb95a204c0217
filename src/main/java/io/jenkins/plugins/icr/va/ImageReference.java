package io.jenkins.plugins.icr.va;

import io.jenkins.plugins.icr.FrontEnd;
import io.jenkins.plugins.icr.Text;
import io.jenkins.plugins.icr.region.Endpoint;
import io.jenkins.plugins.icr.region.Registry;
import io.jenkins.plugins.icr.region.RegionResolver;
import io.jenkins.plugins.icr.region.UnknownRegionException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * An image in IBM Cloud Container Registry as a pipeline names it: {@code us.icr.io/namespace/repository} with a
 * {@code :tag}, an {@code @sha256:...} digest, or both (the digest wins, as it does for docker). The host goes
 * through the {@link RegionResolver}, so that an image elsewhere is refused before any token is sent for it.
 *
 * @param repository the path in the registry, {@code namespace/repository}
 * @param warnings what the user should hear about how the image was named
 */
public record ImageReference(Registry registry, String repository, Optional<String> tag, Optional<String> digest,
        List<String> warnings) {

    private static final String COMPONENT = "[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*";
    private static final Pattern PATH = Pattern.compile(COMPONENT + "(?:/" + COMPONENT + ")+");
    private static final Pattern TAG = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}");
    private static final Pattern DIGEST = Pattern.compile("[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-fA-F0-9]{32,}");

    public ImageReference {
        Objects.requireNonNull(registry, "registry");
        Objects.requireNonNull(repository, "repository");
        if (tag.isEmpty() && digest.isEmpty()) {
            throw new IllegalArgumentException("a tag or a digest");
        }
        warnings = List.copyOf(warnings);
    }

    /**
     * Reads an image name; {@code region} is needed only when the name has no host, and must agree with it when
     * it has one.
     *
     * @throws IllegalArgumentException saying what is wrong with the name, in words a pipeline author can act on
     */
    public static ImageReference parse(String image, String region, RegionResolver resolver) {
        return parse(FrontEnd.JENKINS, Endpoint.PUBLIC, image, region, resolver);
    }

    /**
     * The same, for a front end that has its own words for the options, and may ask for the registry's private
     * endpoint ({@code private.us.icr.io}, where VA answers too) for an image named by its public host.
     */
    public static ImageReference parse(FrontEnd frontEnd, Endpoint endpoint, String image, String region,
            RegionResolver resolver) {
        String name = image == null ? "" : image.strip();
        int at = name.lastIndexOf('@');
        Optional<String> digest = at < 0 ? Optional.empty() : Optional.of(name.substring(at + 1));
        String rest = at < 0 ? name : name.substring(0, at);
        int slash = rest.indexOf('/');
        String first = slash < 0 ? "" : rest.substring(0, slash);
        boolean hasHost = first.contains(".") || first.contains(":") || first.equals("localhost");
        String path = hasHost ? rest.substring(slash + 1) : rest;
        int colon = path.lastIndexOf(':');
        Optional<String> tag = colon < 0 ? Optional.empty() : Optional.of(path.substring(colon + 1));
        path = colon < 0 ? path : path.substring(0, colon);
        if (name.isEmpty() || !tag.map(t -> TAG.matcher(t).matches()).orElse(true)
                || !digest.map(d -> DIGEST.matcher(d).matches()).orElse(true)
                || !PATH.matcher(path).matches() && !Pattern.matches(COMPONENT, path)) {
            throw new IllegalArgumentException(Text.get("va.image.invalid", name));
        }
        if (!PATH.matcher(path).matches()) {
            throw new IllegalArgumentException(Text.get("va.image.noNamespace", name));
        }
        Registry registry = registry(frontEnd, endpoint, name, hasHost ? first : null, region, resolver);
        List<String> warnings = new ArrayList<>(registry.warnings());
        if (tag.isEmpty() && digest.isEmpty()) {
            tag = Optional.of("latest");
            warnings.add(Text.get("va.image.latest", name));
        }
        return new ImageReference(registry, path, tag, digest, warnings);
    }

    private static Registry registry(FrontEnd frontEnd, Endpoint endpoint, String image, String host, String region,
            RegionResolver resolver) {
        boolean regionGiven = region != null && !region.isBlank();
        if (host == null && !regionGiven) {
            throw new IllegalArgumentException(Text.get(frontEnd, "va.image.noHost", image));
        }
        Registry named;
        try {
            named = resolver.resolve(host != null ? host : region, endpoint, frontEnd);
        } catch (UnknownRegionException e) {
            throw new IllegalArgumentException(Text.get("va.image.notIcr", image, e.getMessage()), e);
        }
        if (host != null && regionGiven) {
            Registry chosen = resolver.resolve(region, named.endpoint(), frontEnd);
            if (!chosen.host().equals(named.host())) {
                throw new IllegalArgumentException(Text.get(frontEnd, "va.image.regionMismatch", image, named.host(),
                        region.strip(), chosen.host()));
            }
        }
        return named;
    }

    public String host() {
        return registry.host();
    }

    /** What the registry's manifest URL takes: the digest if there is one, else the tag. */
    public String reference() {
        return digest.or(() -> tag).orElseThrow();
    }

    /** The image's full name, as Vulnerability Advisor takes it: {@code host/namespace/repository@digest}. */
    public String name() {
        return host() + "/" + repository + digest.map(d -> "@" + d).orElseGet(() -> ":" + tag.orElseThrow());
    }

    @Override
    public String toString() {
        return name();
    }
}
