package io.jenkins.plugins.icr.testbed;

import io.jenkins.plugins.icr.agent.Command;
import io.jenkins.plugins.icr.agent.CommandResult;
import io.jenkins.plugins.icr.agent.LocalCommands;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** A tiny OCI image, one layer with one file, built from scratch with Debian's {@code umoci}. */
public final class TestImage {

    private TestImage() {}

    /** Builds the image in a new OCI layout under {@code folder}; returns its {@code oci:} reference for skopeo. */
    public static String create(Path folder, String content) throws IOException, InterruptedException {
        Installed.require("umoci", "umoci");
        Path layout = folder.resolve("layout");
        Path file = folder.resolve("hello.txt");
        Files.writeString(file, content);
        run("umoci", "init", "--layout", layout.toString());
        run("umoci", "new", "--image", layout + ":v1");
        run("umoci", "insert", "--rootless", "--image", layout + ":v1", file.toString(), "/hello.txt");
        return "oci:" + layout + ":v1";
    }

    private static void run(String... argv) throws IOException, InterruptedException {
        CommandResult result = new LocalCommands().run(Command.of(List.of(argv), Map.of()));
        if (!result.succeeded()) {
            throw new IOException(String.join(" ", argv) + " failed: " + result.output());
        }
    }
}
