package io.jenkins.plugins.icr.va;

import io.jenkins.plugins.icr.Text;
import io.jenkins.plugins.icr.iam.AccessToken;
import io.jenkins.plugins.icr.login.Challenge;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import okhttp3.Credentials;
import okhttp3.HttpUrl;
import okhttp3.Request;

/**
 * Asks the registry itself whether an image exists and which digest it is, with the registry's token protocol and
 * an {@code iambearer} login. Vulnerability Advisor answers "not scanned yet" and "no such image" alike; the
 * registry tells them apart, and pins a tag to the digest that was checked.
 */
final class ManifestLookup {

    /** Every manifest form ICR stores, so that the registry never answers 404 for a form we did not accept. */
    private static final String ACCEPT = String.join(", ",
            "application/vnd.oci.image.index.v1+json",
            "application/vnd.oci.image.manifest.v1+json",
            "application/vnd.docker.distribution.manifest.list.v2+json",
            "application/vnd.docker.distribution.manifest.v2+json");

    private final Transport transport;

    ManifestLookup(Transport transport) {
        this.transport = transport;
    }

    /** The image's digest, {@code sha256:...}, or why it cannot be seen. */
    String digest(ImageReference image, AccessToken token) throws VaException, InterruptedException {
        String host = image.host();
        String where = Text.get("va.where.registry", host);
        HttpUrl v2 = HttpUrl.parse("https://" + host + "/v2/");
        if (v2 == null) {
            throw new VaException(VaException.Reason.REJECTED, Text.get("registry.badHost", host));
        }
        Transport.Answer ping = transport.send(new Request.Builder().url(v2).build(), "WWW-Authenticate", where);
        Optional<String> bearer = ping.status() == 401 ? Optional.of(registryToken(image, ping, token, where))
                : Optional.empty();
        HttpUrl manifest = v2.newBuilder().addPathSegments(image.repository()).addPathSegment("manifests")
                .addPathSegment(image.reference()).build();
        Request.Builder get = new Request.Builder().url(manifest).header("Accept", ACCEPT);
        bearer.ifPresent(t -> get.header("Authorization", "Bearer " + t));
        Transport.Answer answer = transport.send(get.build(), "Docker-Content-Digest", where);
        if (answer.status() == 200) {
            return answer.header().filter(d -> d.startsWith("sha256:")).orElseGet(() -> sha256(answer.body()));
        }
        if (answer.status() == 404) {
            throw missing(image, v2, bearer, where);
        }
        if (answer.status() == 401 || answer.status() == 403) {
            throw new VaException(VaException.Reason.PULL_DENIED,
                    Text.get("va.registry.denied", host, image.repository(), answer.status()));
        }
        throw new VaException(VaException.Reason.REJECTED,
                Text.get("va.rejected", where, answer.status(), answer.detail()));
    }

    /** No such manifest: the repository's tag list says whether the repository exists, and what it holds. */
    private VaException missing(ImageReference image, HttpUrl v2, Optional<String> bearer, String where)
            throws VaException, InterruptedException {
        Request.Builder list = new Request.Builder()
                .url(v2.newBuilder().addPathSegments(image.repository()).addPathSegments("tags/list").build());
        bearer.ifPresent(t -> list.header("Authorization", "Bearer " + t));
        Transport.Answer tags = transport.send(list.build(), null, where);
        if (tags.status() != 200) {
            return new VaException(VaException.Reason.NO_REPOSITORY,
                    Text.get("va.registry.noRepository", image.host(), image.repository()));
        }
        List<String> held = new ArrayList<>();
        tags.json().path("tags").forEach(t -> held.add(t.asText()));
        String some = held.isEmpty() ? "-" : String.join(", ", held.subList(0, Math.min(5, held.size())))
                + (held.size() > 5 ? ", ..." : "");
        return new VaException(VaException.Reason.NO_TAG,
                Text.get("va.registry.noTag", image.host(), image.repository(), image.reference(), some));
    }

    /** The token service's answer to {@code iambearer} and the IAM token, for pulling this repository only. */
    private String registryToken(ImageReference image, Transport.Answer ping, AccessToken token, String where)
            throws VaException, InterruptedException {
        Optional<Challenge> challenge = Challenge.parse(ping.header().orElse(null));
        HttpUrl realm = challenge.flatMap(Challenge::realm).map(HttpUrl::parse)
                .orElseGet(() -> HttpUrl.parse("https://" + image.host() + "/oauth/token"));
        if (!realm.isHttps()) {
            // The IAM token opens every IBM Cloud API of the account: never in clear text.
            throw new VaException(VaException.Reason.REJECTED,
                    Text.get("va.registry.insecureRealm", image.host(), realm));
        }
        HttpUrl.Builder url = realm.newBuilder().addQueryParameter("account", "iambearer")
                .addQueryParameter("scope", "repository:" + image.repository() + ":pull");
        challenge.flatMap(Challenge::service).ifPresent(s -> url.addQueryParameter("service", s));
        Request request = new Request.Builder().url(url.build())
                .header("Authorization", Credentials.basic("iambearer", token.token(), StandardCharsets.UTF_8))
                .build();
        Transport.Answer answer = transport.send(request, null, where);
        if (answer.status() == 400 || answer.status() == 401 || answer.status() == 403) {
            throw new VaException(VaException.Reason.UNAUTHORIZED,
                    Text.get(transport.frontEnd(), "va.registry.tokenRefused", image.host(), answer.status()));
        }
        Optional<String> issued = ScanReport.text(answer.json(), "token")
                .or(() -> ScanReport.text(answer.json(), "access_token"));
        if (answer.status() != 200 || issued.isEmpty()) {
            throw new VaException(VaException.Reason.REJECTED,
                    Text.get("registry.tokenError", image.host(), answer.status()));
        }
        return issued.get();
    }

    private static String sha256(byte[] manifest) {
        try {
            return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(manifest));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
