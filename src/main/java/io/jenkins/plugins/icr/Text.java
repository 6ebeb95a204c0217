package io.jenkins.plugins.icr;

import java.text.MessageFormat;
import java.util.Locale;
import java.util.ResourceBundle;

/**
 * The engine's user-facing sentences, kept in {@code Text.properties} so that every message a pipeline author
 * can meet is in one place (and the troubleshooting page can list them). The Jenkins adapter has its own
 * {@code Messages.properties}.
 */
public final class Text {

    private static final String BUNDLE = "io.jenkins.plugins.icr.Text";

    private Text() {}

    public static String get(String key, Object... args) {
        String pattern = ResourceBundle.getBundle(BUNDLE, Locale.ROOT).getString(key);
        return args.length == 0 ? pattern : new MessageFormat(pattern, Locale.ROOT).format(args);
    }
}
