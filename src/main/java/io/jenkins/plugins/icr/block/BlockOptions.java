package io.jenkins.plugins.icr.block;

import io.jenkins.plugins.icr.FrontEnd;
import io.jenkins.plugins.icr.Text;
import io.jenkins.plugins.icr.login.Client;
import io.jenkins.plugins.icr.login.PullSecret;
import io.jenkins.plugins.icr.region.Endpoint;
import io.jenkins.plugins.icr.region.RegionResolver;
import io.jenkins.plugins.icr.region.Registry;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The options of one {@code withIcrLogin} block (or freestyle wrapper), as the user wrote them, checked and turned
 * into engine values. Every mistake is found here, before anything is logged in, with a message that says what to
 * write instead.
 *
 * @param registry where to log in
 * @param client which client logs in, or {@link Client#AUTH_FILE}
 * @param mode what the agent gets: the key, or an IAM token made from it
 * @param caCertificatePem a CA the registry's certificate is signed by, when not a public one
 * @param exposeApiKeyAs an environment variable the body gets the key in, for tools that read it only there
 * @param pullSecret a Kubernetes pull secret to write for the body, made from the key
 */
public record BlockOptions(Registry registry, Client client, Mode mode, Optional<String> caCertificatePem,
        Optional<String> exposeApiKeyAs, Optional<PullSecret> pullSecret) {

    private static final Pattern VARIABLE = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    /** Variables the block sets itself; exposing the key under one of them would hide it or break the login. */
    private static final Set<String> RESERVED = Set.of("DOCKER_CONFIG", "REGISTRY_AUTH_FILE", "ICR_REGISTRY",
            PullSecret.VARIABLE, "PATH");

    /** The options in Jenkins' words: errors name the step's options. */
    public static BlockOptions of(String region, boolean privateEndpoint, boolean customHosts, String client,
            String mode, String caCertificatePem, String exposeApiKeyAs) {
        return of(FrontEnd.JENKINS, region, privateEndpoint, customHosts, client, mode, caCertificatePem,
                exposeApiKeyAs);
    }

    /**
     * @param frontEnd whose option names an error uses
     * @param region a region, former name, short host, host or URL
     * @param customHosts whether a host that is not ICR's may be named (a test registry, a region newer than this
     *     plugin)
     * @throws IllegalArgumentException with a message for the pipeline author, or the command line's user
     */
    public static BlockOptions of(FrontEnd frontEnd, String region, boolean privateEndpoint, boolean customHosts,
            String client, String mode, String caCertificatePem, String exposeApiKeyAs) {
        RegionResolver resolver = customHosts ? RegionResolver.allowingCustomHosts() : RegionResolver.standard();
        Registry registry = resolver.resolve(region, privateEndpoint ? Endpoint.PRIVATE : Endpoint.PUBLIC, frontEnd);
        Mode chosenMode = Mode.fromId(mode, frontEnd);
        Optional<String> ca = Optional.ofNullable(caCertificatePem).map(String::strip).filter(s -> !s.isEmpty());
        if (ca.isPresent() && !ca.get().contains("-----BEGIN CERTIFICATE-----")) {
            throw new IllegalArgumentException(Text.get("ca.invalid"));
        }
        Optional<String> expose = Optional.ofNullable(exposeApiKeyAs).map(String::strip).filter(s -> !s.isEmpty());
        if (expose.isPresent()) {
            String name = expose.get();
            if (!VARIABLE.matcher(name).matches() || RESERVED.contains(name)) {
                throw new IllegalArgumentException(Text.get(frontEnd, "options.badVariable", name,
                        String.join(", ", RESERVED)));
            }
            if (chosenMode == Mode.BEARER) {
                throw new IllegalArgumentException(Text.get(frontEnd, "options.exposeInBearerMode", name));
            }
        }
        return new BlockOptions(registry, Client.fromId(client, frontEnd), chosenMode, ca, expose, Optional.empty());
    }

    /** These options with a pull secret, in Jenkins' words: errors name the step's options. */
    public BlockOptions withPullSecret(String name, String namespace) {
        return withPullSecret(FrontEnd.JENKINS, name, namespace);
    }

    /**
     * These options with a Kubernetes pull secret named {@code name} (none when it is blank), in {@code namespace}
     * if given. A pull secret outlives the block in the cluster, so it is made from the key: bearer mode's tokens
     * would stop pulling images within the hour, and bearer mode is refused with that reason.
     *
     * @throws IllegalArgumentException with a message for the pipeline author
     */
    public BlockOptions withPullSecret(FrontEnd frontEnd, String name, String namespace) {
        Optional<PullSecret> secret = PullSecret.of(name, namespace, frontEnd);
        if (secret.isPresent() && mode == Mode.BEARER) {
            throw new IllegalArgumentException(Text.get(frontEnd, "pullSecret.bearerMode", secret.get()));
        }
        return new BlockOptions(registry, client, mode, caCertificatePem, exposeApiKeyAs, secret);
    }

    /**
     * These options for a trusted profile's login, which has no API key: always bearer (the IAM token is the
     * profile's, renewed while the block runs), with nothing of a key to expose and no pull secret, whose token
     * would stop pulling images within the hour.
     *
     * @throws IllegalArgumentException with a message for the pipeline author, naming the option to drop
     */
    public BlockOptions forTrustedProfile(FrontEnd frontEnd) {
        if (pullSecret.isPresent()) {
            throw new IllegalArgumentException(Text.get(frontEnd, "pullSecret.trustedProfile", pullSecret.get()));
        }
        if (exposeApiKeyAs.isPresent()) {
            throw new IllegalArgumentException(Text.get(frontEnd, "options.exposeWithTrustedProfile",
                    exposeApiKeyAs.get()));
        }
        return new BlockOptions(registry, client, Mode.BEARER, caCertificatePem, exposeApiKeyAs, pullSecret);
    }
}
