package io.jenkins.plugins.icr.harness;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.jar.Manifest;

/**
 * Writes what maven-hpi-plugin writes for the Jenkins Test Harness, for the offline build, which has no
 * maven-hpi-plugin: {@code the.hpl}, the manifest of the plugin under test (hpi's {@code test-hpl}), and
 * {@code test-dependencies/}, every plugin on the test classpath as {@code <short-name>.hpi} with its {@code index}
 * (hpi's {@code resolve-test-dependencies}).
 *
 * <p>A plugin is a classpath jar whose manifest has a {@code Short-Name}; its archive is the {@code .hpi} at the same
 * path in the Jenkins lab's Maven repository as the jar has in the local one. A plugin jar without that archive fails
 * the build, since the harness would otherwise start Jenkins without it and every test would fail obscurely.
 */
public final class HarnessFiles {

    private HarnessFiles() {
    }

    /**
     * Arguments, each {@code name=value}: {@code testClasses}, {@code classes}, {@code resources}, {@code webapp},
     * {@code tmp}, {@code directClasspath} (a file: the direct dependencies' classpath), {@code testClasspath} (a file: the whole
     * test classpath), {@code localRepository}, {@code labRepository}, {@code shortName}, {@code longName},
     * {@code version}, {@code jenkinsVersion}.
     */
    public static void main(String[] args) throws IOException {
        Map<String, String> a = new LinkedHashMap<>();
        for (String arg : args) {
            int eq = arg.indexOf('=');
            if (eq < 0) {
                throw new IllegalArgumentException("expected name=value, got " + arg);
            }
            a.put(arg.substring(0, eq), arg.substring(eq + 1));
        }
        Path testClasses = Path.of(need(a, "testClasses"));
        Files.createDirectories(testClasses);
        // The tests' java.io.tmpdir: the harness and JUnit's @TempDir need it to exist before the JVM starts.
        Files.createDirectories(Path.of(need(a, "tmp")));
        List<Plugin> direct = plugins(classpath(Path.of(need(a, "directClasspath"))));
        writeHpl(testClasses.resolve("the.hpl"), a, direct);
        Path localRepository = Path.of(need(a, "localRepository")).toAbsolutePath().normalize();
        Path labRepository = Path.of(need(a, "labRepository")).toAbsolutePath().normalize();
        List<Plugin> all = plugins(classpath(Path.of(need(a, "testClasspath"))));
        writeTestDependencies(testClasses.resolve("test-dependencies"), all, localRepository, labRepository);
        System.out.println("[harness] the.hpl with " + direct.size() + " plugin dependencies; test-dependencies with "
                + all.size() + " plugins");
    }

    private static String need(Map<String, String> args, String name) {
        String value = args.get(name);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("missing argument " + name + "=...");
        }
        return value;
    }

    private static String folder(Map<String, String> args, String name) {
        return Path.of(need(args, name)).toAbsolutePath().normalize().toString();
    }

    private static List<Path> classpath(Path file) throws IOException {
        List<Path> jars = new ArrayList<>();
        for (String entry : Files.readString(file, StandardCharsets.UTF_8).trim().split(java.io.File.pathSeparator)) {
            if (entry.endsWith(".jar")) {
                jars.add(Path.of(entry));
            }
        }
        return jars;
    }

    /** A plugin on the classpath: its jar and the manifest attributes that name it. */
    record Plugin(Path jar, String shortName, String version) {
    }

    static List<Plugin> plugins(List<Path> jars) throws IOException {
        List<Plugin> plugins = new ArrayList<>();
        for (Path jar : jars) {
            try (JarFile file = new JarFile(jar.toFile())) {
                Manifest manifest = file.getManifest();
                if (manifest == null) {
                    continue;
                }
                Attributes main = manifest.getMainAttributes();
                String shortName = main.getValue("Short-Name");
                if (shortName != null) {
                    plugins.add(new Plugin(jar, shortName, main.getValue("Plugin-Version")));
                }
            }
        }
        return plugins;
    }

    private static void writeHpl(Path hpl, Map<String, String> a, List<Plugin> direct) throws IOException {
        Manifest manifest = new Manifest();
        Attributes main = manifest.getMainAttributes();
        main.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        main.putValue("Short-Name", need(a, "shortName"));
        main.putValue("Long-Name", need(a, "longName"));
        main.putValue("Plugin-Version", need(a, "version"));
        main.putValue("Jenkins-Version", need(a, "jenkinsVersion"));
        List<String> dependencies = new ArrayList<>();
        for (Plugin plugin : direct) {
            dependencies.add(plugin.shortName() + ":" + plugin.version());
        }
        main.putValue("Plugin-Dependencies", String.join(",", dependencies));
        // As hpi's test-hpl: the resources before the classes, so that a resource is read from the sources.
        main.putValue("Libraries", folder(a, "resources") + "," + folder(a, "classes"));
        main.putValue("Resource-Path", folder(a, "webapp"));
        try (OutputStream out = Files.newOutputStream(hpl)) {
            manifest.write(out);
        }
    }

    private static void writeTestDependencies(Path folder, List<Plugin> plugins, Path localRepository,
            Path labRepository) throws IOException {
        Files.createDirectories(folder);
        StringBuilder index = new StringBuilder();
        for (Plugin plugin : plugins) {
            Path jar = plugin.jar().toAbsolutePath().normalize();
            if (!jar.startsWith(localRepository)) {
                throw new IOException("plugin " + plugin.shortName() + " is not in the local repository: " + jar);
            }
            String archive = localRepository.relativize(jar).toString().replaceAll("\\.jar$", ".hpi");
            Path hpi = labRepository.resolve(archive);
            if (!Files.isRegularFile(hpi)) {
                throw new IOException("plugin " + plugin.shortName() + " has no archive in the Jenkins lab: " + hpi);
            }
            Path target = folder.resolve(plugin.shortName() + ".hpi");
            if (!Files.exists(target) || Files.size(target) != Files.size(hpi)) {
                Files.copy(hpi, target, StandardCopyOption.REPLACE_EXISTING);
            }
            index.append(plugin.shortName()).append('\n');
        }
        Files.writeString(folder.resolve("index"), index.toString(), StandardCharsets.UTF_8);
    }
}
