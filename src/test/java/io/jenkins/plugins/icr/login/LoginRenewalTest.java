package io.jenkins.plugins.icr.login;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.icr.agent.Command;
import io.jenkins.plugins.icr.agent.CommandResult;
import io.jenkins.plugins.icr.agent.LocalCommands;
import io.jenkins.plugins.icr.agent.LocalFiles;
import io.jenkins.plugins.icr.iam.AccessToken;
import io.jenkins.plugins.icr.iam.IamClient;
import io.jenkins.plugins.icr.iam.Retry;
import io.jenkins.plugins.icr.iam.TokenCache;
import io.jenkins.plugins.icr.testbed.IamEmulator.Fault;
import io.jenkins.plugins.icr.testbed.Installed;
import io.jenkins.plugins.icr.testbed.TestImage;
import io.jenkins.plugins.icr.testbed.TestbedExtension;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Bearer logins outlive their tokens: the IAM emulator issues three-second tokens, and a session pushes after two
 * and three lifetimes because {@link LoginRenewal} logged it in again in time.
 */
class LoginRenewalTest {

    private static final Duration LIFETIME = Duration.ofSeconds(3);

    @RegisterExtension
    static final TestbedExtension TESTBED = new TestbedExtension();
    private static String image;
    private final LocalCommands commands = new LocalCommands();
    private final LocalFiles files = new LocalFiles();
    private final SessionTest.RecordingLog log = new SessionTest.RecordingLog();
    private final TokenCache cache = new TokenCache();
    private ScheduledThreadPoolExecutor timer;
    private IamClient iam;

    @BeforeAll
    static void image() throws Exception {
        image = TestImage.create(TESTBED.get().newFolder("image"), "pushed while the token was renewed");
    }

    @BeforeEach
    void start() throws Exception {
        TESTBED.get().iam().tokenLifetime(LIFETIME);
        iam = IamClient.builder().endpoint(TESTBED.get().iam().baseUrl()).retry(Retry.NONE).build();
        timer = new ScheduledThreadPoolExecutor(1);
        timer.setRemoveOnCancelPolicy(true);
    }

    @AfterEach
    void stop() {
        TESTBED.get().iam().clearFaults();
        TESTBED.get().iam().tokenLifetime(Duration.ofHours(1));
        timer.shutdownNow();
    }

    @ParameterizedTest
    @EnumSource(value = Client.class, names = {"AUTH_FILE", "SKOPEO", "DOCKER"})
    void aBearerLoginPushesAfterTwoAndThreeTokenLifetimes(Client client) throws Exception {
        Installed.require("skopeo", "skopeo");
        if (client.program() != null) {
            Installed.require(client.program(), client.debianPackage());
        }
        String key = TESTBED.get().newApiKey();
        AccessToken first = cache.token(iam, key);
        String base = TESTBED.get().newFolder("base").toString();
        String ca = TESTBED.get().pki().caPem();
        Session session = Session.open(request(client, first, base, ca).build(), commands, files, log);
        try (LoginRenewal renewal = LoginRenewal.start(timer, first, old -> cache.renewal(iam, key, old),
                token -> session.refresh(request(client, token, base, ca).build(), commands, files, SessionLog.SILENT),
                TESTBED.get().host(), log)) {
            waitUntil(first.expiresAt().plus(LIFETIME));
            CommandResult second = push(session, "renewed-" + client.id());
            assertEquals(0, second.exitCode(), second.output());
            waitUntil(first.expiresAt().plus(LIFETIME.multipliedBy(2)));
            CommandResult third = push(session, "renewed-" + client.id());
            assertEquals(0, third.exitCode(), third.output());
            assertNotEquals(first.token(), renewal.current().token());
        } finally {
            session.close(commands, files, log);
        }
        assertTrue(log.infos.stream().anyMatch(m -> m.startsWith("Renewed the IAM login for " + TESTBED.get().host())),
                log.infos.toString());
        assertTrue(log.infos.stream().noneMatch(m -> m.contains("eyJ")), "the log never shows a token");
        assertEquals(0, timer.getQueue().size(), "nothing is left scheduled");
    }

