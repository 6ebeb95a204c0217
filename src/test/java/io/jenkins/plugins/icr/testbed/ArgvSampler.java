package io.jenkins.plugins.icr.testbed;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * Reads {@code /proc/*}{@code /cmdline} and {@code /proc/*}{@code /environ} over and over while a login runs, and
 * remembers every process whose arguments or environment held a secret: what any user of the machine could see.
 */
public final class ArgvSampler implements AutoCloseable {

    private final Supplier<? extends Collection<String>> secrets;
    private final Set<String> hits = new ConcurrentSkipListSet<>();
    private final AtomicInteger samples = new AtomicInteger();
    private final Thread thread;
    private volatile boolean running = true;

    private ArgvSampler(Supplier<? extends Collection<String>> secrets) {
        this.secrets = secrets;
        this.thread = new Thread(this::loop, "argv-sampler");
        thread.setDaemon(true);
        thread.start();
    }

    public static ArgvSampler watch(String... secrets) {
        List<String> fixed = List.of(secrets);
        return new ArgvSampler(() -> fixed);
    }

    /**
     * Watches for secrets that are made while it samples, such as the IAM tokens a login and its renewals get: the
     * supplier is asked again at every round over {@code /proc}.
     */
    public static ArgvSampler watch(Supplier<? extends Collection<String>> secrets) {
        return new ArgvSampler(secrets);
    }

    private void loop() {
        long self = ProcessHandle.current().pid();
        while (running) {
            List<byte[]> round = secrets.get().stream().map(s -> s.getBytes(StandardCharsets.UTF_8)).toList();
            try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
                procs.filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit))
                        .filter(p -> !p.getFileName().toString().equals(Long.toString(self)))
                        .forEach(proc -> inspect(proc, round));
            } catch (IOException e) {
                // /proc changes under our feet; the next round reads it again.
            }
            samples.incrementAndGet();
        }
    }

    private void inspect(Path proc, List<byte[]> secrets) {
        for (String part : List.of("cmdline", "environ")) {
            try {
                byte[] content = Files.readAllBytes(proc.resolve(part));
                for (byte[] secret : secrets) {
                    if (indexOf(content, secret) >= 0) {
                        hits.add(proc.getFileName() + "/" + part + ": "
                                + new String(Files.readAllBytes(proc.resolve("cmdline")), StandardCharsets.UTF_8)
                                        .replace('\0', ' ').replace(new String(secret, StandardCharsets.UTF_8), "****"));
                    }
                }
            } catch (IOException e) {
                // The process ended, or is another user's: nothing to read.
            }
        }
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    /** How many full rounds over {@code /proc} were made. */
    public int samples() {
        return samples.get();
    }

    /** The processes seen holding a secret, the secret itself masked. */
    public Set<String> hits() {
        return Set.copyOf(hits);
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.join(5000);
    }
}
