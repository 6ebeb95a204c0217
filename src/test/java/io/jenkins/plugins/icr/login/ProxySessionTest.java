package io.jenkins.plugins.icr.login;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.icr.agent.LocalCommands;
import io.jenkins.plugins.icr.agent.LocalFiles;
import io.jenkins.plugins.icr.testbed.Installed;
import io.jenkins.plugins.icr.testbed.TestPki;
import io.jenkins.plugins.icr.testbed.TestbedExtension;
import io.jenkins.plugins.icr.testbed.TunnelProxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * An agent that reaches the registry only through a proxy named in {@code HTTPS_PROXY}: the auth-file mode's own
 * check goes through it as the clients do, and a wrong proxy password is named.
 */
class ProxySessionTest {

    @RegisterExtension
    static final TestbedExtension TESTBED = new TestbedExtension();
    private final LocalCommands commands = new LocalCommands();

    private static String proxiedHost() {
        return TestPki.PROXIED_NAME + TESTBED.get().host().substring(TESTBED.get().host().indexOf(':'));
    }

    private static LoginRequest request(Client client, String key, Path base, Map<String, String> env) throws Exception {
        return LoginRequest.builder(proxiedHost(), LoginCredential.apiKey(key), base.toString()).client(client)
                .caCertificatePem(TESTBED.get().pki().caPem()).environment(env).build();
    }

    @ParameterizedTest
    @EnumSource(value = Client.class, names = {"AUTH_FILE", "SKOPEO"})
    void theLoginGoesThroughTheEnvironmentsProxyLikeTheClientsDo(Client client) throws Exception {
        if (client.program() != null) {
            Installed.require(client.program(), client.debianPackage());
        }
        try (TunnelProxy proxy = new TunnelProxy("agent", "s3cret+pw")) {
            Path base = TESTBED.get().newFolder("base");
            Map<String, String> env = Map.of("HTTPS_PROXY", proxy.url("agent", "s3cret%2Bpw"));
            Session session = Session.open(request(client, TESTBED.get().newApiKey(), base, env), commands,
                    new LocalFiles(), SessionLog.SILENT);
            session.close(commands, new LocalFiles(), SessionLog.SILENT);
            assertTrue(proxy.tunnels() >= 1, "the registry was reached through the proxy");
            assertEquals(List.of(), Files.list(base).toList());
        }
    }

    @Test
    void withoutTheProxyOrWithAWrongPasswordTheRegistryIsUnreachableAndTheProxyNamed() throws Exception {
        try (TunnelProxy proxy = new TunnelProxy("agent", "right")) {
            String key = TESTBED.get().newApiKey();
            LoginException direct = assertThrows(LoginException.class, () -> Session.open(request(Client.AUTH_FILE,
                    key, TESTBED.get().newFolder("base"), Map.of()), commands, new LocalFiles(), SessionLog.SILENT));
            assertEquals(LoginException.Reason.REGISTRY_UNREACHABLE, direct.reason(), direct.getMessage());
            LoginException refused = assertThrows(LoginException.class, () -> Session.open(request(Client.AUTH_FILE,
                    key, TESTBED.get().newFolder("base"), Map.of("HTTPS_PROXY", proxy.url("agent", "wrong"))),
                    commands, new LocalFiles(), SessionLog.SILENT));
            assertEquals(LoginException.Reason.REGISTRY_UNREACHABLE, refused.reason(), refused.getMessage());
            assertTrue(refused.getMessage().contains("through the proxy 127.0.0.1:"), refused.getMessage());
            assertEquals(0, proxy.tunnels());
        }
    }
}
