package io.jenkins.plugins.icr.jenkins.step;

import hudson.EnvVars;
import hudson.util.Secret;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.jenkinsci.plugins.workflow.steps.EnvironmentExpander;

/**
 * The body's {@code DOCKER_CONFIG}, {@code REGISTRY_AUTH_FILE} and {@code ICR_REGISTRY}, and, when asked for, the key
 * under {@code exposeApiKeyAs}, which Pipeline is told is sensitive (so that interpolating it warns).
 */
final class SessionVariables extends EnvironmentExpander {

    private static final long serialVersionUID = 1L;

    private final Map<String, String> variables;
    private final Map<String, Secret> secretVariables;

    SessionVariables(Map<String, String> variables, Map<String, Secret> secretVariables) {
        this.variables = new HashMap<>(variables);
        this.secretVariables = new HashMap<>(secretVariables);
    }

    @Override
    public void expand(EnvVars env) {
        env.overrideAll(variables);
        secretVariables.forEach((name, value) -> env.override(name, value.getPlainText()));
    }

    @Override
    public Set<String> getSensitiveVariables() {
        return Set.copyOf(secretVariables.keySet());
    }
}
