package io.jenkins.plugins.icr.login;

import io.jenkins.plugins.icr.agent.AgentFiles;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Removes the session folders of processes that died before they could close them (a killed JVM, an agent that
 * went away). A folder is removed only when its marker names an owner that is known to be gone: a live session's
 * folder, or one whose owner cannot be told, is never touched.
 */
public final class SessionSweeper {

    /** Looked up once: a sweep asks for it for every folder, and the lookup may go to DNS. */
    private static final String HOST = hostName();

    private SessionSweeper() {}

    /** The owner this JVM writes into its markers: {@code pid 1234@hostname}. */
    public static String localOwner() {
        return "pid " + ProcessHandle.current().pid() + "@" + HOST;
    }

    /** Whether an owner written by {@link #localOwner()} still runs; an owner of another machine is taken as live. */
    public static boolean localOwnerRuns(String owner) {
        String prefix = "pid ";
        String suffix = "@" + HOST;
        if (!owner.startsWith(prefix) || !owner.endsWith(suffix)) {
            return true;
        }
        try {
            long pid = Long.parseLong(owner.substring(prefix.length(), owner.length() - suffix.length()));
            return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
        } catch (NumberFormatException e) {
            return true;
        }
    }

    /** Deletes the folders under {@code base} whose owner no longer runs; returns their paths. */
    public static List<String> sweep(String base, Predicate<String> ownerRuns, AgentFiles files)
            throws IOException, InterruptedException {
        List<String> removed = new ArrayList<>();
        for (String name : files.list(base)) {
            if (!name.startsWith(SessionFolder.PREFIX)) {
                continue;
            }
            String folder = files.child(base, name);
            Optional<String> owner = files.read(files.child(folder, SessionFolder.MARKER))
                    .flatMap(Json::parseObject)
                    .map(marker -> marker.path("owner").asText(""))
                    .filter(o -> !o.isEmpty());
            if (owner.isPresent() && !ownerRuns.test(owner.get())) {
                files.deleteRecursively(folder);
                removed.add(folder);
            }
        }
        return removed;
    }

    /**
     * The name {@code gethostname} gives, as {@code InetAddress.getLocalHost().getHostName()} does; Linux shows it in
     * /proc without the name lookup that call adds (20 ms of icr-login's start, more with a slow DNS).
     */
    private static String hostName() {
        try {
            String name = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/sys/kernel/hostname")).strip();
            if (!name.isEmpty()) {
                return name;
            }
        } catch (java.io.IOException e) {
            // not Linux
        }
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.net.UnknownHostException e) {
            return "localhost";
        }
    }
}
