package io.jenkins.plugins.icr.login;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A registry's {@code WWW-Authenticate} challenge: {@code Bearer realm="https://us.icr.io/oauth/token",service="registry"}.
 * Values may be quoted or not; some registries send them bare.
 */
public record Challenge(String scheme, Map<String, String> parameters) {

    private static final Pattern PARAMETER =
            Pattern.compile("([A-Za-z_][A-Za-z0-9_-]*)\\s*=\\s*(?:\"((?:[^\"\\\\]|\\\\.)*)\"|([^,\\s]*))");

    public static Optional<Challenge> parse(String header) {
        if (header == null || header.isBlank()) {
            return Optional.empty();
        }
        String trimmed = header.strip();
        int space = trimmed.indexOf(' ');
        String scheme = (space < 0 ? trimmed : trimmed.substring(0, space)).toLowerCase(Locale.ROOT);
        Map<String, String> parameters = new LinkedHashMap<>();
        if (space >= 0) {
            Matcher m = PARAMETER.matcher(trimmed.substring(space + 1));
            while (m.find()) {
                String value = m.group(2) != null ? m.group(2).replaceAll("\\\\(.)", "$1") : m.group(3);
                parameters.put(m.group(1).toLowerCase(Locale.ROOT), value);
            }
        }
        return Optional.of(new Challenge(scheme, Map.copyOf(parameters)));
    }

    public Optional<String> realm() {
        return Optional.ofNullable(parameters.get("realm"));
    }

    public Optional<String> service() {
        return Optional.ofNullable(parameters.get("service"));
    }
}
