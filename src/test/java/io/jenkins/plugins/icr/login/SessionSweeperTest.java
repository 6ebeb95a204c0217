package io.jenkins.plugins.icr.login;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.icr.agent.LocalCommands;
import io.jenkins.plugins.icr.agent.LocalFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SessionSweeperTest {

    @TempDir
    Path base;

    private final LocalFiles files = new LocalFiles();

    private Session open(String owner) throws Exception {
        return Session.open(LoginRequest.builder("registry.example:5000", LoginCredential.apiKey("k".repeat(44)),
                base.toString()).verifyKey(false).owner(owner).build(), new LocalCommands(), files, SessionLog.SILENT);
    }

    @Test
    void removesTheFoldersOfDeadOwnersOnly() throws Exception {
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        String deadOwner = "pid " + gone.pid() + "@" + SessionSweeper.localOwner().replaceFirst("^pid \\d+@", "");
        Session crashed = open(deadOwner);
        Session live = open(SessionSweeper.localOwner());
        Session elsewhere = open("pid 1@some-other-agent");
        Path unmarked = Files.createDirectory(base.resolve("icr-being-created"));

        List<String> removed = SessionSweeper.sweep(base.toString(), SessionSweeper::localOwnerRuns, files);

        assertEquals(List.of(crashed.folder()), removed);
        assertFalse(Files.exists(Path.of(crashed.folder())));
        assertTrue(Files.exists(Path.of(live.folder())), "a live session is never swept");
        assertTrue(Files.exists(Path.of(elsewhere.folder())), "an owner we cannot check is taken as live");
        assertTrue(Files.exists(unmarked), "a folder without a marker is not proven ours");
    }
}
