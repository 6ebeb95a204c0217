package io.jenkins.plugins.icr.login;

import io.jenkins.plugins.icr.Text;
import io.jenkins.plugins.icr.iam.AccessToken;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Keeps a bearer login fresh while its block runs: when the token reaches the point where IBM's SDKs renew (80% of
 * its life, 10 seconds before expiry at the latest), it asks for a new one and logs the session in again with it.
 * IAM's answers come from the token cache, so all the blocks that use one key at that moment share one IAM call.
 *
 * <p>A renewal that fails (IAM unavailable, the agent unreachable) says so in the block's log and is tried again
 * until it works or the block ends; the login only stops working when the token has really expired. {@link #close}
 * stops it for good: no task of it runs or is scheduled after that.
 */
public final class LoginRenewal implements AutoCloseable {

    /** How long to wait before trying a failed renewal again: at most, and at least. */
    static final Duration RETRY = Duration.ofSeconds(30);
    private static final Duration SOONEST = Duration.ofSeconds(1);
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC);

    /**
     * A token that outlives {@code old}, as {@link io.jenkins.plugins.icr.iam.TokenCache#renewal} gives it: one IAM
     * call for every block that renews one key at about the same moment.
     */
    @FunctionalInterface
    public interface Tokens {
        AccessToken after(AccessToken old) throws IOException, InterruptedException;
    }

    /** Logs the session in again with the token: its auth files rewritten, or its client's login run again. */
    @FunctionalInterface
    public interface Relogin {
        void with(AccessToken token) throws IOException, InterruptedException;
    }

    private final ScheduledExecutorService timer;
    private final Tokens tokens;
    private final Relogin relogin;
    private final String host;
    private final SessionLog log;
    private final Clock clock;
    private AccessToken current;
    private ScheduledFuture<?> next;
    private boolean closed;

    private LoginRenewal(ScheduledExecutorService timer, AccessToken current, Tokens tokens, Relogin relogin,
            String host, SessionLog log, Clock clock) {
        this.timer = timer;
        this.current = current;
        this.tokens = tokens;
        this.relogin = relogin;
        this.host = host;
        this.log = log;
        this.clock = clock;
    }

    /**
     * Schedules the renewals of a login made with {@code current}.
     *
     * @param timer where the renewals run; they never block it for longer than one IAM call and one login
     */
    public static LoginRenewal start(ScheduledExecutorService timer, AccessToken current, Tokens tokens,
            Relogin relogin, String host, SessionLog log) {
        return start(timer, current, tokens, relogin, host, log, Clock.systemUTC());
    }

    static LoginRenewal start(ScheduledExecutorService timer, AccessToken current, Tokens tokens, Relogin relogin,
            String host, SessionLog log, Clock clock) {
        LoginRenewal renewal = new LoginRenewal(timer, current, tokens, relogin, host, log, clock);
        renewal.scheduleAt(current.renewAt());
        return renewal;
    }

    /**
     * Renews a login whose token is not known (the process that made it restarted): at once, in the calling thread,
     * so that what the block does next already has a fresh login; then as {@link #start} does. A first attempt that
     * fails is retried from the timer.
     */
    public static LoginRenewal resume(ScheduledExecutorService timer, Tokens tokens, Relogin relogin, String host,
            SessionLog log) {
        LoginRenewal renewal = new LoginRenewal(timer, null, tokens, relogin, host, log, Clock.systemUTC());
        renewal.renew();
        return renewal;
    }

    /** The token the session is logged in with now; {@code null} after {@link #resume} until it has renewed. */
    public synchronized AccessToken current() {
        return current;
    }

    private synchronized void scheduleAt(Instant when) {
        if (!closed) {
            long delay = Math.max(0, Duration.between(clock.instant(), when).toMillis());
            next = timer.schedule(this::renew, delay, TimeUnit.MILLISECONDS);
        }
    }

    private void renew() {
        AccessToken was = current();
        try {
            AccessToken token = tokens.after(was);
            if (was != null && !token.expiresAt().isAfter(was.expiresAt())) {
                throw new IOException(Text.get("renewal.sameToken"));
            }
            synchronized (this) {
                if (closed) {
                    return;
                }
                relogin.with(token);
                current = token;
            }
            log.info(Text.get("renewal.done", host, TIME.format(token.expiresAt())));
            scheduleAt(token.renewAt());
        } catch (IOException | RuntimeException e) {
            retryAfter(was, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // the timer is shutting down: so is the block
        }
    }

    private void retryAfter(AccessToken was, Exception failure) {
        Instant now = clock.instant();
        String why = failure.getMessage();
        if (was == null) {
            log.warn(Text.get("renewal.resumeFailed", host, why, RETRY.toSeconds()));
            scheduleAt(now.plus(RETRY));
        } else if (now.isBefore(was.expiresAt())) {
            Duration left = Duration.between(now, was.expiresAt());
            Duration half = left.dividedBy(2);
            Duration wait = half.compareTo(RETRY) > 0 ? RETRY : half.compareTo(SOONEST) < 0 ? SOONEST : half;
            log.warn(Text.get("renewal.failed", host, why, TIME.format(was.expiresAt()), wait.toSeconds()));
            scheduleAt(now.plus(wait));
        } else {
            log.warn(Text.get("renewal.expired", host, TIME.format(was.expiresAt()), why, RETRY.toSeconds()));
            scheduleAt(now.plus(RETRY));
        }
    }

    /** Stops the renewals: a running one finishes its login, and nothing runs after it. */
    @Override
    public synchronized void close() {
        closed = true;
        if (next != null) {
            next.cancel(false);
        }
    }
}
