package io.jenkins.plugins.icr.bench;

import io.jenkins.plugins.icr.testbed.IcrTestbed;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The packaged icr-login as a process, against the raw shell idiom, side by side in one run on the testbed: wall
 * times of {@code icr-login --client auth-file -- true} (its token check included), {@code icr-login --client skopeo
 * -- true}, and {@code echo "$KEY" | skopeo login --password-stdin} + {@code skopeo logout}, rounds interleaved so
 * that drift hits all alike. {@code icr-login --version} shows what the JVM's start alone costs, and {@code java
 * -jar} what the launcher's choices (the start-up archive, the JVM's flags) save. Not a test: it prints medians and
 * the two ratios, and asserts nothing.
 *
 * <p>Arguments: the launcher, the rounds (default 15), and optionally the jar of an earlier icr-login to compare,
 * run as {@code java -cp JAR io.jenkins.plugins.icr.cli.IcrLogin}.
 */
public final class CliBenchmark {

    private static final int WARMUP = 3;

    private final IcrTestbed testbed;
    private final Path launcher;
    private final Path work;
    private final Map<String, String> env;
    private final Path earlier;

    private CliBenchmark(IcrTestbed testbed, Path launcher, Path earlier) throws IOException {
        this.testbed = testbed;
        this.launcher = launcher;
        this.earlier = earlier;
        this.work = testbed.newFolder("cli-bench");
        Files.copy(testbed.pki().caCertificate(), Files.createDirectories(work.resolve("certs")).resolve("ca.crt"));
        this.env = Map.of("PATH", System.getenv("PATH"), "JAVA_HOME", System.getProperty("java.home"),
                "HOME", Files.createDirectories(work.resolve("home")).toString(),
                "TMPDIR", Files.createDirectories(work.resolve("tmp")).toString(),
                "KEY", testbed.newApiKey());
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 15;
        try (IcrTestbed testbed = IcrTestbed.start()) {
            new CliBenchmark(testbed, Path.of(args[0]), args.length > 2 && !args[2].isBlank() ? Path.of(args[2]) : null)
                    .run(rounds);
        }
    }

