/**
 * The seam between the engine and the machine it works on: starting processes ({@link
 * io.jenkins.plugins.icr.agent.Commands}) and touching files ({@link io.jenkins.plugins.icr.agent.AgentFiles}).
 *
 * <p>The engine never calls {@code ProcessBuilder} or {@code java.nio} itself, so that the Jenkins adapter can run
 * the same engine on a remote or Windows agent, or inside a {@code container()} block, through {@code Launcher}
 * and {@code FilePath}. The local implementations here serve the command-line tool and the tests.
 */
package io.jenkins.plugins.icr.agent;
