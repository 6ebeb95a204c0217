package io.jenkins.plugins.icr.jenkins.step;

import hudson.Extension;
import hudson.ExtensionList;
import hudson.FilePath;
import hudson.XmlFile;
import hudson.model.Computer;
import hudson.model.TaskListener;
import hudson.remoting.VirtualChannel;
import hudson.slaves.ComputerListener;
import io.jenkins.plugins.icr.jenkins.Messages;
import java.io.File;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.logging.Level;
import java.util.logging.Logger;
import jenkins.model.Jenkins;

/**
 * Session folders whose agent was gone when their block ended (a controller restart, a lost connection): kept in
 * {@code JENKINS_HOME} and deleted when the agent comes back online, so that no auth file outlives its block for
 * longer than the agent's absence.
 */
@Extension
public final class LeftBehind extends ComputerListener {

    private static final Logger LOGGER = Logger.getLogger(LeftBehind.class.getName());

    /** Agent name ({@code ""} for the built-in node) to session folders on it. */
    private TreeMap<String, TreeSet<String>> folders;

    static LeftBehind get() {
        return ExtensionList.lookupSingleton(LeftBehind.class);
    }

    synchronized void note(String node, String folder) throws IOException {
        load().computeIfAbsent(node == null ? "" : node, n -> new TreeSet<>()).add(folder);
        file().write(folders);
    }

    @Override
    public void onOnline(Computer computer, TaskListener listener) throws IOException, InterruptedException {
        VirtualChannel channel = computer.getChannel();
        List<String> left;
        synchronized (this) {
            left = new ArrayList<>(load().getOrDefault(computer.getName(), new TreeSet<>()));
        }
        for (String folder : left) {
            try {
                new FilePath(channel, folder).deleteRecursive();
                listener.getLogger().println(BlockLogin.PREFIX + Messages.cleanup_leftBehind(folder));
                forget(computer.getName(), folder);
            } catch (IOException e) {
                LOGGER.log(Level.WARNING, "Could not remove " + folder + " on " + computer.getName(), e);
            }
        }
    }

    private synchronized void forget(String node, String folder) throws IOException {
        TreeSet<String> onNode = load().get(node);
        if (onNode != null && onNode.remove(folder) && onNode.isEmpty()) {
            folders.remove(node);
        }
        file().write(folders);
    }

    @SuppressWarnings("unchecked")
    private TreeMap<String, TreeSet<String>> load() throws IOException {
        if (folders == null) {
            XmlFile file = file();
            folders = file.exists() ? (TreeMap<String, TreeSet<String>>) file.read() : new TreeMap<>();
        }
        return folders;
    }

    private static XmlFile file() {
        return new XmlFile(new File(Jenkins.get().getRootDir(), LeftBehind.class.getName() + ".xml"));
    }
}
