package io.jenkins.plugins.icr;

import java.text.MessageFormat;
import java.util.Locale;
import java.util.ResourceBundle;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Who shows the engine's messages, and so in whose words a message names an option: {@code caCertificate} in a
 * Jenkins step, {@code --ca-file} on icr-login's command line. A message in {@code Text.properties} writes {@code
 * {option:caCertificate}}, or {@code {option:mode=apikey}} for an option with its value; the {@code words.*} keys
 * there say how each front end names it.
 */
public enum FrontEnd {
    /** {@code withIcrLogin}, the freestyle wrapper and the credentials form. */
    JENKINS("jenkins"),
    /** {@code icr-login}. */
    CLI("cli");

    /** {@code {option:NAME}} or {@code {option:NAME=VALUE}} in a message. */
    static final Pattern OPTION = Pattern.compile("\\{option:([A-Za-z]+)(?:=([^}]*))?}");

    private final String id;

    FrontEnd(String id) {
        this.id = id;
    }

    /** The {@code MessageFormat} pattern with each option token replaced by this front end's words for it. */
    String pattern(String message, ResourceBundle words) {
        Matcher token = OPTION.matcher(message);
        StringBuilder pattern = new StringBuilder();
        while (token.find()) {
            // The phrase is plain text inside a MessageFormat pattern, where a single quote starts a quotation.
            String phrase = phrase(token.group(1), token.group(2), words).replace("'", "''");
            token.appendReplacement(pattern, Matcher.quoteReplacement(phrase));
        }
        return token.appendTail(pattern).toString();
    }

    /** How this front end names an option, with its value if {@code value} is not null: {@code --mode apikey}. */
    String phrase(String option, String value, ResourceBundle words) {
        String name = words.getString("words." + id + "." + option);
        return value == null ? name : new MessageFormat(words.getString("words." + id + ".withValue"), Locale.ROOT)
                .format(new Object[] {name, value});
    }
}
