package io.jenkins.plugins.icr.iam;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * How often and how long IAM calls are retried on 429 and 5xx: exponential backoff with jitter, {@code
 * Retry-After} honoured, and never beyond {@code budget} in all, so that a login fails in bounded time.
 *
 * @param attempts requests made at most, the first included
 * @param firstDelay the delay before the second request; it doubles each time, up to {@code maxDelay}
 * @param budget the longest a whole exchange may spend waiting and retrying
 */
public record Retry(int attempts, Duration firstDelay, Duration maxDelay, Duration budget) {

    /** Four requests in at most a minute, as IBM's SDKs retry. */
    public static final Retry DEFAULT = new Retry(4, Duration.ofSeconds(1), Duration.ofSeconds(16), Duration.ofSeconds(60));
    public static final Retry NONE = new Retry(1, Duration.ZERO, Duration.ZERO, Duration.ZERO);

    public Retry {
        if (attempts < 1) {
            throw new IllegalArgumentException("at least one attempt");
        }
    }

    /**
     * How long to wait before the next request, or empty when there is none: attempts used up, or the wait (IAM's
     * {@code Retry-After} when it sent one) would not fit in what is left of the budget.
     */
    Optional<Duration> delay(int attemptsMade, Optional<Duration> retryAfter, Duration budgetLeft) {
        if (attemptsMade >= attempts) {
            return Optional.empty();
        }
        Duration wait = retryAfter.orElseGet(() -> jittered(attemptsMade));
        return wait.compareTo(budgetLeft) > 0 ? Optional.empty() : Optional.of(wait);
    }

    /** Between half and all of the exponential delay, so that many builds refused at once do not return at once. */
    private Duration jittered(int attemptsMade) {
        long exponential = firstDelay.toMillis() << Math.min(attemptsMade - 1, 20);
        long capped = Math.min(exponential, maxDelay.toMillis());
        return Duration.ofMillis(capped / 2 + ThreadLocalRandom.current().nextLong(capped / 2 + 1));
    }
}
