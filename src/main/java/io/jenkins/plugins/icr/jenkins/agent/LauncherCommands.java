package io.jenkins.plugins.icr.jenkins.agent;

import hudson.EnvVars;
import hudson.Launcher;
import hudson.Proc;
import hudson.model.TaskListener;
import io.jenkins.plugins.icr.agent.Command;
import io.jenkins.plugins.icr.agent.CommandResult;
import io.jenkins.plugins.icr.agent.Commands;
import io.jenkins.plugins.icr.agent.ExecutableNotFoundException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * The engine's processes, started through the build's {@link Launcher}: on the agent, inside a {@code container()}
 * block, on Windows, with the build's environment. Nothing is echoed to the log; the secret goes on stdin only.
 */
public final class LauncherCommands implements Commands {

    /** What a shell says for a program it cannot find, as a container launcher runs commands through one. */
    private static final int NOT_FOUND = 127;

    private final Launcher launcher;
    private final EnvVars environment;
    private final TaskListener listener;

    public LauncherCommands(Launcher launcher, EnvVars environment, TaskListener listener) {
        this.launcher = launcher;
        this.environment = environment;
        this.listener = listener;
    }

    @Override
    public CommandResult run(Command command) throws IOException, InterruptedException {
        EnvVars env = new EnvVars(environment);
        env.putAll(command.env());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Launcher.ProcStarter starter = launcher.launch().cmds(command.argv()).envs(env).stdout(out).stderr(err)
                .quiet(true);
        byte[] stdin = command.stdin();
        if (stdin.length > 0) {
            starter.stdin(new ByteArrayInputStream(stdin));
        }
        Proc proc;
        try {
            proc = starter.start();
        } catch (IOException e) {
            if (String.valueOf(e.getMessage()).contains("error=2")) { // ENOENT: "Cannot run program ..."
                throw new ExecutableNotFoundException(command.program(), e);
            }
            throw e;
        }
        int exit = proc.joinWithTimeout(command.timeout().toSeconds(), TimeUnit.SECONDS, listener);
        CommandResult result = new CommandResult(exit, out.toString(StandardCharsets.UTF_8),
                err.toString(StandardCharsets.UTF_8));
        if (exit == NOT_FOUND && result.output().toLowerCase(Locale.ROOT).contains("not found")) {
            throw new ExecutableNotFoundException(command.program(), null);
        }
        return result;
    }
}
