package io.jenkins.plugins.icr.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Proxy;
import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The build environment's proxy, chosen as Go's registry clients choose it. */
class EnvironmentProxyTest {

    private static String via(Map<String, String> env, String url) {
        Proxy proxy = EnvironmentProxy.from(env).orElseThrow().select(URI.create(url)).get(0);
        return proxy.type() == Proxy.Type.DIRECT ? "direct" : proxy.address().toString();
    }

    @Test
    void httpsUrlsUseHttpsProxyInEitherCase() {
        assertEquals("proxy.corp:3128", via(Map.of("HTTPS_PROXY", "http://proxy.corp:3128"), "https://us.icr.io/v2/")
                .replace("/<unresolved>", ""));
        assertEquals("lower:8080", via(Map.of("https_proxy", "lower:8080"), "https://us.icr.io/v2/")
                .replace("/<unresolved>", ""));
        assertEquals("direct", via(Map.of("HTTP_PROXY", "http://plain:80"), "https://us.icr.io/v2/"));
    }

    @Test
    void noProxyAndLoopbackGoDirect() {
        Map<String, String> env = Map.of("HTTPS_PROXY", "http://proxy:3128",
                "NO_PROXY", "internal.example, .icr.io ,registry.local:5000");
        assertEquals("direct", via(env, "https://us.icr.io/v2/"));
        assertEquals("direct", via(env, "https://build.internal.example/v2/"));
        assertEquals("direct", via(env, "https://registry.local:5000/v2/"));
        assertTrue(via(env, "https://registry.local:5001/v2/").startsWith("proxy"));
        assertTrue(via(env, "https://quay.io/v2/").startsWith("proxy"));
        assertEquals("direct", via(env, "https://127.0.0.1:5000/v2/"));
        assertEquals("direct", via(env, "https://localhost/v2/"));
        assertEquals("direct", via(Map.of("HTTPS_PROXY", "proxy:1", "no_proxy", "*"), "https://us.icr.io/"));
    }

    @Test
    void noSettingOrAnUnreadableOneIsNoProxy() {
        assertTrue(EnvironmentProxy.from(Map.of("PATH", "/usr/bin")).isEmpty());
        assertTrue(EnvironmentProxy.from(Map.of("HTTPS_PROXY", "::not a url::")).isEmpty());
    }
}
