package io.jenkins.plugins.icr;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** Every message a user can meet has a row in docs/troubleshooting.md, so the page never falls behind. */
class TroubleshootingDocTest {

    @Test
    void everyMessageIsInTheTroubleshootingPage() throws Exception {
        Path sources = Path.of(System.getProperty("icr.sources", "src"));
        Path resources = sources.resolve("main/resources/io/jenkins/plugins/icr");
        Properties messages = new Properties();
        for (Path file : List.of(resources.resolve("Text.properties"), resources.resolve("jenkins/Messages.properties"))) {
            try (InputStream in = Files.newInputStream(file)) {
                messages.load(in);
            }
        }
        String page = Files.readString(sources.resolveSibling("docs").resolve("troubleshooting.md"));
        List<String> missing = messages.stringPropertyNames().stream().sorted()
                .filter(key -> !key.endsWith("DisplayName")) // form labels, not messages
                .filter(key -> !page.contains("| `" + key + "` |")).toList();
        assertEquals(List.of(), missing, "messages without a row in docs/troubleshooting.md");
    }
}
