package io.jenkins.plugins.icr.agent;

import java.io.IOException;

/** Runs processes where the session lives: the controller's own machine, an agent, a container. */
@FunctionalInterface
public interface Commands {

    /**
     * Runs a command to its end, or until its timeout, and returns what it printed.
     *
     * @throws ExecutableNotFoundException when the command's program cannot be found
     * @throws IOException when the process cannot be started or its timeout passed
     */
    CommandResult run(Command command) throws IOException, InterruptedException;
}
