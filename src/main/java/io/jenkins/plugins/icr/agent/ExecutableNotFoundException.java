package io.jenkins.plugins.icr.agent;

import java.io.IOException;

/** The program a command names is not installed, or not on the {@code PATH}, where the command runs. */
public class ExecutableNotFoundException extends IOException {

    private static final long serialVersionUID = 1L;

    private final String program;

    public ExecutableNotFoundException(String program, Throwable cause) {
        super(program + " was not found on the PATH", cause);
        this.program = program;
    }

    public String program() {
        return program;
    }
}
