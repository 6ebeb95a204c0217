package io.jenkins.plugins.icr.jenkins.masking;

import org.jenkinsci.plugins.workflow.steps.FailureHandler;
import io.jenkins.plugins.icr.masking.MaskedException;
import org.jenkinsci.plugins.workflow.steps.StepContext;

/**
 * Masks the block's secrets in an error that leaves the block (say, {@code error "bad key $KEY"}), since Jenkins
 * prints errors outside the console filter.
 */
public final class MaskingFailureHandler implements FailureHandler {

    private static final long serialVersionUID = 1L;

    private final MaskingFilter secrets;

    /** @param secrets the block's console filter, whose pattern serves errors too */
    public MaskingFailureHandler(MaskingFilter secrets) {
        this.secrets = secrets;
    }

    @Override
    public Throwable handle(StepContext context, Throwable failure) {
        return MaskedException.of(failure, secrets.pattern());
    }
}
