package io.jenkins.plugins.icr.block;

import io.jenkins.plugins.icr.FrontEnd;
import io.jenkins.plugins.icr.Text;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** What the agent receives to log in with. */
public enum Mode {
    /** The API key itself, username {@code iamapikey}: no IAM call, the registry checks the key. */
    APIKEY,
    /**
     * An IAM access token made from the key on the controller, username {@code iambearer}: the key never reaches
     * the agent, and what does dies within the hour.
     */
    BEARER;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * @param frontEnd whose option names an error uses
     * @throws IllegalArgumentException naming the valid modes
     */
    public static Mode fromId(String id, FrontEnd frontEnd) {
        String wanted = id == null || id.isBlank() ? APIKEY.id() : id.strip().toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(m -> m.id().equals(wanted)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException(Text.get(frontEnd, "mode.unknown", id,
                        Arrays.stream(values()).map(Mode::id).collect(Collectors.joining(", ")))));
    }
}
