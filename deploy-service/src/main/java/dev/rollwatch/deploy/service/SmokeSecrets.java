package dev.rollwatch.deploy.service;

import dev.rollwatch.deploy.config.DeployConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The values behind the {@code ${secret:NAME}} references of smoke check headers: configuration
 * {@code rollwatch.deploy.smoke-secrets.NAME}, else the environment variable {@code ROLLWATCH_SMOKE_SECRET_<NAME>}.
 * Events, the database and the audit log only ever hold the reference; the value is put in only when a check is
 * sent.
 */
@ApplicationScoped
public class SmokeSecrets {

    /** A reference: {@code ${secret:NAME}}, NAME letters, digits, {@code . _ -}. */
    public static final Pattern REFERENCE = Pattern.compile("\\$\\{secret:([A-Za-z0-9._-]+)}");

    private final Map<String, String> configured;
    private final Function<String, String> environment;

    @Inject
    public SmokeSecrets(DeployConfig config) {
        this(config.smokeSecrets(), System::getenv);
    }

    public SmokeSecrets(Map<String, String> configured, Function<String, String> environment) {
        this.configured = configured == null ? Map.of() : Map.copyOf(configured);
        this.environment = environment;
    }

    /** The environment variable that may hold secret {@code name}. */
    public static String environmentVariable(String name) {
        return "ROLLWATCH_SMOKE_SECRET_" + name.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_");
    }

    public boolean known(String name) {
        return value(name) != null;
    }

    /** The names {@code text} refers to, in order. */
    public static Set<String> references(String text) {
        Set<String> names = new LinkedHashSet<>();
        Matcher m = REFERENCE.matcher(text);
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    /** {@code text} with every reference replaced by its value; an unknown one is an {@link IllegalStateException}. */
    public String resolve(String text) {
        Matcher m = REFERENCE.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String value = value(m.group(1));
            if (value == null) {
                throw new IllegalStateException("secret " + m.group(1) + " is not configured");
            }
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        return out.toString();
    }

    private String value(String name) {
        String v = configured.get(name);
        if (v == null || v.isEmpty()) {
            v = environment.apply(environmentVariable(name));
        }
        return v == null || v.isEmpty() ? null : v;
    }
}
