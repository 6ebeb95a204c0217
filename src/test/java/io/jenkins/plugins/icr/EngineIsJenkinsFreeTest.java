package io.jenkins.plugins.icr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Thin adapter, fat engine: only the {@code jenkins} package may touch Jenkins. Everything else must build and run
 * with Maven Central alone, so that the offline build tests it and the adapter stays a translation layer.
 */
class EngineIsJenkinsFreeTest {

    private static final Pattern JENKINS_NAME =
            Pattern.compile("(?<![\\w.])(hudson|jenkins|org\\.kohsuke\\.stapler|com\\.cloudbees)\\.[a-zA-Z]");
    private static final Pattern COMMENT = Pattern.compile("(?s)/\\*.*?\\*/|//[^\\n]*");

    @Test
    void noEngineClassNamesAJenkinsPackage() throws IOException {
        Path sources = Path.of(System.getProperty("icr.sources", "src"));
        List<Path> engine = engineSources(sources);
        assertTrue(engine.size() > 5, "the engine's sources were found under " + sources.toAbsolutePath());
        List<String> offenders = engine.stream().filter(EngineIsJenkinsFreeTest::namesJenkins)
                .map(p -> sources.relativize(p).toString()).toList();
        assertEquals(List.of(), offenders, "engine classes that import Jenkins; move that code to the adapter");
    }

    private static List<Path> engineSources(Path sources) throws IOException {
        try (Stream<Path> all = Files.walk(sources)) {
            return all.filter(p -> p.toString().endsWith(".java"))
                    .filter(p -> !sources.relativize(p).toString().replace('\\', '/')
                            .matches("(main|test)/java/io/jenkins/plugins/icr/jenkins/.*"))
                    .toList();
        }
    }

    private static boolean namesJenkins(Path source) {
        try {
            String code = COMMENT.matcher(Files.readString(source)).replaceAll("");
            return JENKINS_NAME.matcher(code).find();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
