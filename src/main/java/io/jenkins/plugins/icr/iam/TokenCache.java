package io.jenkins.plugins.icr.iam;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutionException;

/**
 * IAM access tokens per API key and endpoint, reused while fresh (see {@link AccessToken#freshAt}) and fetched
 * <em>single-flight</em>: however many builds ask at once for a token of one key, IAM gets one request. A failure
 * reaches the callers that waited for it and is not kept: the next call asks IAM again.
 *
 * <p>Entries are keyed by a SHA-256 of endpoint and key, so the cache holds no key. One instance per JVM is
 * meant to be shared; it is thread-safe.
 */
public final class TokenCache {

    private final ConcurrentMap<String, CompletableFuture<AccessToken>> tokens = new ConcurrentHashMap<>();
    private final Clock clock;

    public TokenCache() {
        this(Clock.systemUTC());
    }

    TokenCache(Clock clock) {
        this.clock = clock;
    }

    /** A fresh token for this key from {@code iam}: the cached one, the one being fetched, or a new one. */
    public AccessToken token(IamClient iam, String apiKey) throws IamException, InterruptedException {
        return token(iam, apiKey, null);
    }

    /**
     * A token for this key that outlives {@code old}: the cached one if it does and is fresh, the one being fetched,
     * or a new one. A login renewing itself asks this, so that all the blocks that renew one key at about the same
     * moment share one IAM call, and none gets back the token it is replacing.
     */
    public AccessToken renewal(IamClient iam, String apiKey, AccessToken old) throws IamException, InterruptedException {
        return token(iam, apiKey, old);
    }

    private AccessToken token(IamClient iam, String apiKey, AccessToken old) throws IamException, InterruptedException {
        return token(key(iam.endpoint(), apiKey), () -> iam.exchange(apiKey), old);
    }

    /** One IAM call that makes a token: an API key's exchange, a trusted profile's. */
    @FunctionalInterface
    interface Exchange {
        AccessToken get() throws IamException, InterruptedException;
    }

    /**
     * A fresh token under {@code key} (a digest of whatever the token was made from, never a secret itself) that
     * outlives {@code old}, made by {@code exchange} when none is cached or being made.
     */
    AccessToken token(String key, Exchange exchange, AccessToken old) throws IamException, InterruptedException {
        while (true) {
            CompletableFuture<AccessToken> mine = new CompletableFuture<>();
            CompletableFuture<AccessToken> current = tokens.compute(key, (k, existing) -> existing != null
                    && (!existing.isDone() || fresh(existing) && outlives(existing, old)) ? existing : mine);
            if (current == mine) {
                return fetch(exchange, key, mine);
            }
            try {
                return current.get();
            } catch (ExecutionException e) {
                if (e.getCause() instanceof IamException failure) {
                    throw new IamException(failure.reason(), failure.getMessage(), failure.requestId().orElse(null),
                            failure);
                }
                if (e.getCause() instanceof RuntimeException bug) {
                    throw bug;
                }
                // The thread that asked IAM was interrupted (its build aborted); this one asks again.
            }
        }
    }

    /** Forgets the key's token, say after the registry refused it. */
    public void invalidate(IamClient iam, String apiKey) {
        tokens.remove(key(iam.endpoint(), apiKey));
    }

    /** How many tokens are kept: for tests and diagnostics. */
    public int size() {
        return tokens.size();
    }

    private AccessToken fetch(Exchange exchange, String key, CompletableFuture<AccessToken> flight)
            throws IamException, InterruptedException {
        tokens.values().removeIf(f -> f.isDone() && !fresh(f));
        try {
            AccessToken token = exchange.get();
            flight.complete(token);
            return token;
        } catch (IamException | InterruptedException | RuntimeException e) {
            tokens.remove(key, flight);
            flight.completeExceptionally(e);
            throw e;
        }
    }

    private static boolean outlives(CompletableFuture<AccessToken> done, AccessToken old) {
        return old == null || done.join().expiresAt().isAfter(old.expiresAt());
    }

    private boolean fresh(CompletableFuture<AccessToken> done) {
        return !done.isCompletedExceptionally() && done.join().freshAt(clock.instant());
    }

    private static String key(String endpoint, String apiKey) {
        return key(endpoint, apiKey, new String[0]);
    }

    /** A SHA-256 of the parts, each ended by a zero byte, so that no two lists of parts give one key. */
    static String key(String first, String second, String... more) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(first.getBytes(StandardCharsets.UTF_8));
            sha.update((byte) 0);
            for (String part : more) {
                sha.update(part.getBytes(StandardCharsets.UTF_8));
                sha.update((byte) 0);
            }
            return HexFormat.of().formatHex(sha.digest(second.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