    @Test
    void blocksThatShareAKeyShareOneIamCallPerRenewal() throws Exception {
        String key = TESTBED.get().newApiKey();
        AccessToken first = cache.token(iam, key);
        int before = TESTBED.get().iam().requestCount(key);
        AtomicInteger relogins = new AtomicInteger();
        List<LoginRenewal> blocks = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            blocks.add(LoginRenewal.start(timer, first, old -> cache.renewal(iam, key, old), token -> relogins.incrementAndGet(),
                    "block-" + i, SessionLog.SILENT));
        }
        waitUntil(first.expiresAt().plus(LIFETIME));
        blocks.forEach(LoginRenewal::close);
        int calls = TESTBED.get().iam().requestCount(key) - before;
        assertTrue(relogins.get() >= 40, "every block renewed twice or more: " + relogins.get());
        assertTrue(calls >= 2 && calls <= 5, "one IAM call per renewal period, not per block: " + calls);
        assertEquals(0, timer.getQueue().size(), "nothing is left scheduled");
    }

    @Test
    void aRenewalThatFailsSaysSoAndIsTriedAgainBeforeTheTokenExpires() throws Exception {
        String key = TESTBED.get().newApiKey();
        AccessToken first = cache.token(iam, key);
        TESTBED.get().iam().enqueue(new Fault.ServerError(503));
        AtomicInteger relogins = new AtomicInteger();
        try (LoginRenewal renewal = LoginRenewal.start(timer, first, old -> cache.renewal(iam, key, old),
                token -> relogins.incrementAndGet(), "us.icr.io", log)) {
            waitUntil(first.expiresAt());
            assertTrue(relogins.get() >= 1, "renewed after the failure, before the token expired");
            assertTrue(renewal.current().expiresAt().isAfter(first.expiresAt()));
        }
        assertTrue(log.warnings.stream().anyMatch(w -> w.startsWith("Could not renew the IAM login for us.icr.io")
                && w.contains("HTTP 503") && w.contains("trying again in")), log.warnings.toString());
    }

    @Test
    void whenIamStaysDownTheLogSaysTheLoginExpiredAndWhy() throws Exception {
        String key = TESTBED.get().newApiKey();
        AccessToken first = cache.token(iam, key);
        for (int i = 0; i < 10; i++) {
            TESTBED.get().iam().enqueue(new Fault.ServerError(503));
        }
        try (LoginRenewal renewal = LoginRenewal.start(timer, first, old -> cache.renewal(iam, key, old),
                token -> { }, "us.icr.io", log)) {
            waitUntil(first.expiresAt().plusSeconds(1));
            assertEquals(first, renewal.current(), "nothing renewed");
        }
        assertTrue(log.warnings.stream().anyMatch(w -> w.startsWith("Could not renew the IAM login for us.icr.io")),
                log.warnings.toString());
        assertTrue(log.warnings.stream().anyMatch(w -> w.startsWith("The IAM login for us.icr.io expired at")
                && w.contains("HTTP 503") && w.contains("Trying again in 30 seconds")), log.warnings.toString());
    }

    @Test
    void aResumedLoginIsRenewedAtOnceThenOnSchedule() throws Exception {
        String key = TESTBED.get().newApiKey();
        List<AccessToken> applied = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (LoginRenewal renewal = LoginRenewal.resume(timer, old -> cache.renewal(iam, key, old), applied::add,
                "us.icr.io", log)) {
            assertEquals(1, applied.size(), "renewed before resume returned");
            waitUntil(applied.get(0).expiresAt());
            assertTrue(applied.size() >= 2, "and again before that token expired: " + applied.size());
            assertEquals(applied.get(applied.size() - 1), renewal.current());
        }
    }

    private static LoginRequest.Builder request(Client client, AccessToken token, String base, String ca) {
        return LoginRequest.builder(TESTBED.get().host(), LoginCredential.bearer(token.token()), base)
                .client(client).caCertificatePem(ca);
    }

    private CommandResult push(Session session, String name) throws Exception {
        return commands.run(Command.of(List.of("skopeo", "--tls-verify=false", "copy", image,
                "docker://" + TESTBED.get().host() + "/ns/" + name + ":v1"), session.environment()));
    }

    /** Real time must pass for a token to expire; this waits for that moment, and no longer. */
    private static void waitUntil(Instant moment) throws InterruptedException {
        long millis = Duration.between(Instant.now(), moment).toMillis();
        if (millis > 0) {
            Thread.sleep(millis + 200);
        }
    }
}
