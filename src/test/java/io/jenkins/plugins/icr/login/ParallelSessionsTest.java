package io.jenkins.plugins.icr.login;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.icr.agent.LocalCommands;
import io.jenkins.plugins.icr.agent.LocalFiles;
import io.jenkins.plugins.icr.testbed.IcrTestbed;
import io.jenkins.plugins.icr.testbed.Installed;
import io.jenkins.plugins.icr.testbed.Leftovers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Many builds on one agent: each session sees its own login only, and the user's own files stay as they were. */
class ParallelSessionsTest {

    private static final int SESSIONS = 32;

    @Test
    void thirtyTwoSessionsAtOnceNeverSeeEachOther() throws Exception {
        for (Client c : Client.values()) {
            if (c.program() != null) {
                Installed.require(c.program(), c.debianPackage());
            }
        }
        Path home = Path.of(System.getProperty("user.home"));
        List<Path> userFiles = List.of(home.resolve(".docker"), home.resolve(".config/containers"),
                Path.of(System.getenv().getOrDefault("XDG_RUNTIME_DIR", "/run/user/0"), "containers"));
        List<Map<String, String>> before = new ArrayList<>();
        for (Path p : userFiles) {
            before.add(Leftovers.under(p));
        }
        try (IcrTestbed testbed = IcrTestbed.start()) {
            Path base = testbed.newFolder("parallel");
            List<String> keys = new ArrayList<>();
            for (int i = 0; i < SESSIONS; i++) {
                keys.add(testbed.newApiKey());
            }
            String ca = testbed.pki().caPem();
            ExecutorService pool = Executors.newFixedThreadPool(SESSIONS);
            List<Future<String>> results = new ArrayList<>();
            for (int i = 0; i < SESSIONS; i++) {
                String key = keys.get(i);
                Client client = Client.values()[i % Client.values().length];
                results.add(pool.submit((Callable<String>) () -> oneSession(testbed, base, client, key, keys, ca)));
            }
            pool.shutdown();
            assertTrue(pool.awaitTermination(5, TimeUnit.MINUTES), "the sessions finished");
            List<String> problems = new ArrayList<>();
            for (Future<String> r : results) {
                if (!r.get().isEmpty()) {
                    problems.add(r.get());
                }
            }
            assertEquals(List.of(), problems);
            assertEquals(List.of(), Files.list(base).toList(), "every session folder was removed");
        }
        for (int i = 0; i < userFiles.size(); i++) {
            assertEquals(before.get(i), Leftovers.under(userFiles.get(i)), userFiles.get(i) + " was touched");
        }
    }

    /** Opens, checks and closes one session; returns what went wrong, or nothing. */
    private static String oneSession(IcrTestbed testbed, Path base, Client client, String key, List<String> allKeys,
            String ca) throws Exception {
        LocalCommands commands = new LocalCommands();
        LocalFiles files = new LocalFiles();
        LoginCredential mine = LoginCredential.apiKey(key);
        Session session = Session.open(LoginRequest.builder(testbed.host(), mine, base.toString()).client(client)
                .caCertificatePem(client == Client.DOCKER ? null : ca).build(), commands, files, SessionLog.SILENT);
        try {
            for (String file : List.of("config.json", "auth.json")) {
                String content = Files.readString(Path.of(session.folder(), file));
                if (!content.contains(mine.basicAuth())) {
                    return client + ": " + file + " lacks its own login";
                }
                for (String other : allKeys) {
                    if (!other.equals(key) && content.contains(LoginCredential.apiKey(other).basicAuth())) {
                        return client + ": " + file + " holds another session's key";
                    }
                }
            }
            return "";
        } finally {
            session.close(commands, files, SessionLog.SILENT);
        }
    }
}
