package io.jenkins.plugins.icr.jenkins.agent;

import hudson.FilePath;
import hudson.remoting.VirtualChannel;
import io.jenkins.plugins.icr.agent.AgentFiles;
import io.jenkins.plugins.icr.agent.LocalFiles;
import java.io.File;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import jenkins.MasterToSlaveFileCallable;

/**
 * The files of the machine a {@link VirtualChannel} leads to. Each operation runs there as the engine's own, tested
 * {@link LocalFiles} (owner-only folders, files written 0600 and atomically), so agents behave as the offline tests
 * prove; paths are that machine's own strings, so a Windows agent keeps its {@code C:\...}.
 */
public final class FilePathFiles implements AgentFiles {

    private final VirtualChannel channel;

    public FilePathFiles(VirtualChannel channel) {
        this.channel = channel;
    }

    private FilePath at(String path) {
        return new FilePath(channel, path);
    }

    @Override
    public String child(String parent, String name) {
        return at(parent).child(name).getRemote();
    }

    @Override
    public void makePrivateDirectory(String path) throws IOException, InterruptedException {
        at(path).act(new MakePrivateDirectory());
    }

    @Override
    public void writePrivate(String path, byte[] content) throws IOException, InterruptedException {
        at(path).act(new WritePrivate(content));
    }

    @Override
    public Optional<byte[]> read(String path) throws IOException, InterruptedException {
        return Optional.ofNullable(at(path).act(new Read()));
    }

    @Override
    public List<String> list(String directory) throws IOException, InterruptedException {
        return at(directory).act(new ListNames());
    }

    @Override
    public void deleteRecursively(String path) throws IOException, InterruptedException {
        at(path).deleteRecursive();
    }

    @Override
    public String home() throws IOException, InterruptedException {
        return FilePath.getHomeDirectory(channel).getRemote();
    }

    private static final class MakePrivateDirectory extends MasterToSlaveFileCallable<Void> {
        private static final long serialVersionUID = 1L;

        @Override
        public Void invoke(File f, VirtualChannel channel) throws IOException {
            new LocalFiles().makePrivateDirectory(f.getPath());
            return null;
        }
    }

    private static final class WritePrivate extends MasterToSlaveFileCallable<Void> {
        private static final long serialVersionUID = 1L;
        private final byte[] content;

        WritePrivate(byte[] content) {
            this.content = content.clone();
        }

        @Override
        public Void invoke(File f, VirtualChannel channel) throws IOException {
            new LocalFiles().writePrivate(f.getPath(), content);
            return null;
        }
    }

    private static final class Read extends MasterToSlaveFileCallable<byte[]> {
        private static final long serialVersionUID = 1L;

        @Override
        public byte[] invoke(File f, VirtualChannel channel) throws IOException {
            return new LocalFiles().read(f.getPath()).orElse(null);
        }
    }

    private static final class ListNames extends MasterToSlaveFileCallable<List<String>> {
        private static final long serialVersionUID = 1L;

        @Override
        public List<String> invoke(File f, VirtualChannel channel) throws IOException {
            return new ArrayList<>(new LocalFiles().list(f.getPath()));
        }
    }
}
