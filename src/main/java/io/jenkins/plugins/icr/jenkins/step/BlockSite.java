package io.jenkins.plugins.icr.jenkins.step;

import hudson.AbortException;
import hudson.EnvVars;
import hudson.FilePath;
import hudson.Launcher;
import hudson.model.Run;
import hudson.model.TaskListener;
import java.io.IOException;
import org.jenkinsci.plugins.workflow.steps.MissingContextVariableException;
import org.jenkinsci.plugins.workflow.steps.StepContext;

/**
 * Where a block runs, looked up each time it is needed: a step's objects change with a restart or an agent's
 * reconnection, so whatever acts on the block later (a renewal) asks for them then.
 */
interface BlockSite {

    Run<?, ?> run() throws IOException, InterruptedException;

    FilePath workspace() throws IOException, InterruptedException;

    Launcher launcher() throws IOException, InterruptedException;

    EnvVars environment() throws IOException, InterruptedException;

    TaskListener listener() throws IOException, InterruptedException;

    /** A Pipeline step's block: its context knows. */
    static BlockSite of(StepContext context) {
        return new BlockSite() {
            @Override
            public Run<?, ?> run() throws IOException, InterruptedException {
                return required(context, Run.class);
            }

            @Override
            public FilePath workspace() throws IOException, InterruptedException {
                return required(context, FilePath.class);
            }

            @Override
            public Launcher launcher() throws IOException, InterruptedException {
                return required(context, Launcher.class);
            }

            @Override
            public EnvVars environment() throws IOException, InterruptedException {
                return required(context, EnvVars.class);
            }

            @Override
            public TaskListener listener() throws IOException, InterruptedException {
                return required(context, TaskListener.class);
            }
        };
    }

    /** A freestyle build's: its objects stay what they are until it ends (it does not survive a restart). */
    static BlockSite of(Run<?, ?> run, FilePath workspace, Launcher launcher, EnvVars env, TaskListener listener) {
        return new Fixed(run, workspace, launcher, env, listener);
    }

    /** The objects a freestyle build (or a wrapper in Pipeline) set up with. */
    record Fixed(Run<?, ?> run, FilePath workspace, Launcher launcher, EnvVars environment, TaskListener listener)
            implements BlockSite {}

    private static <T> T required(StepContext context, Class<T> type) throws IOException, InterruptedException {
        T value = context.get(type);
        if (value == null) {
            throw new AbortException(new MissingContextVariableException(type).getMessage());
        }
        return value;
    }
}
