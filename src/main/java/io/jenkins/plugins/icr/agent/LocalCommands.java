package io.jenkins.plugins.icr.agent;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.FutureTask;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/** Runs commands on this machine with {@link ProcessBuilder}. */
public final class LocalCommands implements Commands {

    /** The environment commands start from, or null for this process's own. */
    private final Map<String, String> baseEnv;

    /** Commands inherit this process's environment. */
    public LocalCommands() {
        this.baseEnv = null;
    }

    private LocalCommands(Map<String, String> baseEnv) {
        this.baseEnv = Map.copyOf(baseEnv);
    }

    /**
     * Commands get {@code environment} (and their own variables) and nothing else of this process's: icr-login
     * keeps the API key it was started with from the clients it runs.
     */
    public static LocalCommands withEnvironment(Map<String, String> environment) {
        return new LocalCommands(environment);
    }

    @Override
    public CommandResult run(Command command) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(new java.util.ArrayList<>(command.argv()));
        if (baseEnv != null) {
            builder.environment().clear();
            builder.environment().putAll(baseEnv);
        }
        builder.environment().putAll(command.env());
        // Java looks a program up on its own PATH; the command's PATH is the one that should decide.
        builder.command().set(0, locate(command.program(), builder.environment().get("PATH")));
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            // "Cannot run program ...: error=2, No such file or directory" on Linux, "CreateProcess error=2" on Windows.
            if (String.valueOf(e.getMessage()).contains("error=2")) {
                throw new ExecutableNotFoundException(command.program(), e);
            }
            throw e;
        }
        try {
            FutureTask<String> out = drain(process.getInputStream());
            FutureTask<String> err = drain(process.getErrorStream());
            try (OutputStream in = process.getOutputStream()) {
                in.write(command.stdin());
            } catch (IOException e) {
                // The process may exit before reading its input (a usage error); its exit code tells why.
            }
            if (!process.waitFor(command.timeout().toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IOException(command.program() + " did not finish within " + command.timeout().toSeconds()
                        + " s and was stopped");
            }
            return new CommandResult(process.exitValue(), out.get(), err.get());
        } catch (ExecutionException e) {
            throw new IOException("could not read the output of " + command.program(), e.getCause());
        } finally {
            process.destroyForcibly();
        }
    }

    private static String locate(String program, String path) throws ExecutableNotFoundException {
        if (program.contains(File.separator) || path == null) {
            return program;
        }
        boolean windows = File.pathSeparatorChar == ';';
        List<String> names = windows ? List.of(program + ".exe", program + ".cmd", program) : List.of(program);
        for (String dir : path.split(File.pathSeparator)) {
            for (String name : names) {
                File candidate = new File(dir.isEmpty() ? "." : dir, name);
                if (candidate.isFile() && candidate.canExecute()) {
                    return candidate.getPath();
                }
            }
        }
        throw new ExecutableNotFoundException(program, null);
    }

    /** Reads a stream on a thread of its own: a shared pool could starve when many sessions run at once. */
    private static FutureTask<String> drain(InputStream stream) {
        FutureTask<String> task = new FutureTask<>(() -> {
            try (stream) {
                return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
            }
        });
        Thread reader = new Thread(task, "icr-process-output");
        reader.setDaemon(true);
        reader.start();
        return task;
    }
}
