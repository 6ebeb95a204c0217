package io.jenkins.plugins.icr.iam;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jenkins.plugins.icr.FrontEnd;
import io.jenkins.plugins.icr.Text;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.Proxy;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Protocol;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;

/**
 * The VPC instance metadata service's identity operations, as IBM's VPC instance authenticator uses them: {@code PUT
 * /instance_identity/v1/token} (header {@code Metadata-Flavor: ibm}) gives a short instance identity token, and
 * {@code POST /instance_identity/v1/iam_token} exchanges it for an IAM access token of a trusted profile linked to
 * the instance. Both tokens stay in this class's calls; neither is kept.
 *
 * <p>The service is reached directly, never through a proxy: it answers only on the instance's own link-local
 * address, and a proxy would see the tokens.
 */
final class VpcMetadataClient {

    /**
     * The API version sent. IBM's SDKs sent 2021-09-20; IBM's docs name 2022-03-01 as the first version of the
     * identity token operations (the 2025-08-26 API moves them to {@code /identity/v1/...}, not used here yet).
     */
    static final String VERSION = "2022-03-01";
    /** The instance identity token lives only for the one exchange that follows it: five minutes, as the SDKs ask. */
    private static final int IDENTITY_TOKEN_SECONDS = 300;
    /** Where the metadata service answers: its link-local address and its name, over http or https. */
    private static final Set<String> HOSTS = Set.of("169.254.169.254", "api.metadata.cloud.ibm.com");
    private static final MediaType JSON = MediaType.get("application/json");
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final OkHttpClient SHARED = new OkHttpClient.Builder()
            .protocols(List.of(Protocol.HTTP_1_1))
            .proxy(Proxy.NO_PROXY)
            .followRedirects(false)
            .followSslRedirects(false)
            .connectTimeout(Duration.ofSeconds(5)) // on the instance itself: one that does not answer soon never will
            .readTimeout(Duration.ofSeconds(30))
            .build();

    private final HttpUrl url;
    private final String profile;
    private final Clock clock;
    private final FrontEnd frontEnd;

    private VpcMetadataClient(HttpUrl url, String profile, Clock clock, FrontEnd frontEnd) {
        this.url = url;
        this.profile = profile;
        this.clock = clock;
        this.frontEnd = frontEnd;
    }

    /**
     * @throws IllegalArgumentException when the URL is not the metadata service's (loopback is allowed, for tests
     *     and local relays), or the profile is a name, which the metadata service does not take
     */
    static VpcMetadataClient create(String url, String profile, Clock clock, FrontEnd frontEnd) {
        HttpUrl parsed = HttpUrl.parse(url);
        if (parsed == null || !HOSTS.contains(parsed.host().toLowerCase(Locale.ROOT))
                && !IamEndpoints.isLoopback(parsed.host()) || !parsed.username().isEmpty()
                || parsed.query() != null) {
            throw new IllegalArgumentException(Text.get(frontEnd, "profile.metadataBadUrl", url));
        }
        if (!TrustedProfile.isId(profile) && !TrustedProfile.isCrn(profile)) {
            throw new IllegalArgumentException(Text.get(frontEnd, "profile.vpcNeedsIdOrCrn", profile));
        }
        return new VpcMetadataClient(parsed, profile, clock, frontEnd);
    }

    String url() {
        return url.toString();
    }

    /** An IAM access token of the profile: an instance identity token first, then the exchange. */
    AccessToken iamToken() throws IamException, InterruptedException {
        ObjectNode lifetime = MAPPER.createObjectNode().put("expires_in", IDENTITY_TOKEN_SECONDS);
        Request identity = new Request.Builder().url(operation("instance_identity/v1/token"))
                .header("Accept", "application/json")
                .header("Metadata-Flavor", "ibm")
                .put(RequestBody.create(lifetime.toString(), JSON))
                .build();
        String identityToken = call(identity).token();
        ObjectNode body = MAPPER.createObjectNode();
        body.putObject("trusted_profile").put(TrustedProfile.isCrn(profile) ? "crn" : "id", profile);
        Request exchange = new Request.Builder().url(operation("instance_identity/v1/iam_token"))
                .header("Accept", "application/json")
                .header("Authorization", "Bearer " + identityToken)
                .post(RequestBody.create(body.toString(), JSON))
                .build();
        return call(exchange).access();
    }

    private HttpUrl operation(String path) {
        return url.newBuilder().addPathSegments(path).addQueryParameter("version", VERSION).build();
    }

    /** A token the metadata service answered with, and when it was asked for. */
    private record Answer(String token, Instant sent, long expiresIn) {
        AccessToken access() {
            return new AccessToken(token, sent, sent.plusSeconds(expiresIn));
        }
    }

    private Answer call(Request request) throws IamException, InterruptedException {
        Instant sent = clock.instant();
        try (Response response = SHARED.newCall(request).execute()) {
            ResponseBody answer = response.body();
            JsonNode json = IamClient.parse(answer == null ? "" : answer.string());
            String token = json.path("access_token").asText("");
            if (response.isSuccessful() && !token.isEmpty() && json.path("expires_in").canConvertToLong()) {
                return new Answer(token, sent, json.path("expires_in").asLong());
            }
            JsonNode error = json.path("errors").path(0);
            String said = error.isObject() ? error.path("code").asText("") + ": " + error.path("message").asText("")
                    : "no access token in the answer";
            throw new IamException(IamException.Reason.METADATA_FAILED, Text.get(frontEnd, "profile.metadataRefused",
                    url(), response.code(), said, profile), null, null);
        } catch (InterruptedIOException e) {
            if (Thread.currentThread().isInterrupted()) {
                throw new InterruptedException(e.getMessage());
            }
            throw unreachable(e);
        } catch (IOException e) {
            if (e instanceof IamException refused) {
                throw refused;
            }
            throw unreachable(e);
        }
    }

    private IamException unreachable(IOException e) {
        return new IamException(IamException.Reason.METADATA_FAILED,
                Text.get(frontEnd, "profile.metadataUnreachable", url(), String.valueOf(e.getMessage())), null, e);
    }

}
