package io.jenkins.plugins.icr.testbed;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/** What a login left behind in a folder: each path below it with its POSIX mode. */
public final class Leftovers {

    private Leftovers() {}

    /** Relative path to mode ({@code rwx------}); empty when the folder does not exist. */
    public static Map<String, String> under(Path folder) throws IOException {
        Map<String, String> found = new TreeMap<>();
        if (!Files.exists(folder, LinkOption.NOFOLLOW_LINKS)) {
            return found;
        }
        try (Stream<Path> all = Files.walk(folder)) {
            for (Path p : (Iterable<Path>) all::iterator) {
                found.put(folder.relativize(p).toString(), PosixFilePermissions.toString(
                        Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS)));
            }
        }
        return found;
    }

    /** Every file below the folder whose content holds the text. */
    public static Map<String, String> filesContaining(Path folder, String text) throws IOException {
        Map<String, String> found = new TreeMap<>();
        if (!Files.exists(folder)) {
            return found;
        }
        try (Stream<Path> all = Files.walk(folder)) {
            for (Path p : (Iterable<Path>) all::iterator) {
                if (Files.isRegularFile(p) && Files.readString(p, java.nio.charset.StandardCharsets.ISO_8859_1)
                        .contains(text)) {
                    found.put(folder.relativize(p).toString(), "holds the text");
                }
            }
        }
        return found;
    }
}
