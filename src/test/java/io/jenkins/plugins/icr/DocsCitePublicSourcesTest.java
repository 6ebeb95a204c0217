package io.jenkins.plugins.icr;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The pages cite what a reader can open: IBM's documentation, a public repository's file, a specification. A path
 * on a development machine (the team's shared notes under {@code /work/}, a home folder) is no source for anyone
 * else, as two rows of vulnerability-advisor.md once were.
 */
class DocsCitePublicSourcesTest {

    /** A development machine's own files: the team's work tree, a user's home folder. */
    private static final Pattern MACHINE_PATH = Pattern.compile("(?<![\\w.~-])/(?:work|root|home/[a-z_][\\w-]*)/");

    @Test
    void noPageCitesAFileOfADevelopmentMachine() throws Exception {
        Path sources = Path.of(System.getProperty("icr.sources", "src"));
        Path docs = sources.resolveSibling("docs");
        List<String> found = new ArrayList<>();
        try (Stream<Path> pages = Stream.concat(Files.list(docs), Stream.of(sources.resolveSibling("README.md")))) {
            for (Path page : pages.filter(p -> p.toString().endsWith(".md")).sorted().toList()) {
                List<String> lines = Files.readAllLines(page);
                for (int i = 0; i < lines.size(); i++) {
                    Matcher m = MACHINE_PATH.matcher(lines.get(i));
                    if (m.find()) {
                        found.add(page.getFileName() + ":" + (i + 1) + ": " + m.group());
                    }
                }
            }
        }
        assertEquals(List.of(), found, "pages that cite a development machine's files");
    }
}
