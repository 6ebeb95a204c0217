package io.jenkins.plugins.icr;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.ResourceBundle;
import java.util.regex.Matcher;
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
                .filter(key -> !key.startsWith("words.")) // how front ends name options, inside messages
                .filter(key -> !page.contains("| `" + key + "` |")).toList();
        assertEquals(List.of(), missing, "messages without a row in docs/troubleshooting.md");
    }

    /** A message that names an option has a row that names it as each front end does: the step and icr-login. */
    @Test
    void eachRowNamesTheOptionsOfBothFrontEnds() throws Exception {
        Path sources = Path.of(System.getProperty("icr.sources", "src"));
        Properties text = new Properties();
        Path properties = sources.resolve("main/resources/io/jenkins/plugins/icr/Text.properties");
        try (InputStream in = Files.newInputStream(properties)) {
            text.load(in);
        }
        ResourceBundle words = ResourceBundle.getBundle("io.jenkins.plugins.icr.Text", Locale.ROOT);
        List<String> rows = Files.readAllLines(sources.resolveSibling("docs").resolve("troubleshooting.md"));
        List<String> unnamed = new ArrayList<>();
        for (String key : text.stringPropertyNames()) {
            Matcher token = FrontEnd.OPTION.matcher(text.getProperty(key));
            String row = rows.stream().filter(r -> r.startsWith("| `" + key + "` |")).findFirst().orElse("");
            while (token.find()) {
                for (FrontEnd frontEnd : FrontEnd.values()) {
                    String phrase = frontEnd.phrase(token.group(1), token.group(2), words);
                    if (!row.contains(phrase)) {
                        unnamed.add(key + ": " + phrase);
                    }
                }
            }
        }
        assertEquals(List.of(), unnamed.stream().sorted().toList(),
                "rows that do not name an option as each front end does");
    }
}