    private void run(int rounds) throws Exception {
        System.out.printf("icr-login as a process on the ICR testbed (%s, token auth, TLS)%n", testbed.host());
        System.out.printf("%s, %d cores, Java %s, %s%n", LocalDate.now(), Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.vm.version"), version("skopeo", "--version"));
        System.out.printf("load average before: %s%n", loadAverage());
        long start = System.nanoTime();
        run(icrLogin("auth-file"));
        double first = (System.nanoTime() - start) / 1e6;
        run(icrLogin("auth-file")); // the first run made the cache folder, this one records the classes
        Path archive = work.resolve("home/.cache/icr-login/icr-login.jsa");
        for (int i = 0; i < 600 && !Files.exists(archive); i++) {
            Thread.sleep(100); // the start-up archive is built in the background after the second run
        }
        System.out.printf("first run on this machine (no start-up archive yet): %.0f ms; archive %s%n%n", first,
                Files.exists(archive) ? "built" : "NOT built");

        Samples raw = new Samples();
        Samples authFile = new Samples();
        Samples skopeo = new Samples();
        Samples version = new Samples();
        Samples plainAuthFile = new Samples();
        Samples plainSkopeo = new Samples();
        Samples earlierAuthFile = new Samples();
        Samples earlierSkopeo = new Samples();
        for (int i = 0; i < WARMUP + rounds; i++) {
            boolean keep = i >= WARMUP;
            raw.time(keep, () -> run(rawPair()));
            authFile.time(keep, () -> run(icrLogin("auth-file")));
            skopeo.time(keep, () -> run(icrLogin("skopeo")));
            version.time(keep, () -> run(List.of(launcher.toString(), "--version")));
            plainAuthFile.time(keep, () -> run(plainJava(icrLogin("auth-file"))));
            plainSkopeo.time(keep, () -> run(plainJava(icrLogin("skopeo"))));
            if (earlier != null) {
                earlierAuthFile.time(keep, () -> run(earlier(icrLogin("auth-file"))));
                earlierSkopeo.time(keep, () -> run(earlier(icrLogin("skopeo"))));
            }
        }
        System.out.printf("%d rounds after %d warm-up, interleaved; wall time of each process, ms%n", rounds, WARMUP);
        System.out.printf("%-58s %8s %8s %10s%n", "", "min", "median", "/ raw pair");
        print("raw pair: echo $KEY | skopeo login --password-stdin; logout", raw, raw);
        print("icr-login --client auth-file -- true (token check)", authFile, raw);
        print("icr-login --client skopeo -- true", skopeo, raw);
        print("icr-login --version (launcher and JVM start only)", version, raw);
        print("java -jar icr-login.jar --client auth-file -- true", plainAuthFile, raw);
        print("java -jar icr-login.jar --client skopeo -- true", plainSkopeo, raw);
        if (earlier != null) {
            print("earlier: java -cp JAR IcrLogin --client auth-file -- true", earlierAuthFile, raw);
            print("earlier: java -cp JAR IcrLogin --client skopeo -- true", earlierSkopeo, raw);
        }
        System.out.printf("%ngoals: auth-file / raw <= 1.00 (%.2f), skopeo / raw <= 1.50 (%.2f)%n",
                authFile.median() / raw.median(), skopeo.median() / raw.median());
        System.out.printf("load average after: %s%n", loadAverage());
    }

    private static void print(String what, Samples samples, Samples raw) {
        System.out.printf("%-58s %8.1f %8.1f %9.2fx%n", what, samples.min(), samples.median(),
                samples.median() / raw.median());
    }

    private List<String> icrLogin(String client) {
        return List.of(launcher.toString(), "--region", testbed.host(), "--custom-host", "--client", client,
                "--ca-file", testbed.pki().caCertificate().toString(), "--key-env", "KEY", "--", "true");
    }

    /** The same run without the launcher's choices: no start-up archive, the JVM's default compilers and collector. */
    private List<String> plainJava(List<String> icrLogin) {
        List<String> argv = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", launcher.getParent().resolveSibling("lib").resolve("icr-login.jar").toString()));
        argv.addAll(icrLogin.subList(1, icrLogin.size()));
        return argv;
    }

    /** An earlier icr-login, as issue 11 ran it: {@code java -cp} its classes and libraries, the JVM's defaults. */
    private List<String> earlier(List<String> icrLogin) {
        List<String> argv = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", earlier.toString(), "io.jenkins.plugins.icr.cli.IcrLogin"));
        argv.addAll(icrLogin.subList(1, icrLogin.size()));
        return argv;
    }

    /** The idiom people paste into shell steps, made safe enough to compare: its own auth file, the key on stdin. */
    private List<String> rawPair() {
        String authFile = "\"$TMPDIR/raw-$$.json\"";
        String host = testbed.host();
        return List.of("sh", "-c", "echo \"$KEY\" | skopeo login --authfile " + authFile + " --cert-dir " + work
                + "/certs -u iamapikey --password-stdin " + host + " >/dev/null && skopeo logout --authfile " + authFile
                + " " + host + " >/dev/null && rm -f " + authFile);
    }

    /** Runs the process to its end, which must be a success. */
    private void run(List<String> argv) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(argv).redirectErrorStream(true)
                .redirectOutput(work.resolve("output").toFile());
        builder.environment().clear();
        builder.environment().putAll(env);
        Process process = builder.start();
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            process.destroyForcibly();
            throw new IllegalStateException(argv.get(0) + " failed: " + Files.readString(work.resolve("output")));
        }
    }

    private String version(String... argv) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(argv).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes()).strip();
        process.waitFor();
        return out;
    }

    private static String loadAverage() throws IOException {
        return String.join(" ", List.of(Files.readString(Path.of("/proc/loadavg")).split(" ")).subList(0, 3));
    }
}
