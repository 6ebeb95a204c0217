package io.jenkins.plugins.icr.region;

import io.jenkins.plugins.icr.FrontEnd;
import io.jenkins.plugins.icr.Text;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Turns what a user typed for a region into the registry host to log in to. It accepts the region's name
 * ({@code us-south}), its former name ({@code ap-north}), the short host prefix ({@code jp2}), the host itself, a
 * URL with scheme, path or trailing slash, the deprecated {@code registry.*.bluemix.net} domains, in any case and
 * with surrounding spaces. A host that is not ICR's is accepted only from a resolver that allows custom hosts.
 */
public final class RegionResolver {

    private static final Pattern HOST_AND_PORT =
            Pattern.compile("[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*(:[0-9]{1,5})?");

    /** Every name of every region, to its region: ids, former names, short names, public and private hosts. */
    private static final Map<String, Region> NAMES = names();

    private final boolean customHosts;

    private RegionResolver(boolean customHosts) {
        this.customHosts = customHosts;
    }

    /** Accepts ICR's regions and hosts only: a typo is an error, never a login to some other host. */
    public static RegionResolver standard() {
        return new RegionResolver(false);
    }

    /** Also accepts any other {@code host[:port]}, for regions newer than this plugin and for test registries. */
    public static RegionResolver allowingCustomHosts() {
        return new RegionResolver(true);
    }

    public Registry resolve(String input, Endpoint endpoint) {
        return resolve(input, endpoint, FrontEnd.JENKINS);
    }

    /** @param frontEnd whose option names an error uses */
    public Registry resolve(String input, Endpoint endpoint, FrontEnd frontEnd) {
        String name = normalize(input);
        if (name.isEmpty()) {
            throw new UnknownRegionException(Text.get(frontEnd, "region.missing", validRegions()));
        }
        Region region = NAMES.get(name);
        if (region != null) {
            Endpoint chosen = name.startsWith("private.") ? Endpoint.PRIVATE : endpoint;
            return Registry.of(region, chosen, List.of());
        }
        Optional<Region> deprecated = Arrays.stream(Region.values())
                .filter(r -> r.deprecatedDomain().filter(name::equals).isPresent())
                .findFirst();
        if (deprecated.isPresent()) {
            Region r = deprecated.get();
            return Registry.of(r, endpoint, List.of(Text.get("region.deprecatedDomain", name, r.host(endpoint))));
        }
        if (customHosts && looksLikeHost(name)) {
            return Registry.custom(name);
        }
        String suggestion = closest(name).map(s -> Text.get("region.didYouMean", s)).orElse("");
        throw new UnknownRegionException(Text.get(frontEnd, "region.unknown", input.strip(), suggestion,
                validRegions()));
    }

    /** A bare word is a mistyped region, not a host: a host has a dot, a port, or is localhost. */
    private static boolean looksLikeHost(String name) {
        return HOST_AND_PORT.matcher(name).matches()
                && (name.contains(".") || name.contains(":") || name.equals("localhost"));
    }

    /** Lower case, no spaces, no scheme, no path, no trailing dot, no default HTTPS port. */
    static String normalize(String input) {
        if (input == null) {
            return "";
        }
        String s = input.strip().toLowerCase(Locale.ROOT);
        s = s.replaceFirst("^[a-z][a-z0-9+.-]*://", "");
        int slash = s.indexOf('/');
        if (slash >= 0) {
            s = s.substring(0, slash);
        }
        s = s.replaceFirst(":443$", "");
        while (s.endsWith(".")) {
            s = s.substring(0, s.length() - 1);
        }
        return s;
    }

    /** {@code global, au-syd (au.icr.io), ...}: what an error message offers instead. */
    public static String validRegions() {
        return Arrays.stream(Region.values())
                .map(r -> r.id() + " (" + r.host(Endpoint.PUBLIC) + ")")
                .collect(Collectors.joining(", "));
    }

    /** The region name nearest to a typo, when one is near enough to be what was meant. */
    static Optional<String> closest(String name) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : NAMES.keySet()) {
            int d = distance(name, candidate);
            if (d < bestDistance) {
                best = candidate;
                bestDistance = d;
            }
        }
        if (best == null || bestDistance > Math.max(2, name.length() / 3)) {
            return Optional.empty();
        }
        Region region = NAMES.get(best);
        return Optional.of(best.contains(".") ? best : region.id());
    }

    /** Levenshtein distance: few enough names that the simple table is fast. */
    private static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }

    private static Map<String, Region> names() {
        Map<String, Region> names = new LinkedHashMap<>();
        for (Region r : Region.values()) {
            List<String> all = new ArrayList<>(List.of(r.id(), r.host(Endpoint.PUBLIC), r.host(Endpoint.PRIVATE)));
            r.formerName().ifPresent(all::add);
            if (!r.shortName().isEmpty()) {
                all.add(r.shortName());
            }
            all.forEach(n -> names.put(n, r));
        }
        return java.util.Collections.unmodifiableMap(names);
    }
}
