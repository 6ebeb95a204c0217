package io.jenkins.plugins.icr.iam;

import com.fasterxml.jackson.databind.JsonNode;
import io.jenkins.plugins.icr.FrontEnd;
import io.jenkins.plugins.icr.Text;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import okhttp3.Response;

/**
 * One answer of IAM's token endpoint, read: the token, or what went wrong in words a user can act on. IAM errors
 * come as {@code {"errorCode","errorMessage","errorDetails","context":{"requestId"}}} or, from other IAM APIs, as
 * {@code {"errors":[{"code","message"}],"trace"}}; both are read.
 */
final class IamAnswer {

    private final String endpoint;
    private final int status;
    private final JsonNode json;
    private final Optional<String> requestId;
    private final Optional<Duration> retryAfter;
    private final Optional<String> location;
    private final String apiKey;
    private final FrontEnd frontEnd;
    private final Refusal refusal;

    /**
     * What a refusal (a 4xx with IAM's code and words) means for the grant that was asked for: an API key's refusal
     * and a trusted profile's need different advice.
     */
    @FunctionalInterface
    interface Refusal {
        /** The API key grant's: BXNIM0415E is a key IAM does not know. */
        Refusal API_KEY = (endpoint, status, code, what) -> code.filter("BXNIM0415E"::equals).isPresent()
                ? new Said(IamException.Reason.KEY_NOT_FOUND, Text.get("iam.keyNotFound", endpoint, what))
                : new Said(IamException.Reason.REJECTED, Text.get("iam.rejected", endpoint, status, what));

        Said said(String endpoint, int status, Optional<String> code, String what);
    }

    /** Why, and the sentence that says what to do. */
    record Said(IamException.Reason reason, String message) {}

    private IamAnswer(String endpoint, Response response, JsonNode json, Optional<String> requestId, String apiKey,
            FrontEnd frontEnd, Refusal refusal) {
        this.endpoint = endpoint;
        this.status = response.code();
        this.json = json;
        this.requestId = requestId;
        this.retryAfter = retryAfter(response.header("Retry-After"));
        this.location = Optional.ofNullable(response.header("Location"));
        this.apiKey = apiKey;
        this.frontEnd = frontEnd;
        this.refusal = refusal;
    }

    /**
     * @param apiKey the secret sent (an API key, a compute resource token), only to redact it, should IAM echo it
     * @param frontEnd whose words a failure uses to say where a setting is made
     */
    static IamAnswer of(String endpoint, Response response, String body, String apiKey, FrontEnd frontEnd,
            Refusal refusal) {
        JsonNode json = IamClient.parse(body);
        Optional<String> requestId = text(json.path("context").path("requestId"))
                .or(() -> text(json.path("trace")))
                .or(() -> Optional.ofNullable(response.header("Transaction-Id")))
                .or(() -> Optional.ofNullable(response.header("X-Request-ID")));
        return new IamAnswer(endpoint, response, json, requestId, apiKey, frontEnd, refusal);
    }

    boolean successful() {
        return status >= 200 && status < 300;
    }

    boolean retryable() {
        return status == 429 || status >= 500;
    }

    Optional<Duration> retryAfter() {
        return retryAfter;
    }

    /** The token of a 200 answer; IAM states its life both ways, and {@code expires_in} is immune to clock skew. */
    AccessToken token(Instant sent) throws IamException {
        Optional<String> token = text(json.path("access_token"));
        JsonNode expiresIn = json.path("expires_in");
        JsonNode expiration = json.path("expiration");
        if (token.isEmpty() || !expiresIn.canConvertToLong() && !expiration.canConvertToLong()) {
            throw failure(IamException.Reason.MALFORMED_ANSWER, Text.get("iam.malformed", endpoint, status));
        }
        Instant expires = expiresIn.canConvertToLong() ? sent.plusSeconds(expiresIn.asLong())
                : Instant.ofEpochSecond(expiration.asLong());
        return new AccessToken(token.get(), sent, expires);
    }

    IamException failure(int attempts) {
        if (status >= 300 && status < 400) {
            return failure(IamException.Reason.REJECTED,
                    Text.get("iam.redirected", endpoint, status, location.orElse("?")));
        }
        if (status == 407) {
            return failure(IamException.Reason.UNREACHABLE, Text.get(frontEnd, "iam.proxyAuth", endpoint));
        }
        if (status == 429) {
            String wait = retryAfter.map(d -> Text.get("iam.retryAfter", d.toSeconds())).orElse("");
            return failure(IamException.Reason.RATE_LIMITED,
                    Text.get(frontEnd, "iam.rateLimited", endpoint, attempts, wait));
        }
        if (status >= 500) {
            return failure(IamException.Reason.UNAVAILABLE, Text.get("iam.unavailable", endpoint, status, attempts));
        }
        Optional<String> code = text(json.path("errorCode")).or(() -> text(json.path("errors").path(0).path("code")));
        Optional<String> said = text(json.path("errorDetails")).or(() -> text(json.path("errorMessage")))
                .or(() -> text(json.path("errors").path(0).path("message")))
                .map(m -> m.replace(apiKey, "****"));
        if (code.isEmpty() && said.isEmpty()) {
            return failure(IamException.Reason.MALFORMED_ANSWER, Text.get("iam.malformed", endpoint, status));
        }
        String what = code.map(c -> c + said.map(s -> ": " + s).orElse("")).orElseGet(said::get);
        Said meaning = refusal.said(endpoint, status, code, what);
        return failure(meaning.reason(), meaning.message());
    }

    private IamException failure(IamException.Reason reason, String message) {
        String full = message + requestId.map(id -> Text.get("iam.requestId", id)).orElse("");
        return new IamException(reason, full, requestId.orElse(null), null);
    }

    private static Optional<String> text(JsonNode node) {
        return node.isValueNode() && !node.asText().isBlank() ? Optional.of(node.asText()) : Optional.empty();
    }

    /** {@code Retry-After} in seconds or as an HTTP date. */
    static Optional<Duration> retryAfter(String header) {
        if (header == null || header.isBlank()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Duration.ofSeconds(Math.max(0, Long.parseLong(header.strip()))));
        } catch (NumberFormatException notSeconds) {
            try {
                Instant at = ZonedDateTime.parse(header.strip(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
                Duration wait = Duration.between(Instant.now(), at);
                return Optional.of(wait.isNegative() ? Duration.ZERO : wait);
            } catch (DateTimeParseException neither) {
                return Optional.empty();
            }
        }
    }
}
