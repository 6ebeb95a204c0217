package io.jenkins.plugins.icr.http;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.PasswordAuthentication;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.SocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import okhttp3.Credentials;
import okhttp3.OkHttpClient;

/**
 * The proxy a build's environment names, read as the registry clients (Go programs) read it: {@code HTTPS_PROXY}
 * (or {@code https_proxy}) for https URLs, {@code HTTP_PROXY} for http, {@code NO_PROXY} for the exceptions, and
 * loopback never proxied. So the engine's own HTTPS calls on an agent reach the registry the way docker would.
 */
public final class EnvironmentProxy extends ProxySelector {

    private final URI https;
    private final URI http;
    private final List<String> noProxy;

    private EnvironmentProxy(URI https, URI http, List<String> noProxy) {
        this.https = https;
        this.http = http;
        this.noProxy = noProxy;
    }

    /**
     * The variables of {@code env} that decide the proxy ({@code HTTPS_PROXY}, {@code no_proxy} and their kind), in
     * name order: all that a check's route depends on, and nothing else of a build's environment.
     */
    public static SortedMap<String, String> variables(Map<String, String> env) {
        SortedMap<String, String> proxy = new TreeMap<>();
        env.forEach((name, value) -> {
            if (name.toLowerCase(Locale.ROOT).endsWith("_proxy")) {
                proxy.put(name, value);
            }
        });
        return proxy;
    }

    /** The environment's proxy settings, or empty when it names none. */
    public static Optional<EnvironmentProxy> from(Map<String, String> env) {
        URI https = uri(first(env, "HTTPS_PROXY", "https_proxy"));
        URI http = uri(first(env, "HTTP_PROXY", "http_proxy"));
        if (https == null && http == null) {
            return Optional.empty();
        }
        String no = first(env, "NO_PROXY", "no_proxy");
        List<String> exceptions = no == null ? List.of() : Arrays.stream(no.split(","))
                .map(s -> s.strip().toLowerCase(Locale.ROOT)).filter(s -> !s.isEmpty()).toList();
        return Optional.of(new EnvironmentProxy(https, http, exceptions));
    }

    /** A client like {@code base} that goes through this proxy, with its user and password if the URL has them. */
    public OkHttpClient apply(OkHttpClient base) {
        OkHttpClient.Builder client = base.newBuilder().proxySelector(this);
        credentials().ifPresent(user -> client.proxyAuthenticator(ProxyAuthentication.basic(Credentials.basic(
                user.getUserName(), new String(user.getPassword()), StandardCharsets.UTF_8))));
        return client.build();
    }

    /** The user and password of the proxy URL ({@code http://user:password@proxy:3128}), if it has them. */
    public Optional<PasswordAuthentication> credentials() {
        for (URI proxy : new URI[] {https, http}) {
            if (proxy != null && proxy.getUserInfo() != null) {
                String[] user = proxy.getUserInfo().split(":", 2); // decoded: %40 is @
                return Optional.of(new PasswordAuthentication(user[0], (user.length > 1 ? user[1] : "").toCharArray()));
            }
        }
        return Optional.empty();
    }

    @Override
    public List<Proxy> select(URI uri) {
        URI proxy = "https".equalsIgnoreCase(uri.getScheme()) ? https : http;
        if (proxy == null || bypassed(uri.getHost(), uri.getPort())) {
            return List.of(Proxy.NO_PROXY);
        }
        int port = proxy.getPort() > 0 ? proxy.getPort() : 80;
        return List.of(new Proxy(Proxy.Type.HTTP, InetSocketAddress.createUnresolved(proxy.getHost(), port)));
    }

    private boolean bypassed(String host, int port) {
        String h = host.toLowerCase(Locale.ROOT);
        if (h.equals("localhost") || h.startsWith("127.") || h.equals("::1") || h.equals("[::1]")) {
            return true;
        }
        for (String entry : noProxy) {
            if (entry.equals("*")) {
                return true;
            }
            String name = entry;
            int colon = entry.lastIndexOf(':');
            if (colon > 0 && entry.indexOf(':') == colon) {
                if (!entry.substring(colon + 1).equals(String.valueOf(port))) {
                    continue;
                }
                name = entry.substring(0, colon);
            }
            String domain = name.startsWith(".") ? name.substring(1) : name;
            if (h.equals(domain) || h.endsWith("." + domain)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void connectFailed(URI uri, SocketAddress address, IOException e) {
        // OkHttp reports the failure itself.
    }

    private static String first(Map<String, String> env, String... names) {
        for (String name : names) {
            String value = env.get(name);
            if (value != null && !value.isBlank()) {
                return value.strip();
            }
        }
        return null;
    }

    /** {@code proxy:3128} and {@code http://user:pw@proxy:3128/} alike. */
    private static URI uri(String value) {
        if (value == null) {
            return null;
        }
        try {
            URI uri = URI.create(value.contains("://") ? value : "http://" + value);
            return uri.getHost() == null ? null : uri;
        } catch (IllegalArgumentException e) {
            return null; // as the clients do: a proxy setting that is not a URL is no proxy
        }
    }

    @Override
    public String toString() {
        URI shown = https != null ? https : http;
        return shown.getHost() + (shown.getPort() > 0 ? ":" + shown.getPort() : "");
    }
}
