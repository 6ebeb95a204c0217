package io.jenkins.plugins.icr.jenkins.masking;

import hudson.console.ConsoleLogFilter;
import hudson.model.Run;
import hudson.util.Secret;
import java.io.OutputStream;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.jenkinsci.plugins.credentialsbinding.masking.SecretPatterns;

/**
 * Replaces every form of the block's secrets in its console output with {@code ****}: the key or token as is and
 * as shells quote it, its base64 forms, and the base64 {@code user:secret} of auth files. The pattern is built on
 * the controller (credentials-binding allows only that) and travels, encrypted in the program's state, as a
 * {@link Secret}, since it spells the secrets out.
 *
 * <p>A bearer login that renews itself {@linkplain #add adds} each new token: steps started after that carry the
 * new pattern to their agent, and errors are masked with it at once.
 */
public final class MaskingFilter extends ConsoleLogFilter implements Serializable {

    private static final long serialVersionUID = 2L;

    private final List<Secret> secrets = new ArrayList<>();
    private volatile Secret pattern;
    private final String charsetName;
    /** Compiled once, not for every line of output; made again after the filter travels or is restored. */
    private transient volatile Pattern compiled;

    public MaskingFilter(Collection<String> secrets, String charsetName) {
        this.charsetName = charsetName;
        add(secrets);
    }

    /** Masks these secrets too, from now on. */
    public synchronized void add(Collection<String> more) {
        Set<String> all = new LinkedHashSet<>();
        secrets.forEach(s -> all.add(s.getPlainText()));
        for (String secret : more) {
            if (all.add(secret)) {
                secrets.add(Secret.fromString(secret));
            }
        }
        Pattern aggregate = SecretPatterns.getAggregateSecretPattern(all);
        pattern = Secret.fromString(aggregate.pattern());
        compiled = aggregate;
    }

    /** The compiled pattern, for exception messages as well. */
    public Pattern pattern() {
        Pattern current = compiled;
        if (current == null) {
            current = Pattern.compile(pattern.getPlainText());
            compiled = current;
        }
        return current;
    }

    @Override
    public OutputStream decorateLogger(Run build, OutputStream logger) {
        return new SecretPatterns.MaskingOutputStream(logger, this::pattern, charsetName);
    }
}
