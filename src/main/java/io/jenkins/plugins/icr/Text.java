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

    /** The message in Jenkins' words: options are named as the step names them. */
    public static String get(String key, Object... args) {
        return get(FrontEnd.JENKINS, key, args);
    }

    /** How {@code frontEnd} names an option: {@code onFail} in a Jenkins step, {@code --on-fail} for icr-login. */
    public static String option(FrontEnd frontEnd, String option) {
        return frontEnd.phrase(option, null, ResourceBundle.getBundle(BUNDLE, Locale.ROOT));
    }

    /** The message with the options it names in the words of {@code frontEnd}. */
    public static String get(FrontEnd frontEnd, String key, Object... args) {
        ResourceBundle bundle = ResourceBundle.getBundle(BUNDLE, Locale.ROOT);
        return new MessageFormat(frontEnd.pattern(bundle.getString(key), bundle), Locale.ROOT).format(args);
    }
}
