package io.jenkins.plugins.icr.testbed;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Run after the whole suite ({@code verify}): greps every file the suite wrote (test output, reports, failure
 * messages) for every secret in the ledger, in each form a log could show: as is, as the base64 {@code user:secret}
 * of auth files and Basic headers, and JSON-escaped. It names the file and the form, never the secret.
 *
 * <p>Arguments: the ledger file, then the folders to search.
 */
public final class SecretsInOutput {

    private SecretsInOutput() {}

    public static void main(String[] args) throws IOException {
        Path ledger = Path.of(args[0]);
        Set<String> secrets = Files.exists(ledger) ? new LinkedHashSet<>(Files.readAllLines(ledger)) : Set.of();
        List<Path> files = new ArrayList<>();
        for (int i = 1; i < args.length; i++) {
            if (!Files.isDirectory(Path.of(args[i]))) {
                continue; // the integration tests' reports, when they were skipped
            }
            try (Stream<Path> walk = Files.walk(Path.of(args[i]))) {
                walk.filter(Files::isRegularFile).forEach(files::add);
            }
        }
        List<String> hits = search(secrets, files);
        System.out.printf("secrets-in-output: %d secrets in %d forms, searched %d files: %d hits%n", secrets.size(),
                secrets.stream().mapToInt(s -> forms(s).size()).sum(), files.size(), hits.size());
        hits.forEach(hit -> System.out.println("  " + hit));
        if (secrets.isEmpty() || files.isEmpty() || !hits.isEmpty()) {
            throw new AssertionError(hits.isEmpty() ? "nothing to check: the ledger or the output is empty"
                    : hits.size() + " secrets reached the suite's output");
        }
    }

    /** Where a secret shows, as "file: form of secret #n". */
    static List<String> search(Set<String> secrets, List<Path> files) throws IOException {
        List<String> hits = new ArrayList<>();
        List<String> list = List.copyOf(secrets);
        for (Path file : files) {
            String text = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
            for (int n = 0; n < list.size(); n++) {
                for (Map.Entry<String, String> form : forms(list.get(n)).entrySet()) {
                    if (text.contains(form.getValue())) {
                        hits.add(file + ": " + form.getKey() + " of secret #" + (n + 1));
                    }
                }
            }
        }
        return hits;
    }

    static Map<String, String> forms(String secret) {
        Map<String, String> forms = new LinkedHashMap<>();
        forms.put("the secret", secret);
        forms.put("base64 iamapikey:secret", base64("iamapikey:" + secret));
        forms.put("base64 iambearer:secret", base64("iambearer:" + secret));
        String escaped = secret.replace("\\", "\\\\").replace("\"", "\\\"");
        if (!escaped.equals(secret)) {
            forms.put("JSON-escaped secret", escaped);
        }
        return forms;
    }

    private static String base64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }
}
