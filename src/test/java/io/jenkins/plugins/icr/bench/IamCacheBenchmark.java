package io.jenkins.plugins.icr.bench;

import io.jenkins.plugins.icr.agent.LocalCommands;
import io.jenkins.plugins.icr.agent.LocalFiles;
import io.jenkins.plugins.icr.iam.IamClient;
import io.jenkins.plugins.icr.iam.TokenCache;
import io.jenkins.plugins.icr.login.Client;
import io.jenkins.plugins.icr.login.LoginCredential;
import io.jenkins.plugins.icr.login.LoginRequest;
import io.jenkins.plugins.icr.login.Session;
import io.jenkins.plugins.icr.login.SessionLog;
import io.jenkins.plugins.icr.testbed.IcrTestbed;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * 100 builds log in at once in bearer mode with one key, as a busy controller would: each gets an IAM token and
 * opens and closes an auth-file session with it (token check included). Side by side in one run: through the
 * token cache, and with one IAM call per login. The IAM emulator answers after a network-like latency.
 */
public final class IamCacheBenchmark {

    private static final int LOGINS = 100;

    public static void main(String[] args) throws Exception {
        Duration latency = Duration.ofMillis(args.length > 0 ? Long.parseLong(args[0]) : 150);
        try (IcrTestbed testbed = IcrTestbed.start()) {
            testbed.iam().latency(latency);
            IamClient iam = IamClient.builder().endpoint(testbed.iam().baseUrl()).build();
            Path base = testbed.newFolder("bench-iam");
            System.out.printf("%d concurrent bearer-mode logins with one key; IAM answers in %d ms%n%n", LOGINS,
                    latency.toMillis());
            System.out.printf("%-22s %10s %16s %16s%n", "", "IAM calls", "tokens only ms", "whole logins ms");
            String cachedKey = testbed.newApiKey();
            String directKey = testbed.newApiKey();
            // Interleaved, best of two rounds each, so that neither side always runs first on a cold JVM.
            long[][] cached = new long[2][2];
            long[][] direct = new long[2][2];
            for (int round = 0; round < 2; round++) {
                for (int whole = 0; whole < 2; whole++) {
                    TokenCache cache = new TokenCache();
                    cached[whole][round] = logins(testbed, base, whole == 1, () -> cache.token(iam, cachedKey).token());
                    direct[whole][round] = logins(testbed, base, whole == 1, () -> iam.exchange(directKey).token());
                }
            }
            int cachedCalls = testbed.iam().requestCount(cachedKey) / 4;
            int directCalls = testbed.iam().requestCount(directKey) / 4;
            System.out.printf("%-22s %10d %16d %16d%n", "with the token cache", cachedCalls, best(cached[0]),
                    best(cached[1]));
            System.out.printf("%-22s %10d %16d %16d%n", "one IAM call a login", directCalls, best(direct[0]),
                    best(direct[1]));
            System.out.printf("%nIAM calls: %dx fewer; tokens: %.1fx faster; whole logins: %.2fx faster%n",
                    directCalls / Math.max(1, cachedCalls), (double) best(direct[0]) / best(cached[0]),
                    (double) best(direct[1]) / best(cached[1]));
        }
    }

    private static long best(long[] rounds) {
        return Math.min(rounds[0], rounds[1]);
    }

    private static long logins(IcrTestbed testbed, Path base, boolean session, Callable<String> token)
            throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(LOGINS);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<?>> done = new ArrayList<>();
            for (int i = 0; i < LOGINS; i++) {
                done.add(threads.submit(() -> {
                    go.await();
                    String accessToken = token.call();
                    if (!session) {
                        return null;
                    }
                    LocalCommands commands = new LocalCommands();
                    LocalFiles files = new LocalFiles();
                    var request = LoginRequest.builder(testbed.host(), LoginCredential.bearer(accessToken),
                            base.toString()).client(Client.AUTH_FILE).caCertificatePem(testbed.pki().caPem()).build();
                    Session.open(request, commands, files, SessionLog.SILENT).close(commands, files, SessionLog.SILENT);
                    return null;
                }));
            }
            long start = System.nanoTime();
            go.countDown();
            for (Future<?> f : done) {
                f.get(5, TimeUnit.MINUTES);
            }
            return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        } finally {
            threads.shutdownNow();
        }
    }
}
