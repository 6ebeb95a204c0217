package io.jenkins.plugins.icr.agent;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/** This machine's files, through {@code java.nio}. */
public final class LocalFiles implements AgentFiles {

    private static final Set<PosixFilePermission> OWNER_ONLY_DIR = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> OWNER_ONLY_FILE = PosixFilePermissions.fromString("rw-------");

    private final boolean posix = Path.of("").getFileSystem().supportedFileAttributeViews().contains("posix");
    private final String home;

    /** The files of this machine, for the user this JVM runs as. */
    public LocalFiles() {
        this(System.getProperty("user.home"));
    }

    /** The files of this machine, reading the user's own settings from {@code home}. */
    public LocalFiles(String home) {
        this.home = home;
    }

    @Override
    public String child(String parent, String name) {
        return Path.of(parent).resolve(name).toString();
    }

    @Override
    public void makePrivateDirectory(String path) throws IOException {
        Path dir = Path.of(path);
        Files.createDirectories(dir);
        if (posix) {
            Files.setPosixFilePermissions(dir, OWNER_ONLY_DIR);
        }
    }

    @Override
    public void writePrivate(String path, byte[] content) throws IOException {
        Path target = Path.of(path).toAbsolutePath();
        Path folder = target.getParent();
        if (folder == null) {
            throw new IOException("not a file path: " + path);
        }
        // Written beside the target with owner-only rights from the start, then moved over it: no reader ever
        // sees a half-written file or a moment in which the file is readable by others.
        Path temp = posix
                ? Files.createTempFile(folder, ".icr", ".tmp", PosixFilePermissions.asFileAttribute(OWNER_ONLY_FILE))
                : Files.createTempFile(folder, ".icr", ".tmp");
        try {
            Files.write(temp, content);
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    @Override
    public Optional<byte[]> read(String path) throws IOException {
        try {
            return Optional.of(Files.readAllBytes(Path.of(path)));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    @Override
    public List<String> list(String directory) throws IOException {
        Path dir = Path.of(directory);
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> entries = Files.list(dir)) {
            // Entries of a folder always have a name; only a file system root has none.
            return entries.map(p -> String.valueOf(p.getFileName())).sorted().toList();
        }
    }

    @Override
    public void deleteRecursively(String path) throws IOException {
        Path root = Path.of(path);
        if (!Files.exists(root, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        Files.walkFileTree(root, new Deleter());
    }

    /** Deletes what it visits, children before their folder; links are deleted, never followed. */
    private static final class Deleter extends SimpleFileVisitor<Path> {
        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
            Files.deleteIfExists(file);
            return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
            if (e != null) {
                throw e;
            }
            Files.deleteIfExists(dir);
            return FileVisitResult.CONTINUE;
        }
    }

    @Override
    public String home() {
        return home;
    }
}
