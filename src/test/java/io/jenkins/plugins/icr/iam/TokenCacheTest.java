package io.jenkins.plugins.icr.iam;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.jenkins.plugins.icr.testbed.IamEmulator;
import io.jenkins.plugins.icr.testbed.IamEmulator.Fault;
import io.jenkins.plugins.icr.testbed.MovableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** One IAM call per key per token life, however many builds ask at once; failures are not kept. */
class TokenCacheTest {

    private final MovableClock clock = new MovableClock(Instant.now());
    private IamEmulator iam;
    private IamClient client;
    private TokenCache cache;

    @BeforeEach
    void start() throws Exception {
        iam = IamEmulator.start();
        client = IamClient.builder().endpoint(iam.baseUrl()).retry(Retry.NONE).clock(clock).build();
        cache = new TokenCache(clock);
    }

    @AfterEach
    void stop() {
        iam.close();
    }

    @Test
    void aHundredConcurrentLoginsMakeOneIamCallPerKey() throws Exception {
        String first = iam.createApiKey(IamEmulator.Identity.serviceId("one", "acct"));
        String second = iam.createApiKey(IamEmulator.Identity.serviceId("two", "acct"));
        iam.enqueue(new Fault.Slow(Duration.ofMillis(300))); // keeps the first call in flight while the rest arrive
        ExecutorService threads = Executors.newFixedThreadPool(100);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<String>> tokens = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                String key = i % 10 == 9 ? second : first;
                tokens.add(threads.submit(() -> {
                    go.await();
                    return cache.token(client, key).token();
                }));
            }
            go.countDown();
            Set<String> distinct = ConcurrentHashMap.newKeySet();
            for (Future<String> token : tokens) {
                distinct.add(token.get(60, TimeUnit.SECONDS));
            }
            assertEquals(1, iam.requestCount(first));
            assertEquals(1, iam.requestCount(second));
            assertEquals(2, distinct.size());
        } finally {
            threads.shutdownNow();
        }
    }

    @Test
    void aTokenIsReusedFor80PercentOfItsLifeAndNeverWithin10SecondsOfItsExpiry() throws Exception {
        String key = iam.createApiKey(IamEmulator.Identity.serviceId("renew", "acct"));
        iam.tokenLifetime(Duration.ofSeconds(100));
        AccessToken first = cache.token(client, key);
        clock.advance(Duration.ofSeconds(79));
        assertSame(first, cache.token(client, key));
        clock.advance(Duration.ofSeconds(2));
        assertNotEquals(first.token(), cache.token(client, key).token());
        assertEquals(2, iam.requestCount(key));

        iam.tokenLifetime(Duration.ofSeconds(30)); // 80% is 24 s, but 10 s before expiry comes first, at 20 s
        cache.invalidate(client, key);
        AccessToken shortLived = cache.token(client, key);
        clock.advance(Duration.ofSeconds(21));
        assertNotEquals(shortLived.token(), cache.token(client, key).token());
        assertEquals(4, iam.requestCount(key));
    }

    @Test
    void aFailureReachesItsCallersButIsNotKept() throws Exception {
        String key = iam.createApiKey(IamEmulator.Identity.serviceId("later", "acct"));
        iam.enqueue(new Fault.ServerError(503));
        assertThrows(IamException.class, () -> cache.token(client, key));
        cache.token(client, key);
        assertEquals(2, iam.requestCount(key));
        assertEquals(1, cache.size());
    }

    @Test
    void theSameKeyAtAnotherEndpointIsAnotherEntry() throws Exception {
        String key = iam.createApiKey(IamEmulator.Identity.serviceId("twice", "acct"));
        IamClient sameIamOtherName = IamClient.builder().endpoint(iam.baseUrl().replace("127.0.0.1", "localhost"))
                .retry(Retry.NONE).clock(clock).build();
        cache.token(client, key);
        cache.token(sameIamOtherName, key);
        assertEquals(2, iam.requestCount(key));
    }
}
