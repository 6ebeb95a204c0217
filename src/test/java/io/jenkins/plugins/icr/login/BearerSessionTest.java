package io.jenkins.plugins.icr.login;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.icr.agent.Command;
import io.jenkins.plugins.icr.agent.CommandResult;
import io.jenkins.plugins.icr.agent.LocalCommands;
import io.jenkins.plugins.icr.agent.LocalFiles;
import io.jenkins.plugins.icr.iam.AccessToken;
import io.jenkins.plugins.icr.iam.IamClient;
import io.jenkins.plugins.icr.testbed.Installed;
import io.jenkins.plugins.icr.testbed.Leftovers;
import io.jenkins.plugins.icr.testbed.TestImage;
import io.jenkins.plugins.icr.testbed.TestbedExtension;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Bearer mode: the key is exchanged for an IAM access token (as the controller does) and the session logs in with
 * {@code iambearer}, so the key itself never reaches the client or the auth file.
 */
class BearerSessionTest {

    @RegisterExtension
    static final TestbedExtension TESTBED = new TestbedExtension();
    private static String image;
    private static IamClient iam;
    private final LocalCommands commands = new LocalCommands();
    private final SessionTest.RecordingLog log = new SessionTest.RecordingLog();

    @BeforeAll
    static void start() throws Exception {
        image = TestImage.create(TESTBED.get().newFolder("image"), "pushed with a bearer token");
        iam = IamClient.builder().endpoint(TESTBED.get().iam().baseUrl()).build();
    }

    @ParameterizedTest
    @EnumSource(Client.class)
    void everyClientLogsInWithAnIamTokenAndPushes(Client client) throws Exception {
        requireProgram(client);
        String key = TESTBED.get().newApiKey();
        AccessToken token = iam.exchange(key);
        Path base = TESTBED.get().newFolder("base");
        Session session = Session.open(request(client, token.token(), base).build(), commands, new LocalFiles(), log);
        try {
            assertEquals(Map.of(), Leftovers.filesContaining(base, key), "the key is not in the session");
            CommandResult push = push(session, "bearer-" + client.id());
            assertEquals(0, push.exitCode(), push.output());
            assertTrue(TESTBED.get().tokenService().requests().stream()
                    .anyMatch(r -> r.username().equals("iambearer") && r.status() == 200));
        } finally {
            session.close(commands, new LocalFiles(), log);
        }
        assertEquals(List.of(), java.nio.file.Files.list(base).toList());
    }

    @ParameterizedTest
    @EnumSource(value = Client.class, names = {"SKOPEO", "AUTH_FILE"})
    void anExpiredTokenIsRefusedAndTheErrorSaysSo(Client client) throws Exception {
        requireProgram(client);
        AccessToken token = iam.exchange(TESTBED.get().newApiKey());
        TESTBED.get().iam().expireIssuedTokens();
        LoginException e = assertThrows(LoginException.class, () -> Session.open(
                request(client, token.token(), TESTBED.get().newFolder("base")).build(), commands, new LocalFiles(), log));
        assertEquals(LoginException.Reason.WRONG_CREDENTIALS, e.reason());
        assertTrue(e.getMessage().contains("refused the IAM access token: it has expired"), e.getMessage());
    }

    @Test
    void aLongBodyRefreshesItsLoginWhenTheTokenExpires() throws Exception {
        String key = TESTBED.get().newApiKey();
        Session session = Session.open(request(Client.AUTH_FILE, iam.exchange(key).token(),
                TESTBED.get().newFolder("base")).build(), commands, new LocalFiles(), log);
        try {
            TESTBED.get().iam().expireIssuedTokens();
            assertNotEquals(0, push(session, "long-body").exitCode(), "the expired token no longer pushes");
            List<String> before = List.copyOf(log.infos);
            session.refresh(request(Client.AUTH_FILE, iam.exchange(key).token(), Path.of("unused")).build(), commands,
                    new LocalFiles(), log);
            // The renewal that calls refresh says what it renewed (renewal.done); refresh itself adds nothing.
            assertEquals(before, log.infos, "refresh says nothing of its own");
            CommandResult again = push(session, "long-body");
            assertEquals(0, again.exitCode(), again.output());
        } finally {
            session.close(commands, new LocalFiles(), log);
        }
    }

    private static LoginRequest.Builder request(Client client, String token, Path base) throws Exception {
        return LoginRequest.builder(TESTBED.get().host(), LoginCredential.bearer(token), base.toString())
                .client(client).caCertificatePem(TESTBED.get().pki().caPem());
    }

    private CommandResult push(Session session, String name) throws Exception {
        return commands.run(Command.of(List.of("skopeo", "--tls-verify=false", "copy", image,
                "docker://" + TESTBED.get().host() + "/ns/" + name + ":v1"), session.environment()));
    }

    private static void requireProgram(Client client) {
        Installed.require("skopeo", "skopeo");
        if (client.program() != null) {
            Installed.require(client.program(), client.debianPackage());
        }
    }
}
