package io.jenkins.plugins.icr.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.icr.testbed.Secrets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The start-up archive of the packaged icr-login: the first login makes the cache folder under the user's home (the
 * launcher runs no mkdir, which would inherit the key), the second builds the archive in the background; the runs
 * after it map it; one made for another jar or JVM is built again.
 */
class StartupArchiveIT {

    private static final String KEY = Secrets.used("startup-archive-0123456789abcdefghijklmnopq");
    private static final String ARCHIVE_BUILDING = StartupArchive.ARCHIVE + ".building";

    @TempDir
    Path work;

    private Launched.Result login(Map<String, String> env) throws Exception {
        Files.deleteIfExists(work.resolve("stderr"));
        return Launched.run(env, work, List.of("--region", "registry.example:5000", "--custom-host", "--no-verify",
                "--", "true"));
    }

    @Test
    void theSecondLoginBuildsItAndTheNextRunsMapIt() throws Exception {
        Map<String, String> env = Launched.environment(work);
        env.remove("ICR_LOGIN_CACHE");
        env.put("IBMCLOUD_API_KEY", KEY);
        Path cache = Path.of(env.get("HOME"), ".cache", "icr-login");
        Path archive = cache.resolve(StartupArchive.ARCHIVE);

        assertEquals(0, Launched.run(env, work, List.of("--version")).exit());
        assertFalse(Files.exists(cache), "a --version run is no model of a login, and makes no cache folder");

        assertEquals(0, login(env).exit());
        assertTrue(Files.isDirectory(cache), "the first login makes the cache folder");
        assertFalse(Files.exists(cache.resolve(StartupArchive.CLASSES)), "and records nothing into a folder it lacked");
        assertEquals(0, login(env).exit());
        assertTrue(Launched.await(() -> Files.exists(archive) && !Files.exists(cache.resolve(ARCHIVE_BUILDING))),
                "the archive was not built");

        // -Xshare:on: the JVM refuses to start unless it can map the archive.
        env.put("JAVA_TOOL_OPTIONS", "-Xshare:on");
        Launched.Result mapped = login(env);
        assertEquals(0, mapped.exit(), mapped.stderr());
        env.remove("JAVA_TOOL_OPTIONS");

        Path stamp = cache.resolve(StartupArchive.ARCHIVE + ".stamp");
        String made = Files.readString(stamp);
        Files.writeString(stamp, "another jar or JVM");
        assertEquals(0, login(env).exit());
        // The stamp is written before the archive is moved in and the lock removed: wait for the lock too, so that
        // the background build has ended before the test's folder is deleted.
        assertTrue(Launched.await(() -> made.equals(read(stamp)) && !Files.exists(cache.resolve(ARCHIVE_BUILDING))),
                "it was not built again");
        assertNotEquals("", made);
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (java.io.IOException e) {
            return "";
        }
    }
}
