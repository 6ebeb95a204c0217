package io.jenkins.plugins.icr.agent;

import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * The files of the machine where the session lives. Paths are that machine's own path strings, so that a
 * Windows agent's {@code C:\...} survives a controller on Linux.
 */
public interface AgentFiles {

    /** The path of {@code name} inside the folder {@code parent}, in that machine's own form. */
    String child(String parent, String name);

    /** Creates the folder and any missing parents, and makes the folder itself readable by its owner only. */
    void makePrivateDirectory(String path) throws IOException, InterruptedException;

    /** Writes the file, readable and writable by its owner only, replacing what was there. */
    void writePrivate(String path, byte[] content) throws IOException, InterruptedException;

    /** The file's content, or empty when there is no such file. */
    Optional<byte[]> read(String path) throws IOException, InterruptedException;

    /** The names of what the folder holds, or an empty list when there is no such folder. */
    List<String> list(String directory) throws IOException, InterruptedException;

    /** Deletes the file or folder with all it holds; a path that is already gone is no error. */
    void deleteRecursively(String path) throws IOException, InterruptedException;

    /** The home folder of the user the commands run as, where {@code ~/.docker/config.json} lives. */
    String home() throws IOException, InterruptedException;
}
