package io.jenkins.plugins.icr.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The class-data sharing archive that lets icr-login start without loading and checking each class, kept in the
 * cache folder the launcher names ({@code -Dicr-login.cache}). The first login makes that folder (the launcher starts
 * no program that would inherit the key, so it makes none); the next run records the classes it loads ({@code
 * -XX:DumpLoadedClassList}); after it, a process of its own dumps them into {@code icr-login.jsa}, which the runs
 * after map. A stamp names the jar and the JVM the archive was made for: when either changes, the JVM ignores the
 * archive and the next run builds it again.
 *
 * <p>The build is published by a rename, so a run never maps half an archive, and runs that finish together
 * build it once (a lock, taken over when it is older than any build). It runs with an empty environment and no
 * standard streams: it holds neither the key nor a CI job's log open. Nothing here may fail icr-login.
 */
final class StartupArchive {

    static final String ARCHIVE = "icr-login.jsa";
    static final String CLASSES = "icr-login.classlist";
    private static final Duration BUILD_LIMIT = Duration.ofMinutes(5);

    private final Path cache;

    private StartupArchive(Path cache) {
        this.cache = cache;
    }

    /** The archive of the launcher's cache folder, when the launcher named one. */
    static Optional<StartupArchive> ofLauncher() {
        String cache = System.getProperty("icr-login.cache", "");
        return cache.isBlank() ? Optional.empty() : Optional.of(new StartupArchive(Path.of(cache)));
    }

    /**
     * After a run: keeps the classes it recorded if it logged in (a {@code --version} run loads too few to be worth
     * an archive), and builds the archive in the background when it is missing or made for another jar or JVM.
     */
    void refresh(boolean loggedIn) {
        try {
            if (!Files.isDirectory(cache)) {
                if (loggedIn) {
                    Files.createDirectories(cache); // for the next run, which records its classes here
                }
                return;
            }
            Path recorded = cache.resolve(CLASSES + "." + ProcessHandle.current().pid());
            if (Files.exists(recorded)) {
                if (!loggedIn) {
                    Files.delete(recorded);
                    return;
                }
                Files.move(recorded, cache.resolve(CLASSES), StandardCopyOption.REPLACE_EXISTING,
                        StandardCopyOption.ATOMIC_MOVE);
            }
            String stamp = stamp();
            Path archive = cache.resolve(ARCHIVE);
            if (Files.exists(archive) && stamp.equals(read(cache.resolve(ARCHIVE + ".stamp")))
                    || stamp.equals(read(cache.resolve(ARCHIVE + ".failed")))
                    || !Files.exists(cache.resolve(CLASSES)) || !lock()) {
                return;
            }
            build(stamp);
        } catch (IOException | RuntimeException e) {
            // A start without the archive is slower, nothing worse.
        }
    }

    /** Which jar and JVM an archive is for: the JVM checks the same, and ignores an archive that does not match. */
    private static String stamp() throws IOException {
        Path jar = Path.of(System.getProperty("java.class.path"));
        return String.join(" ", System.getProperty("java.home"), System.getProperty("java.vm.version"),
                jar.toRealPath().toString(), Long.toString(Files.size(jar)),
                Long.toString(Files.getLastModifiedTime(jar).toMillis()));
    }

    private boolean lock() throws IOException {
        Path lock = cache.resolve(ARCHIVE + ".building");
        try {
            Files.createFile(lock);
            return true;
        } catch (FileAlreadyExistsException e) {
            // Another run builds it, unless that build died: then this one takes the lock over.
            if (Files.getLastModifiedTime(lock).toInstant().isAfter(Instant.now().minus(BUILD_LIMIT))) {
                return false;
            }
            Files.setLastModifiedTime(lock, FileTime.from(Instant.now()));
            return true;
        }
    }

    private void build(String stamp) throws IOException {
        String script = "\"$0\" -Xshare:dump -XX:SharedClassListFile=\"$1\" -XX:SharedArchiveFile=\"$2.$$\""
                + " -cp \"$3\" >/dev/null 2>&1"
                + " && printf %s \"$4\" > \"$2.stamp\" && mv -f \"$2.$$\" \"$2\" || printf %s \"$4\" > \"$2.failed\";"
                + " rm -f \"$2.$$\" \"$2.building\"";
        ProcessBuilder dump = new ProcessBuilder(List.of("/bin/sh", "-c", script,
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), cache.resolve(CLASSES).toString(),
                cache.resolve(ARCHIVE).toString(), System.getProperty("java.class.path"), stamp))
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.DISCARD);
        dump.environment().clear();
        dump.environment().put("PATH", "/usr/bin:/bin");
        dump.start();
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }
}
