package io.jenkins.plugins.icr.agent;

/** How a process ended and what it printed. */
public record CommandResult(int exitCode, String stdout, String stderr) {

    public boolean succeeded() {
        return exitCode == 0;
    }

    /** Both streams, for error messages: clients print their reasons on either one. */
    public String output() {
        return (stdout.strip() + "\n" + stderr.strip()).strip();
    }
}
