package io.jenkins.plugins.icr.region;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The registry a session logs in to: its host as clients name it ({@code us.icr.io}, or {@code host:port} for a
 * custom registry), the region it belongs to, and what the user should hear about how it was named.
 */
public record Registry(String host, Optional<Region> region, Endpoint endpoint, List<String> warnings) {

    public Registry {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(region, "region");
        Objects.requireNonNull(endpoint, "endpoint");
        warnings = List.copyOf(warnings);
    }

    public static Registry of(Region region, Endpoint endpoint, List<String> warnings) {
        return new Registry(region.host(endpoint), Optional.of(region), endpoint, warnings);
    }

    /** A registry that is not one of ICR's known hosts: a new region, or a test registry. */
    public static Registry custom(String host) {
        return new Registry(host, Optional.empty(), Endpoint.PUBLIC, List.of());
    }

    @Override
    public String toString() {
        return region.map(r -> host + " (" + r.id() + ")").orElse(host);
    }
}
